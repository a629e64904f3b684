// Names My Account's bundle after its content and puts it beside the site's files, for
// scripts/build-my-account.sh: `myaccount.<hash>.js` and `myaccount.<hash>.wasm` (one hash over
// both, as the page names them from one `myaccount: <hash>` line in the hash file, which the
// server reads at start-up). A build that changes nothing writes the same names.
//
// usage: node place-my-account-bundle.mjs <wasm-bindgen output dir> <site pkg dir> <hash file>
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [built, pkg, hashFile] = process.argv.slice(2);
if (!built || !pkg || !hashFile) {
  console.error("usage: node scripts/node-tools/place-my-account-bundle.mjs <built dir> <pkg dir> <hash file>");
  process.exit(2);
}
const wasm = readFileSync(join(built, "myaccount_bg.wasm"));
const js = readFileSync(join(built, "myaccount.js"));
const hash = createHash("sha256").update(js).update(wasm).digest("base64url").slice(0, 22);
// An earlier build's bundle is not served any more.
for (const name of readdirSync(pkg)) {
  if (/^myaccount\.[A-Za-z0-9_-]{22}\.(js|wasm)(\.br|\.gz)?$/.test(name)) rmSync(join(pkg, name));
}
writeFileSync(join(pkg, `myaccount.${hash}.js`), js);
writeFileSync(join(pkg, `myaccount.${hash}.wasm`), wasm);
const lines = readFileSync(hashFile, "utf8").split("\n").filter((line) => line.trim() && !line.startsWith("myaccount:"));
writeFileSync(hashFile, [...lines, `myaccount: ${hash}`].join("\n") + "\n");
console.log(`My Account's bundle: myaccount.${hash}.{js,wasm} (${wasm.length} B of WASM)`);
