import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

/**
 * The module `name` beside the module at `base` (an `import.meta.url`): `name`.js in a build, `name`.ts
 * when hyperopt-ts itself runs from its TypeScript sources (tests, tsx).
 */
export function moduleBeside(base: string, name: string): string {
  for (const ext of [".js", ".ts"]) {
    const file = fileURLToPath(new URL(`./${name}${ext}`, base));
    if (existsSync(file)) return file;
  }
  throw new Error(`hyperopt-ts: the module ${name} is missing beside ${fileURLToPath(base)}`);
}

/** The worker's entry module beside this file. */
export function workerEntryFile(): string {
  return moduleBeside(import.meta.url, "entry");
}

/** A module specifier or path naming tsx or one of its files. */
const TSX = /(^|[\\/])tsx([\\/]|$)/;
const LOADER_FLAG = /^(--import|--require|-r|--loader|--experimental-loader)(=(.*))?$/;

/**
 * Node options for the worker threads: this process's, without tsx's loaders, which cost every
 * worker an extra thread at start; when the entry module is still TypeScript (it could not be
 * compiled beforehand), tsx's CommonJS hook alone, which is enough to load it. Objective modules
 * need nothing here: they arrive compiled, or the worker imports them through tsx's scoped loader.
 */
export function workerExecArgv(entryFile: string, inherited: readonly string[] = process.execArgv): string[] {
  const args: string[] = [];
  for (let i = 0; i < inherited.length; i++) {
    const arg = inherited[i] as string;
    const flag = LOADER_FLAG.exec(arg);
    const value = flag === null ? undefined : flag[2] === undefined ? inherited[i + 1] : flag[3];
    if (value === undefined || !TSX.test(value)) args.push(arg);
    else if (flag?.[2] === undefined) i++;
  }
  if (entryFile.endsWith(".ts")) args.push("--require", createRequire(import.meta.url).resolve("tsx/cjs"));
  return args;
}
