import type { Distribution, NumericDistribution } from "./distributions.js";

/** Marks the objects `hp` builds, so a space can hold plain objects beside them. */
export const HP_NODE: unique symbol = Symbol.for("hyperopt-ts.node");

/** A numeric hyperparameter (every `hp` primitive except choice and pchoice). */
export interface NumericNode<L extends string = string> {
  readonly [HP_NODE]: true;
  readonly label: L;
  readonly distribution: NumericDistribution;
}

/** A categorical hyperparameter whose value is one of `options`, each itself a space. */
export interface ChoiceNode<L extends string = string, O extends readonly unknown[] = readonly unknown[]> {
  readonly [HP_NODE]: true;
  readonly label: L;
  readonly distribution: Extract<Distribution, { kind: "choice" | "pchoice" }>;
  readonly options: O;
}

export type SpaceNode = NumericNode | ChoiceNode;

export function isSpaceNode(value: unknown): value is SpaceNode {
  return typeof value === "object" && value !== null && (value as { [HP_NODE]?: unknown })[HP_NODE] === true;
}

export function isChoiceNode(node: SpaceNode): node is ChoiceNode {
  return "options" in node;
}
