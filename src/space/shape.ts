import type { CompiledSpace, Condition } from "./compile.js";
import type { Distribution } from "./distributions.js";

/**
 * What a space is to its history, without its constant values: each parameter's label,
 * distribution (kind, bounds, option count) and activation conditions, in order. Always JSON,
 * so it stands in for the space's JSON form when the space holds values JSON cannot carry
 * (functions as choice options).
 */
export type SpaceShape = { label: string; distribution: Distribution; conditions: Condition[] }[];

export function spaceShape(space: CompiledSpace): SpaceShape {
  return space.params.map((p) => ({ label: p.label, distribution: { ...p.distribution }, conditions: p.conditions.map((c) => ({ ...c })) }));
}
