import { randomUUID } from "node:crypto";
import { readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { HyperoptArgumentError } from "../../errors.js";
import { isTypeScriptURL, type ObjectiveRef } from "../objectiveSource.js";

/** The objective as the workers import it, and how to remove what was written for it. */
export interface PreparedObjective {
  ref: ObjectiveRef;
  dispose(): void;
}

interface EsbuildMessage {
  text: string;
  location: { file: string; line: number; column: number } | null;
}
type Esbuild = typeof import("esbuild");

/** esbuild as tsx carries it: TypeScript objectives need tsx already, so no other package is asked for. */
async function esbuildOfTsx(url: string): Promise<Esbuild> {
  try {
    const tsx = createRequire(import.meta.url).resolve("tsx/package.json");
    return (await import(pathToFileURL(createRequire(tsx).resolve("esbuild")).href)) as Esbuild;
  } catch (cause) {
    throw new HyperoptArgumentError("fn", `fn: the objective module ${url} is TypeScript, which needs the package tsx to load (npm install --save-dev tsx)`, { cause });
  }
}

function compileError(url: string, errors: readonly EsbuildMessage[]): HyperoptArgumentError {
  const first = errors[0];
  const where = first?.location ? `${first.location.file}:${first.location.line}:${first.location.column}: ` : "";
  return new HyperoptArgumentError("fn", `fn: the objective module ${url} does not compile: ${where}${first?.text ?? "unknown error"}`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes the compiled copies of `source` left by processes that were killed before they could. */
function removeOrphans(source: string): void {
  const prefix = `.${basename(source)}.`;
  try {
    for (const name of readdirSync(dirname(source))) {
      const pid = name.startsWith(prefix) ? /^(\d+)-[0-9a-f]{8}\.hyperopt\.mjs$/.exec(name.slice(prefix.length))?.[1] : undefined;
      if (pid !== undefined && !isRunning(Number(pid))) rmSync(join(dirname(source), name), { force: true });
    }
  } catch {
    // An unreadable folder keeps its files; writing there fails next, and the module is used as it is.
  }
}

/**
 * Compiles a TypeScript module into one JavaScript module written beside it (so that its
 * relative paths and its packages resolve as before): its own TypeScript imports are bundled
 * in, packages stay imports. Undefined when the folder cannot be written. The file is removed by
 * `dispose`, or when the process exits first (a second Ctrl-C).
 */
async function compileBeside(source: string, url: string): Promise<{ url: string; dispose(): void } | undefined> {
  const esbuild = await esbuildOfTsx(url);
  let code: string;
  try {
    const result = await esbuild.build({
      entryPoints: [source], absWorkingDir: dirname(source), bundle: true, packages: "external", platform: "node", format: "esm", target: "node20",
      sourcemap: "inline", write: false, logLevel: "silent",
    });
    code = result.outputFiles[0]?.text ?? "";
  } catch (error) {
    throw compileError(url, (error as { errors?: EsbuildMessage[] }).errors ?? []);
  }
  removeOrphans(source);
  const file = join(dirname(source), `.${basename(source)}.${process.pid}-${randomUUID().slice(0, 8)}.hyperopt.mjs`);
  try {
    writeFileSync(file, code);
  } catch {
    return undefined;
  }
  const remove = (): void => rmSync(file, { force: true });
  process.once("exit", remove);
  const dispose = (): void => {
    process.off("exit", remove);
    remove();
  };
  return { url: pathToFileURL(file).href, dispose };
}

/**
 * A TypeScript objective is compiled once, here, and every worker imports the JavaScript
 * without a TypeScript loader. A JavaScript objective, or one whose folder cannot be written,
 * is left as it is (workers then import TypeScript through tsx).
 */
export async function prepareObjective(ref: ObjectiveRef): Promise<PreparedObjective> {
  if (!isTypeScriptURL(ref.url)) return { ref, dispose: () => {} };
  const compiled = await compileBeside(fileURLToPath(ref.url), ref.url);
  if (compiled === undefined) return { ref, dispose: () => {} };
  return { ref: { url: compiled.url, exportName: ref.exportName }, dispose: compiled.dispose };
}

/**
 * The workers' entry module as JavaScript: when hyperopt-ts runs from its TypeScript sources
 * (its own tests and benchmarks), entry.ts is compiled once here rather than by a TypeScript
 * loader in every thread; when that cannot be done, the entry is left for tsx's hook.
 */
export async function prepareEntry(entryFile: string): Promise<{ filename: string; dispose(): void }> {
  const unchanged = { filename: entryFile, dispose: () => {} };
  if (!entryFile.endsWith(".ts")) return unchanged;
  try {
    const compiled = await compileBeside(entryFile, pathToFileURL(entryFile).href);
    return compiled === undefined ? unchanged : { filename: fileURLToPath(compiled.url), dispose: compiled.dispose };
  } catch {
    return unchanged;
  }
}
