import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * The worker's entry module beside this file: workerEntry.js in a build, workerEntry.ts when
 * hyperopt-ts itself runs from its TypeScript sources (tests, tsx).
 */
export function workerEntryFile(): string {
  for (const ext of [".js", ".ts"]) {
    const file = fileURLToPath(new URL(`./workerEntry${ext}`, import.meta.url));
    if (existsSync(file)) return file;
  }
  throw new Error(`hyperopt-ts: the worker entry module is missing beside ${fileURLToPath(import.meta.url)}`);
}

/**
 * Node options for the worker threads: this process's, plus tsx's loader when the entry module
 * is TypeScript and the process was not started with tsx. (Objective modules written in
 * TypeScript need nothing here: the worker imports them through tsx's scoped loader.)
 */
export function workerExecArgv(entryFile: string): string[] {
  const inherited = [...process.execArgv];
  if (!entryFile.endsWith(".ts") || inherited.some((arg) => /(^|[\\/])tsx([\\/]|$)/.test(arg))) return inherited;
  const loader = createRequire(import.meta.url).resolve("tsx");
  return [...inherited, "--import", pathToFileURL(loader).href];
}
