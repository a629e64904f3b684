// Compresses the built assets once, at build time, as hard as the formats allow: brotli at
// quality 11 and gzip at level 9, written beside each file (`guise.wasm.br`, `guise.wasm.gz`).
// The server sends these when the browser accepts them (leptos_axum's file handler), instead of
// compressing the same bytes at a lower level on every request. Node's zlib, because Node is on
// every machine this builds on and its brotli is native code (cargo-leptos' own `--precompress`
// runs its brotli unoptimised here, being a debug build).
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { buildCache } from "./build-cache.mjs";

// brotli 11 takes seconds on the main bundle; a build of unchanged sources makes the same files.
const cached = buildCache("precompress-cache");

const root = process.argv[2];
if (!root) {
  console.error("usage: node scripts/node-tools/precompress.mjs <directory>");
  process.exit(2);
}
const compressible = /\.(wasm|js|css|json|svg|html|txt)$/;
let files = 0;
let raw = 0;
let brotli = 0;
const started = Date.now();
for (const name of readdirSync(root, { recursive: true })) {
  const path = join(root, String(name));
  if (!compressible.test(path) || !statSync(path).isFile()) continue;
  const bytes = readFileSync(path);
  const br = cached([bytes, path.endsWith(".wasm") ? "generic.br" : "text.br"], () =>
    brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        [constants.BROTLI_PARAM_MODE]: path.endsWith(".wasm") ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
      },
    }),
  );
  writeFileSync(`${path}.br`, br);
  writeFileSync(`${path}.gz`, cached([bytes, "gz"], () => gzipSync(bytes, { level: 9 })));
  files += 1;
  raw += bytes.length;
  brotli += br.length;
}
console.log(`precompressed ${files} files in ${Date.now() - started} ms: ${raw} B, ${brotli} B with brotli`);
