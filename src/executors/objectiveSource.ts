import { pathToFileURL } from "node:url";
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
  const mod = await importModule(url);
  const fn = mod[exportName];
  if (typeof fn !== "function") {
    const which = exportName === "default" ? "a default export" : `an export named ${JSON.stringify(exportName)}`;
    throw new HyperoptArgumentError("fn", `fn: the module ${url} must have a function as ${which}`);
  }
  return fn as ObjectiveFunction;
}
