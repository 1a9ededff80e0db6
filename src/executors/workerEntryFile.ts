import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

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

const TSX_ARG = /(^|[\\/])tsx([\\/]|$)/;

/**
 * Node options for the worker threads: this process's, without tsx's loaders, which cost every
 * worker an extra thread at start; when the entry module is TypeScript, tsx's CommonJS hook
 * alone, which is enough to load it. Objective modules written in TypeScript need nothing
 * here: the worker imports them through tsx's scoped loader.
 */
export function workerExecArgv(entryFile: string): string[] {
  const args: string[] = [];
  const inherited = process.execArgv;
  for (let i = 0; i < inherited.length; i++) {
    const arg = inherited[i] as string;
    const value = inherited[i + 1];
    if ((arg === "--import" || arg === "--require" || arg === "-r" || arg === "--loader") && value !== undefined && TSX_ARG.test(value)) i++;
    else if (!/^--(import|require|loader)=/.test(arg) || !TSX_ARG.test(arg)) args.push(arg);
  }
  if (entryFile.endsWith(".ts")) args.push("--require", createRequire(import.meta.url).resolve("tsx/cjs"));
  return args;
}
