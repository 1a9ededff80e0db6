import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateArtifactPath } from "../../src/tracking/mlflow/artifactPath.js";
import { splitBatch } from "../../src/tracking/mlflow/batch.js";
import { TrackingValidationError } from "../../src/tracking/mlflow/errors.js";
import { flattenParams } from "../../src/tracking/mlflow/flatten.js";
import { parsePyFloat, pyFloat } from "../../src/tracking/mlflow/pyFloat.js";
import {
  fitValue,
  keyProblem,
  sanitizeKey,
  validateExperimentName,
  validateKey,
  validateMetric,
  validateValue,
} from "../../src/tracking/mlflow/validation.js";

describe("keys", () => {
  it("accepts MLflow's key characters and refuses path tricks", () => {
    for (const key of ["loss", "val/loss", "model.C", "a-b_c:d e"]) expect(keyProblem(key)).toBeUndefined();
    for (const key of ["", "a/", "/a", "a//b", "./a", "a/../b", "..", ".", "a\\b", "é", "x".repeat(251), "a?b"]) {
      expect(keyProblem(key), key).toBeDefined();
    }
    expect(() => validateKey("param", "../x")).toThrow(/param key "..\/x" must not contain '.' or '..'/);
    expect(() => validateKey("metric", "x".repeat(251))).toThrow(/metric key .* at most 250 characters, got 251/);
  });

  it("sanitizes any string to a valid key", () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (raw) => keyProblem(sanitizeKey(raw)) === undefined));
    expect(sanitizeKey("learning rate (α)")).toBe("learning rate ___");
    expect(sanitizeKey("../a")).toBe("__/a");
  });
});

describe("values", () => {
  it("refuses wrong types and over-long values naming the key", () => {
    expect(() => validateValue("param", "p", 3)).toThrow(/param "p" value must be a string, got number/);
    expect(() => validateValue("param", "p", "x".repeat(6001))).toThrow(/at most 6000 characters, got 6001/);
    expect(validateValue("tag", "t", "x".repeat(8000))).toHaveLength(8000);
    expect(() => validateMetric("m", "1", 0, 0)).toThrow(/metric "m" value must be a finite number/);
    expect(() => validateMetric("m", NaN, 0, 0)).toThrow(/finite/);
    expect(() => validateMetric("m", 1, undefined, 0)).toThrow(/timestamp must be a non-negative integer/);
    expect(() => validateMetric("m", 1, 0, 0.5)).toThrow(/step must be an integer/);
    expect(() => validateExperimentName("x".repeat(501))).toThrow(TrackingValidationError);
    expect(validateExperimentName("x".repeat(500))).toHaveLength(500);
  });

  it("truncates over-long values to the limit and says which key", () => {
    const told: string[] = [];
    expect(fitValue("param", "big", "y".repeat(7000), (m) => told.push(m))).toHaveLength(6000);
    expect(fitValue("tag", "t", "short", (m) => told.push(m))).toBe("short");
    expect(told).toEqual(['param "big" is 7000 characters; MLflow keeps 6000, so it was truncated to 6000']);
  });

  it("refuses artifact paths that could leave the run folder", () => {
    for (const p of ["../a", "/abs", "a/../../b", "C:/x", "a\\b", "", "a//b"]) expect(() => validateArtifactPath(p), p).toThrow(TrackingValidationError);
    expect(validateArtifactPath("plots/loss.png")).toBe("plots/loss.png");
  });
});

describe("metric values as Python writes them", () => {
  it("matches repr(float)", () => {
    const cases: Array<[number, string]> = [
      [1, "1.0"], [0.5, "0.5"], [0, "0.0"], [-2, "-2.0"], [1e-5, "1e-05"], [0.0001, "0.0001"],
      [1e16, "1e+16"], [123456789012345.6, "123456789012345.6"], [1.5e-7, "1.5e-07"], [NaN, "nan"], [Infinity, "inf"],
    ];
    for (const [x, text] of cases) expect(pyFloat(x)).toBe(text);
  });

  it("reads back every double exactly", () => {
    fc.assert(fc.property(fc.double(), (x) => Object.is(parsePyFloat(pyFloat(x)), x) || (x === 0 && parsePyFloat(pyFloat(x)) === 0)));
  });
});

describe("flattenParams", () => {
  it("flattens nested objects and arrays to dotted keys with string values", () => {
    expect(flattenParams({ model: { kind: "svm", C: 1.5 }, layers: [8, 16], on: true, none: null, empty: {} })).toEqual([
      ["model.kind", "svm"], ["model.C", "1.5"], ["layers.0", "8"], ["layers.1", "16"], ["on", "true"], ["none", "null"], ["empty", "{}"],
    ]);
    expect(flattenParams(3)).toEqual([["value", "3"]]);
  });
});

describe("splitBatch", () => {
  it("keeps every entity once, within the limits, with no param key twice in a request", () => {
    const entity = fc.record({ key: fc.constantFrom("a", "b", "c", "d", "e", "f"), value: fc.constant("v") });
    fc.assert(
      fc.property(
        fc.array(entity, { maxLength: 300 }),
        fc.array(entity, { maxLength: 300 }),
        fc.integer({ min: 0, max: 2500 }),
        (params, tags, nMetrics) => {
          const metrics = Array.from({ length: nMetrics }, (_, i) => ({ key: "m", value: i, timestamp: i, step: i }));
          const parts = splitBatch({ runId: "r", metrics, params, tags });
          for (const part of parts) {
            expect(part.params.length).toBeLessThanOrEqual(100);
            expect(part.tags.length).toBeLessThanOrEqual(100);
            expect(part.metrics.length).toBeLessThanOrEqual(1000);
            expect(part.params.length + part.tags.length + part.metrics.length).toBeLessThanOrEqual(1000);
          }
          const keys = parts.flatMap((p) => p.params.map((q) => q.key));
          expect(new Set(keys).size).toBe(keys.length);
          expect(keys.sort()).toEqual([...new Set(params.map((p) => p.key))].sort());
          expect(parts.flatMap((p) => p.tags)).toEqual(tags);
          expect(parts.flatMap((p) => p.metrics)).toEqual(metrics);
        },
      ),
      { numRuns: 60 },
    );
  });
});
