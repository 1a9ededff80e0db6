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

/**
 * Whether a space holds at least one `hp` parameter: true for a node, and for an object or an
 * array with one somewhere inside; a space whose type is not known (`unknown`, `any`) passes.
 */
export type HoldsParameter<S> = unknown extends S
  ? true
  : S extends ChoiceNode | NumericNode
    ? true
    : S extends (...args: never[]) => unknown
      ? false
      : S extends readonly unknown[]
        ? true extends HoldsParameter<S[number]> ? true : false
        : S extends object
          ? true extends { [K in keyof S]-?: HoldsParameter<S[K]> }[keyof S] ? true : false
          : false;

/** `S` when it is a search space (it holds an `hp` parameter), else `never`, which no value fits. */
export type SearchSpace<S> = HoldsParameter<S> extends true ? S : never;
