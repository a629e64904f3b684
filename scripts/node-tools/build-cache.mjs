// Build outputs kept by what they were made from, under target/<name>: a build of unchanged
// sources (the run command's, after the tests' own build) takes them from here instead of making
// them again. The key is a SHA-256 of every part that decides the output.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const target = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "target");

/** A cache under target/`name`: `cached(parts, make)` returns make()'s bytes for these parts. */
export function buildCache(name) {
  const directory = join(target, name);
  mkdirSync(directory, { recursive: true });
  return (parts, make) => {
    const hash = createHash("sha256");
    for (const part of parts) hash.update(part);
    const file = join(directory, hash.digest("hex"));
    if (existsSync(file)) return readFileSync(file);
    const made = make();
    writeFileSync(`${file}.${process.pid}`, made);
    renameSync(`${file}.${process.pid}`, file);
    return made;
  };
}
