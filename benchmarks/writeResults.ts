import { mkdirSync, writeFileSync } from "node:fs";

/** Where the committed benchmark results live. */
const resultsDir = new URL("./results/", import.meta.url);

/** Whether the benchmark command was given `--write`. */
export function writeRequested(argv: readonly string[] = process.argv): boolean {
  return argv.slice(2).includes("--write");
}

/**
 * Replaces the committed results (file name -> text) only when the command was given `--write`;
 * otherwise writes nothing and says on stderr how to keep them. Returns whether it wrote.
 */
export function writeResults(files: Record<string, string>, argv: readonly string[] = process.argv, dir: URL = resultsDir): boolean {
  const names = Object.keys(files).join(", ");
  if (!writeRequested(argv)) {
    process.stderr.write(`results printed only; run with --write to replace ${names} in ${dir.pathname}\n`);
    return false;
  }
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(new URL(name, dir), text);
  process.stderr.write(`wrote ${names} in ${dir.pathname}\n`);
  return true;
}
