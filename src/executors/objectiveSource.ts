import { pathToFileURL } from "node:url";
import { isAbsolute, resolve } from "node:path";
import { HyperoptArgumentError } from "../errors.js";

/** A function, or a module (URL or path) whose default export is the objective. */
export type ObjectiveSource = ((params: never, ctx: never) => unknown) | URL | string;

/** The module URL of an objective given as a URL or a path (relative paths from the working directory). */
export function objectiveModuleURL(source: URL | string): string {
  if (source instanceof URL) return source.href;
  if (/^(file|data):/.test(source)) return source;
  return pathToFileURL(isAbsolute(source) ? source : resolve(source)).href;
}

/** Imports an objective module and returns its default export, checking that it is a function. */
export async function loadObjective(source: URL | string): Promise<(params: unknown, ctx: unknown) => unknown> {
  const url = objectiveModuleURL(source);
  const mod = (await import(url)) as { default?: unknown };
  if (typeof mod.default !== "function") {
    throw new HyperoptArgumentError("fn", `fn: the module ${url} must have a function as its default export`);
  }
  return mod.default as (params: unknown, ctx: unknown) => unknown;
}
