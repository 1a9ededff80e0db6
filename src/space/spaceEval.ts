import { HyperoptArgumentError } from "../errors.js";
import type { Assignment } from "./assignment.js";
import type { InferParams } from "./infer.js";
import { isChoiceNode, isSpaceNode } from "./nodes.js";
import { isPlainObject } from "./labels.js";

/**
 * Hyperopt's `space_eval`: the configuration a space takes at an assignment (choice labels map
 * to option indices). Throws if an active label is missing or a choice index is out of range.
 */
export function spaceEval<S>(space: S, assignment: Assignment): InferParams<S> {
  return evaluate(space, assignment) as InferParams<S>;
}

function evaluate(node: unknown, assignment: Assignment): unknown {
  if (isSpaceNode(node)) {
    const value = assignment[node.label];
    if (value === undefined) {
      throw new HyperoptArgumentError("assignment", `assignment: no value for active label ${JSON.stringify(node.label)}`);
    }
    if (!isChoiceNode(node)) return value;
    if (!Number.isInteger(value) || value < 0 || value >= node.options.length) {
      throw new HyperoptArgumentError(
        "assignment",
        `assignment: label ${JSON.stringify(node.label)} must be an option index in 0..${node.options.length - 1}, got ${value}`,
      );
    }
    return evaluate(node.options[value], assignment);
  }
  if (Array.isArray(node)) return node.map((item) => evaluate(item, assignment));
  if (isPlainObject(node)) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) out[key] = evaluate(value, assignment);
    return out;
  }
  return node;
}
