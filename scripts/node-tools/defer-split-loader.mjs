// Keeps the split build's chunk loader out of pages that load no chunk (My Account).
//
// The main WASM module imports one function per lazily loaded route from `__wasm_split.<hash>.js`,
// so guise.js imports that file statically and every page downloads it: about 10 KB with brotli,
// the name and dependencies of every chunk of every Console page. This moves the loader to a file
// of its own, `__wasm_split_loader.<hash>.js`, and leaves in its place a stub with the same exports
// that imports the loader the first time a route asks for a chunk. A page without lazy routes never
// fetches it; a Console page fetches it once, beside the chunks its head already preloads.
//
// The stub keeps the name cargo-leptos gave the loader (the name the page's head and guise.js
// use). It is a fixed function of the loader it replaces, so that name still stands for one
// content only; the loader is named after its own content. Running this twice changes nothing.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const STUB_MARK = "// guise: deferred split loader";

const root = process.argv[2];
if (!root) {
  console.error("usage: node scripts/node-tools/defer-split-loader.mjs <pkg directory>");
  process.exit(2);
}
const loaderName = readdirSync(root).find((name) => /^__wasm_split\.[A-Za-z0-9_-]{22}\.js$/.test(name));
if (!loaderName) {
  console.log("no split loader (a build without --split): nothing to defer");
  process.exit(0);
}
const path = join(root, loaderName);
const loader = readFileSync(path, "utf8");
if (loader.startsWith(STUB_MARK)) {
  console.log(`${loaderName} is already deferred`);
  process.exit(0);
}

const exported = [...loader.matchAll(/^export const (\w+) = /gm)].map((match) => match[1]);
const otherExports = loader.match(/^export (?!const \w+ = )/gm);
const mainImport = loader.match(/^import \{ initSync \} from "(\.\/[^"]+\.js)";$/m);
if (exported.length === 0 || otherExports || !mainImport) {
  console.error(`${loaderName}: not the loader this script knows (wasm-split's output changed?)`);
  process.exit(1);
}

const hash = createHash("sha256").update(loader).digest("base64url").slice(0, 22);
const deferredName = `__wasm_split_loader.${hash}.js`;
writeFileSync(join(root, deferredName), loader);

// A failed import must still answer the WASM side, as the loader itself does: its callback gets
// `false`, so the route's future ends instead of waiting for ever.
const stub = `${STUB_MARK} (scripts/node-tools/defer-split-loader.mjs)
import { initSync } from "${mainImport[1]}";
let loading;
function load() {
  loading ??= import("./${deferredName}").catch((error) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
function deferred(name) {
  return (callbackIndex, callbackData) =>
    load().then(
      (loader) => loader[name](callbackIndex, callbackData),
      (error) => {
        console.error(error);
        initSync(undefined, undefined).__indirect_function_table.get(callbackIndex)(callbackData, false);
      },
    );
}
${exported.map((name) => `export const ${name} = deferred("${name}");`).join("\n")}
`;
writeFileSync(path, stub);
console.log(`${loaderName}: ${loader.length} B deferred to ${deferredName}; the stub is ${stub.length} B`);
