import { fileURLToPath, pathToFileURL } from "node:url";
import { prepareEntry } from "../../executors/worker/transpile.js";

/**
 * How to make an artifact's text from plain data, on any thread: call the function `exportName` of the module
 * at `module` (a file URL; TypeScript when running from the sources) with `args`.
 */
export interface ArtifactRecipe {
  module: string;
  exportName: string;
  args: unknown[];
}

/** The text `recipe` makes. */
export async function makeArtifact(recipe: ArtifactRecipe): Promise<string> {
  const prepared = await prepareEntry(fileURLToPath(recipe.module));
  try {
    const module = (await import(pathToFileURL(prepared.filename).href)) as Record<string, unknown>;
    const make = module[recipe.exportName];
    if (typeof make !== "function") throw new Error(`${recipe.module} has no function ${recipe.exportName}`);
    const text: unknown = await make(...recipe.args);
    if (typeof text !== "string") throw new Error(`${recipe.exportName} of ${recipe.module} gave ${typeof text}, not a string`);
    return text;
  } finally {
    prepared.dispose();
  }
}
