import { HyperoptArgumentError } from "../errors.js";
import type { Assignment } from "./assignment.js";
import { isActive, type CompiledSpace } from "./compile.js";
import { inSupport, isCategorical } from "./distributions.js";

/**
 * Checks a point (a point to evaluate, or an algorithm's suggestion) against the space: every
 * active label has a value inside its distribution, and no other label appears. Returns the
 * point reduced to its active labels, in the space's order.
 */
export function checkAssignment(space: CompiledSpace, point: Assignment, where: string): Assignment {
  const out: Assignment = {};
  for (const param of space.params) {
    if (!isActive(param, out)) continue;
    const value = point[param.label];
    if (value === undefined) {
      throw new HyperoptArgumentError(where, `${where}: no value for the active label ${JSON.stringify(param.label)}`, {
        expected: `a value for ${JSON.stringify(param.label)}`,
        received: "nothing",
      });
    }
    if (!inSupport(param.distribution, value)) {
      const hint = isCategorical(param.distribution) ? " (a choice takes its option's index)" : "";
      throw new HyperoptArgumentError(where, `${where}: ${JSON.stringify(param.label)} = ${value} lies outside its ${param.distribution.kind} distribution${hint}`, {
        expected: `a value inside the ${param.distribution.kind} distribution of ${JSON.stringify(param.label)}`,
        received: String(value),
      });
    }
    out[param.label] = value;
  }
  for (const label of Object.keys(point)) {
    if (!(label in out)) {
      throw new HyperoptArgumentError(where, `${where}: label ${JSON.stringify(label)} is not an active label of the space`, {
        expected: "active labels of the space only",
        received: JSON.stringify(label),
      });
    }
  }
  return out;
}
