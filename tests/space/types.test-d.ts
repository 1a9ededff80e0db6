import { describe, expectTypeOf, it } from "vitest";
import { fmin, hp, gridSpace, type InferParams } from "../../src/index.js";

describe("InferParams", () => {
  it("keeps numbers numbers and constants their own type", () => {
    const space = { lr: hp.loguniform("lr", -5, 0), n: hp.randint("n", 10), name: "fixed", flag: true };
    expectTypeOf<InferParams<typeof space>>().toEqualTypeOf<{ lr: number; n: number; name: string; flag: boolean }>();
  });

  it("makes a choice of literals a union", () => {
    const space = { opt: hp.choice("opt", ["adam", "sgd"]), width: hp.choice("w", [16, 32, 64]) };
    expectTypeOf<InferParams<typeof space>>().toEqualTypeOf<{ opt: "adam" | "sgd"; width: 16 | 32 | 64 }>();
  });

  it("makes a choice of objects a discriminated union", () => {
    const space = {
      model: hp.choice("model", [
        { kind: "svm", C: hp.loguniform("C", -5, 5) },
        { kind: "tree", depth: hp.randint("depth", 2, 12) },
      ]),
    };
    type P = InferParams<typeof space>;
    expectTypeOf<P["model"]>().toEqualTypeOf<{ kind: "svm"; C: number } | { kind: "tree"; depth: number }>();
    const narrow = (p: P): number => (p.model.kind === "svm" ? p.model.C : p.model.depth);
    expectTypeOf(narrow).returns.toBeNumber();
  });

  it("infers arrays, tuples and pchoice", () => {
    const space = {
      layers: [hp.quniform("l1", 8, 64, 8), hp.quniform("l2", 8, 64, 8)],
      pair: [hp.uniform("a", 0, 1), "tag"] as const,
      act: hp.pchoice("act", [[0.7, "relu"], [0.3, "tanh"]]),
    };
    expectTypeOf<InferParams<typeof space>>().toEqualTypeOf<{ layers: number[]; pair: [number, "tag"]; act: "relu" | "tanh" }>();
  });

  it("types fmin's objective argument and bestParams from the space", () => {
    const space = { x: hp.uniform("x", -1, 1), kind: hp.choice("kind", ["a", "b"]) };
    const run = () =>
      fmin({
        fn: (p) => {
          expectTypeOf(p).toEqualTypeOf<{ x: number; kind: "a" | "b" }>();
          return p.x;
        },
        space,
        maxEvals: 1,
      });
    expectTypeOf(run).returns.resolves.toHaveProperty("bestParams").toEqualTypeOf<{ x: number; kind: "a" | "b" }>();
  });

  it("types the plain grid form", () => {
    const space = gridSpace({ lr: [0.01, 0.001], optimizer: ["adam", "sgd"] });
    expectTypeOf<InferParams<typeof space>>().toEqualTypeOf<{ lr: 0.01 | 0.001; optimizer: "adam" | "sgd" }>();
  });
});

describe("fmin's space", () => {
  const fn = () => 0;
  it("refuses values that hold no hp parameter", () => {
    // @ts-expect-error a number is not a space
    void (() => fmin({ fn, space: 5, maxEvals: 1 }));
    // @ts-expect-error null is not a space
    void (() => fmin({ fn, space: null, maxEvals: 1 }));
    // @ts-expect-error a string is not a space
    void (() => fmin({ fn, space: "x", maxEvals: 1 }));
    // @ts-expect-error an empty object holds no parameter
    void (() => fmin({ fn, space: {}, maxEvals: 1 }));
    // @ts-expect-error Hyperopt-like tuples are not hp parameters
    void (() => fmin({ fn, space: { x: ["uniform", 0, 1] }, maxEvals: 1 }));
  });

  it("accepts nodes, nested spaces and spaces of unknown type", () => {
    void (() => fmin({ fn, space: hp.uniform("x", 0, 1), maxEvals: 1 }));
    void (() => fmin({ fn, space: { a: { b: [1, hp.randint("n", 3)] }, c: "fixed" }, maxEvals: 1 }));
    void (() => fmin({ fn, space: JSON.parse("{}") as unknown, maxEvals: 1 }));
  });
});
