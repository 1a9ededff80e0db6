import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isAbsolute, resolve } from "node:path";
import { HyperoptArgumentError } from "../errors.js";

/** A module holding the objective: its default export, or the export named `export`. */
export type ObjectiveModule = URL | string | { module: URL | string; export?: string };

/** A function, or a module holding one (required when trials run in worker threads). */
export type ObjectiveSource = ((params: never, ctx: never) => unknown) | ObjectiveModule;

export type ObjectiveFunction = (params: unknown, ctx: unknown) => unknown;

/** A module objective reduced to what crosses a thread: the module's URL and the export's name. */
export interface ObjectiveRef {
  url: string;
  exportName: string;
}

/** The module URL of an objective given as a URL or a path (relative paths from the working directory). */
export function objectiveModuleURL(source: URL | string): string {
  if (source instanceof URL) return source.href;
  if (/^(file|data):/.test(source)) return source;
  return pathToFileURL(isAbsolute(source) ? source : resolve(source)).href;
}

export function objectiveRef(source: ObjectiveModule): ObjectiveRef {
  if (source instanceof URL || typeof source === "string") return { url: objectiveModuleURL(source), exportName: "default" };
  return { url: objectiveModuleURL(source.module), exportName: source.export ?? "default" };
}

/** Whether a module URL names a TypeScript file, which Node cannot import without tsx. */
export function isTypeScriptURL(url: string): boolean {
  return /^file:.*\.[mc]?ts$/.test(url);
}

/**
 * Imports a module; TypeScript ones through tsx's scoped loader (`tsImport`), so that they load
 * in any thread, whether or not the process was started with tsx.
 */
async function importModule(url: string): Promise<Record<string, unknown>> {
  if (!isTypeScriptURL(url)) return (await import(url)) as Record<string, unknown>;
  let tsx: typeof import("tsx/esm/api");
  try {
    tsx = await import("tsx/esm/api");
  } catch (cause) {
    throw new HyperoptArgumentError("fn", `fn: the objective module ${url} is TypeScript, which needs the package tsx to load (npm install --save-dev tsx)`, { cause });
  }
  return (await tsx.tsImport(url, { parentURL: url })) as Record<string, unknown>;
}

/** Imports an objective module and returns the named export (default: the default export), checking that it is a function. */
export async function loadObjective(source: ObjectiveModule): Promise<ObjectiveFunction> {
  const { url, exportName } = objectiveRef(source);
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(url);
  } catch (cause) {
    throw loadFailure(url, cause);
  }
  const fn = mod[exportName];
  if (typeof fn !== "function") {
    const which = exportName === "default" ? "a default export" : `an export named ${JSON.stringify(exportName)}`;
    throw new HyperoptArgumentError("fn", `fn: the module ${url} must have a function as ${which}`);
  }
  return fn as ObjectiveFunction;
}

/**
 * What went wrong importing an objective module, said as an argument error when it is the
 * argument's fault (no such file, a syntax error: with file and line); an error the module
 * itself threw while it was imported is returned as it is.
 */
function loadFailure(url: string, cause: unknown): unknown {
  if (cause instanceof HyperoptArgumentError || !url.startsWith("file:")) return cause;
  const path = fileURLToPath(url);
  if (!existsSync(path)) {
    return new HyperoptArgumentError("fn", `fn: the objective module ${path} does not exist`, { cause, expected: "the path or URL of an existing module", received: path });
  }
  const syntax = syntaxError(path, cause);
  if (syntax === undefined) return cause;
  return new HyperoptArgumentError("fn", `fn: the objective module has a syntax error at ${syntax.at}: ${syntax.message}`, { cause, expected: "a module that parses", received: syntax.at });
}

/**
 * Where and what a syntax error is: from esbuild's message for TypeScript (loaded through tsx),
 * else from `node --check` on the file, which names the file and line whatever loader failed.
 */
function syntaxError(path: string, cause: unknown): { at: string; message: string } | undefined {
  const text = cause instanceof Error ? cause.message : String(cause);
  const esbuild = /^(.+?:\d+:\d+): ERROR: (.*)$/m.exec(text);
  if (esbuild !== null) return { at: esbuild[1] as string, message: esbuild[2] as string };
  if (isTypeScriptURL(pathToFileURL(path).href)) return undefined;
  const check = spawnSync(process.execPath, ["--check", path], { encoding: "utf8" });
  const lines = (check.stderr ?? "").split("\n");
  const at = lines.find((l) => l.startsWith(`${path}:`));
  const message = lines.find((l) => l.startsWith("SyntaxError: "));
  return at === undefined || message === undefined ? undefined : { at, message: message.slice("SyntaxError: ".length) };
}
