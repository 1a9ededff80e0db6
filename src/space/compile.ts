import { HyperoptArgumentError } from "../errors.js";
import type { Assignment } from "./assignment.js";
import type { Distribution } from "./distributions.js";
import { isChoiceNode, isSpaceNode } from "./nodes.js";
import { isPlainObject } from "./labels.js";

/** A parameter is active when the choice `label` took option `index`. */
export interface Condition {
  readonly label: string;
  readonly index: number;
}

export interface CompiledParam {
  readonly label: string;
  readonly distribution: Distribution;
  /** All must hold for the parameter to be active; empty for a parameter that always is. */
  readonly conditions: readonly Condition[];
  /** Where the parameter sits in the space, as dotted object keys and array indices (choices skipped). */
  readonly path: string;
}

/** A space flattened to its parameters, parents before the parameters they condition. */
export interface CompiledSpace<S = unknown> {
  readonly space: S;
  readonly params: readonly CompiledParam[];
  readonly byLabel: ReadonlyMap<string, CompiledParam>;
}

const cache = new WeakMap<object, CompiledSpace>();

/** Flattens a space; throws if a label appears twice anywhere in it. */
export function compile<S>(space: S): CompiledSpace<S> {
  const cached = typeof space === "object" && space !== null ? cache.get(space) : undefined;
  if (cached) return cached as CompiledSpace<S>;
  const params: CompiledParam[] = [];
  const byLabel = new Map<string, CompiledParam>();
  const visit = (node: unknown, conditions: readonly Condition[], path: readonly string[]): void => {
    if (isSpaceNode(node)) {
      if (byLabel.has(node.label)) {
        throw new HyperoptArgumentError(
          "space",
          `space: label ${JSON.stringify(node.label)} appears more than once; every hp label must be unique`,
        );
      }
      const param: CompiledParam = { label: node.label, distribution: node.distribution, conditions, path: path.join(".") };
      params.push(param);
      byLabel.set(node.label, param);
      if (isChoiceNode(node)) {
        node.options.forEach((option, index) => visit(option, [...conditions, { label: node.label, index }], path));
      }
      return;
    }
    if (Array.isArray(node)) node.forEach((item, i) => visit(item, conditions, [...path, String(i)]));
    else if (isPlainObject(node)) for (const [key, value] of Object.entries(node)) visit(value, conditions, [...path, key]);
  };
  visit(space, [], []);
  const compiled: CompiledSpace<S> = { space, params, byLabel };
  if (typeof space === "object" && space !== null) cache.set(space, compiled);
  return compiled;
}

export function isActive(param: CompiledParam, assignment: Assignment): boolean {
  for (const c of param.conditions) if (assignment[c.label] !== c.index) return false;
  return true;
}
