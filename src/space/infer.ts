import type { ChoiceNode, NumericNode } from "./nodes.js";

/**
 * The objective's parameter type for a space: numbers stay numbers, a choice of literals is a
 * union of them, a choice of objects is a union of the options' shapes, and constants keep
 * their own type.
 */
export type InferParams<S> = S extends NumericNode
  ? number
  : S extends ChoiceNode<string, infer O>
    ? InferParams<O[number]>
    : S extends (...args: never[]) => unknown
      ? S
      : S extends readonly unknown[]
        ? { -readonly [K in keyof S]: InferParams<S[K]> }
        : S extends object
          ? { -readonly [K in keyof S]: InferParams<S[K]> }
          : S;
