import { isChoiceNode, isSpaceNode } from "./nodes.js";

/** Every label in a space, in depth-first order, duplicates included. */
export function* labelsIn(space: unknown): Generator<string> {
  if (isSpaceNode(space)) {
    yield space.label;
    if (isChoiceNode(space)) for (const option of space.options) yield* labelsIn(option);
    return;
  }
  if (Array.isArray(space)) {
    for (const item of space) yield* labelsIn(item);
    return;
  }
  if (isPlainObject(space)) for (const value of Object.values(space)) yield* labelsIn(value);
}

/** An object literal (or null-prototype object): the containers a space nests in. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
