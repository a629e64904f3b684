// Drops a WASM module's linker sections (`linking`, `reloc.*`), for scripts/build-my-account.sh.
// The front end is compiled with `-Clink-args=--emit-relocs` (cargo-leptos' split build needs
// them, and the My Account bundle shares that build's compiled dependencies, hence its flags);
// wasm-split consumes them there, but wasm-bindgen and binaryen expect a plain module.
//
// usage: node strip-link-sections.mjs <module.wasm>   (rewritten in place)
import { readFileSync, writeFileSync } from "node:fs";

const path = process.argv[2];
if (!path) {
  console.error("usage: node scripts/node-tools/strip-link-sections.mjs <module.wasm>");
  process.exit(2);
}
const bytes = readFileSync(path);
/** An unsigned LEB128 at `at`: its value and where it ends. */
function leb(at) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, at];
  }
}
const kept = [bytes.subarray(0, 8)];
let dropped = 0;
for (let at = 8; at < bytes.length; ) {
  const start = at;
  const id = bytes[at];
  const [size, payload] = leb(at + 1);
  const end = payload + size;
  let keep = true;
  if (id === 0) {
    const [length, name] = leb(payload);
    const section = bytes.subarray(name, name + length).toString("utf8");
    keep = section !== "linking" && !section.startsWith("reloc.");
  }
  if (keep) kept.push(bytes.subarray(start, end));
  else dropped += end - start;
  at = end;
}
writeFileSync(path, Buffer.concat(kept));
console.log(`${path}: ${dropped} B of linker sections dropped`);
