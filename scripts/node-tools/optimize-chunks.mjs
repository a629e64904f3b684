// Optimises the small WASM chunks of a split build (`-Oz`, as cargo-leptos runs wasm-opt on the
// large files), all in this one process. scripts/build-tools/wasm-opt leaves them alone during the
// build, because npm's wasm-opt takes about a second to start and a split build has hundreds of
// them; here binaryen is loaded once. Their names were given before this (by their content then):
// the result is a fixed function of that content, so a name still stands for one content only.
import binaryen from "binaryen";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildCache } from "./build-cache.mjs";

// What scripts/build-tools/wasm-opt leaves to this script.
const SMALL = 16 * 1024;
// Results kept by what went in (binaryen's version, the features, the file's bytes).
const cached = buildCache("wasm-opt-cache");
const binaryenVersion = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "node_modules", "binaryen", "package.json"));

const root = process.argv[2];
if (!root) {
  console.error("usage: node scripts/node-tools/optimize-chunks.mjs <directory>");
  process.exit(2);
}
binaryen.setOptimizeLevel(2);
binaryen.setShrinkLevel(2);
binaryen.setDebugInfo(false);
// wasm-opt's default features (sign extension, mutable globals) and the two cargo-leptos enables.
const { SignExt, MutableGlobals, BulkMemory, BulkMemoryOpt, NontrappingFPToInt } = binaryen.Features;
const features = SignExt | MutableGlobals | BulkMemory | BulkMemoryOpt | NontrappingFPToInt;
let files = 0;
let before = 0;
let after = 0;
const started = Date.now();
for (const name of readdirSync(root)) {
  const path = join(root, name);
  if (!name.endsWith(".wasm") || statSync(path).size >= SMALL) continue;
  const bytes = readFileSync(path);
  const kept = cached([binaryenVersion, String(features), bytes], () => optimise(name, bytes));
  writeFileSync(path, kept);
  files += 1;
  before += bytes.length;
  after += kept.length;
}
console.log(`optimised ${files} small WASM chunks in ${Date.now() - started} ms: ${before} B to ${after} B`);

/** `-Oz` of one chunk, validated before and after; the bytes as they were when that gains nothing. */
function optimise(name, bytes) {
  const module = binaryen.readBinary(bytes);
  try {
    module.setFeatures(features);
    if (!module.validate()) {
      console.error(`${name}: not valid WASM as read`);
      process.exit(1);
    }
    module.optimize();
    if (!module.validate()) {
      console.error(`${name}: optimising made it invalid`);
      process.exit(1);
    }
    const optimised = module.emitBinary();
    return optimised.length < bytes.length ? optimised : bytes;
  } finally {
    module.dispose();
  }
}
