import { randomUUID } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
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

/**
 * A TypeScript objective is compiled once, here, into one JavaScript module written beside it
 * (so that its relative paths and its packages resolve as before), which every worker imports
 * without a TypeScript loader. Its own TypeScript imports are bundled in; packages stay imports.
 * A JavaScript objective, or one whose folder cannot be written, is left as it is.
 */
export async function prepareObjective(ref: ObjectiveRef): Promise<PreparedObjective> {
  const unchanged = { ref, dispose: () => {} };
  if (!isTypeScriptURL(ref.url)) return unchanged;
  const esbuild = await esbuildOfTsx(ref.url);
  const source = fileURLToPath(ref.url);
  let code: string;
  try {
    const result = await esbuild.build({
      entryPoints: [source], bundle: true, packages: "external", platform: "node", format: "esm", target: "node20",
      sourcemap: "inline", write: false, logLevel: "silent",
    });
    code = result.outputFiles[0]?.text ?? "";
  } catch (error) {
    throw compileError(ref.url, (error as { errors?: EsbuildMessage[] }).errors ?? []);
  }
  const file = join(dirname(source), `.${basename(source)}.${randomUUID().slice(0, 8)}.hyperopt.mjs`);
  try {
    writeFileSync(file, code);
  } catch {
    return unchanged;
  }
  // Removed when the pool closes, or when the process exits first (a second Ctrl-C).
  const remove = (): void => rmSync(file, { force: true });
  process.once("exit", remove);
  const dispose = (): void => {
    process.off("exit", remove);
    remove();
  };
  return { ref: { url: pathToFileURL(file).href, exportName: ref.exportName }, dispose };
}
