import fc from "fast-check";
import { hp } from "../../src/index.js";

const finite = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
const bounds = (min: number, max: number) =>
  fc.tuple(finite(min, max), finite(min, max)).filter(([a, b]) => Math.abs(a - b) > 1e-3).map(([a, b]): [number, number] => (a < b ? [a, b] : [b, a]));
const q = fc.constantFrom(0.1, 0.5, 1, 2, 2.5, 10);
const sigma = finite(0.01, 5);

/** A builder of one numeric hp node, given its label. */
export const numericNode = fc.oneof(
  bounds(-100, 100).map(([l, h]) => (label: string) => hp.uniform(label, l, h)),
  fc.tuple(bounds(-100, 100), q).map(([[l, h], s]) => (label: string) => hp.quniform(label, l, h, s)),
  bounds(-8, 5).map(([l, h]) => (label: string) => hp.loguniform(label, l, h)),
  fc.tuple(bounds(-3, 6), q).map(([[l, h], s]) => (label: string) => hp.qloguniform(label, l, h, s)),
  fc.tuple(finite(-50, 50), sigma).map(([m, s]) => (label: string) => hp.normal(label, m, s)),
  fc.tuple(finite(-50, 50), sigma, q).map(([m, s, k]) => (label: string) => hp.qnormal(label, m, s, k)),
  fc.tuple(finite(-2, 2), finite(0.01, 2)).map(([m, s]) => (label: string) => hp.lognormal(label, m, s)),
  fc.tuple(finite(-2, 2), finite(0.01, 2), q).map(([m, s, k]) => (label: string) => hp.qlognormal(label, m, s, k)),
  fc.tuple(fc.integer({ min: -20, max: 20 }), fc.integer({ min: 1, max: 30 })).map(([l, w]) => (label: string) => hp.randint(label, l, l + w)),
  fc.integer({ min: 1, max: 30 }).map((u) => (label: string) => hp.randint(label, u)),
  fc.tuple(fc.integer({ min: -20, max: 20 }), fc.integer({ min: 1, max: 30 })).map(([l, w]) => (label: string) => hp.uniformint(label, l, l + w)),
);

type Builder = (next: () => string) => unknown;

/** A whole space: numeric nodes, constants, nested objects, arrays and (p)choices, labels unique. */
export const spaceBuilder: fc.Arbitrary<Builder> = fc.letrec<{ node: Builder }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    numericNode.map((make) => (next: () => string) => make(next())),
    fc.oneof(fc.integer(), fc.string({ maxLength: 4 }), fc.boolean(), fc.constant(null)).map((c) => () => c),
    fc.array(tie("node"), { minLength: 1, maxLength: 3 }).map((opts) => (next: () => string) => {
      const label = next();
      return hp.choice(label, opts.map((o) => o(next)));
    }),
    fc.array(tie("node"), { minLength: 1, maxLength: 3 }).map((opts) => (next: () => string) => {
      const label = next();
      return hp.pchoice(label, opts.map((o) => [1 / opts.length, o(next)] as const));
    }),
    fc.array(tie("node"), { maxLength: 3 }).map((items) => (next: () => string) => items.map((i) => i(next))),
    fc.dictionary(fc.constantFrom("a", "b", "c", "d"), tie("node"), { maxKeys: 3 }).map((d) => (next: () => string) =>
      Object.fromEntries(Object.entries(d).map(([k, v]) => [k, v(next)])),
    ),
  ),
})).node;

/** A space with fresh labels p0, p1, ... */
export const space = spaceBuilder.map((build) => {
  let i = 0;
  return build(() => `p${i++}`);
});
