import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { spaceEval } from "../../src/index.js";
import { compile, createRng, isActive, sampleAssignment, sampleDistribution, spaceFromJSON, spaceToJSON } from "../../src/space/index.js";
import { inSupport, isMultiple } from "../../src/space/distributions.js";
import { numericNode, space } from "../support/arbitraries.js";

describe("sampling properties", () => {
  it("every sample lies in its distribution's support; quantized values are multiples of q; log values are positive", () => {
    fc.assert(
      fc.property(numericNode, fc.integer(), (make, seed) => {
        const node = make("x");
        const rng = createRng(seed);
        const d = node.distribution;
        for (let i = 0; i < 50; i++) {
          const v = sampleDistribution(d, rng);
          expect(inSupport(d, v)).toBe(true);
          if ("q" in d) expect(isMultiple(v, d.q)).toBe(true);
          if (d.kind === "loguniform" || d.kind === "lognormal") expect(v).toBeGreaterThan(0);
          if (d.kind === "qloguniform" || d.kind === "qlognormal") expect(v).toBeGreaterThanOrEqual(0);
          if (d.kind === "randint" || d.kind === "uniformint") expect(Number.isInteger(v)).toBe(true);
        }
      }),
    );
  });

  it("the same seed gives identical sequences", () => {
    fc.assert(
      fc.property(space, fc.integer(), (s, seed) => {
        const compiled = compile(s);
        const draw = () => {
          const rng = createRng(seed);
          return Array.from({ length: 5 }, () => sampleAssignment(compiled, rng));
        };
        expect(draw()).toEqual(draw());
      }),
    );
  });

  it("assignments hold exactly the active labels, and spaceEval rebuilds the structure", () => {
    fc.assert(
      fc.property(space, fc.integer(), (s, seed) => {
        const compiled = compile(s);
        const a = sampleAssignment(compiled, createRng(seed));
        for (const p of compiled.params) expect(p.label in a).toBe(isActive(p, a));
        const params = spaceEval(s, a);
        expect(shape(params)).toEqual(shapeAt(s, a));
      }),
    );
  });

  it("spaceFromJSON(spaceToJSON(space)) samples the same values", () => {
    fc.assert(
      fc.property(space, fc.integer(), (s, seed) => {
        const back = spaceFromJSON(JSON.parse(JSON.stringify(spaceToJSON(s))));
        expect(spaceToJSON(back)).toEqual(spaceToJSON(s));
        const a = sampleAssignment(compile(s), createRng(seed));
        expect(sampleAssignment(compile(back), createRng(seed))).toEqual(a);
        expect(spaceEval(back, a)).toEqual(spaceEval(s, a));
      }),
    );
  });
});

/** The container structure of a value: numbers become "n", constants stay. */
function shape(v: unknown): unknown {
  if (typeof v === "number") return "n";
  if (Array.isArray(v)) return v.map(shape);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shape(x)]));
  return v;
}

/** The structure the space should evaluate to at `a`, walked independently of spaceEval. */
function shapeAt(s: unknown, a: Record<string, number>): unknown {
  const json = spaceToJSON(s);
  const walk = (n: unknown): unknown => {
    if (Array.isArray(n)) return n.map(walk);
    if (n && typeof n === "object") {
      const o = n as Record<string, unknown>;
      if ("dist" in o) {
        const i = a[o.label as string] as number;
        if (o.dist === "choice") return walk((o.options as unknown[])[i]);
        if (o.dist === "pchoice") return walk(((o.options as { value: unknown }[])[i] as { value: unknown }).value);
        return "n";
      }
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, walk(x)]));
    }
    return typeof n === "number" ? "n" : n;
  };
  return walk(json);
}
