import { compile } from "../space/compile.js";
import type { DistributionKind } from "../space/distributions.js";
import { spaceFromJSON } from "../space/json.js";
import { isPlainObject } from "../space/labels.js";
import { isChoiceNode, isSpaceNode } from "../space/nodes.js";
import type { Trial } from "../trials/trial.js";

/** One parameter of a search, as a column of the report and of the export. */
export interface ParamColumn {
  label: string;
  /** The distribution's kind; undefined when the search's space was not recorded. */
  kind: DistributionKind | undefined;
  /** Whether the parameter lives on a log scale (loguniform, lognormal and their q-forms). */
  log: boolean;
  /** For choice and pchoice: each option's value when it is a plain value, else a short name. */
  choices?: (string | number | boolean | null)[];
  /** Whether some trial ran without it (a conditional parameter). */
  conditional: boolean;
}

const LOG_KINDS: readonly DistributionKind[] = ["loguniform", "qloguniform", "lognormal", "qlognormal"];

/** A choice option as a cell: the value itself when plain, else its `kind`/`name`/`type` field, else `option i`. */
function optionName(option: unknown, index: number): string | number | boolean | null {
  if (option === null || ["string", "number", "boolean"].includes(typeof option)) return option as string | number | boolean | null;
  if (isPlainObject(option)) {
    for (const key of ["kind", "name", "type"]) if (typeof option[key] === "string") return option[key];
  }
  return `option ${index}`;
}

function choiceOptions(space: unknown, out: Map<string, readonly unknown[]>): Map<string, readonly unknown[]> {
  if (isSpaceNode(space)) {
    if (isChoiceNode(space)) {
      out.set(space.label, space.options);
      for (const option of space.options) choiceOptions(option, out);
    }
  } else if (Array.isArray(space)) for (const item of space) choiceOptions(item, out);
  else if (isPlainObject(space)) for (const value of Object.values(space)) choiceOptions(value, out);
  return out;
}

/**
 * The parameters of a search in the space's order, from the JSON form of its space; when the
 * space was not recorded, the labels the trials' assignments hold, in the order first seen.
 */
export function paramColumns(spaceJSON: unknown, trials: readonly Trial[]): ParamColumn[] {
  const conditional = (label: string): boolean => trials.some((t) => t.status !== "running" && t.assignment[label] === undefined);
  if (spaceJSON === undefined) {
    const labels = [...new Set(trials.flatMap((t) => Object.keys(t.assignment)))];
    return labels.map((label) => ({ label, kind: undefined, log: false, conditional: conditional(label) }));
  }
  const space = spaceFromJSON(spaceJSON);
  const options = choiceOptions(space, new Map());
  return compile(space).params.map((p) => {
    const column: ParamColumn = { label: p.label, kind: p.distribution.kind, log: LOG_KINDS.includes(p.distribution.kind), conditional: conditional(p.label) };
    const opts = options.get(p.label);
    if (opts !== undefined) column.choices = opts.map(optionName);
    return column;
  });
}

/** A trial's cell for a column, from its assignment: the choice's option (see `choices`), the number, or null when inactive. */
export function cellValue(column: ParamColumn, assignment: Readonly<Record<string, number>>): string | number | boolean | null {
  const value = assignment[column.label];
  if (value === undefined) return null;
  return column.choices === undefined ? value : (column.choices[value] ?? value);
}
