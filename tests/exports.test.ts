import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as root from "../src/index.js";
import * as benchmark from "../src/benchmark/index.js";
import * as space from "../src/space/index.js";
import * as tracking from "../src/tracking/index.js";

const repo = fileURLToPath(new URL("..", import.meta.url));

describe("the public surface", () => {
  it("keeps the root to what a Hyperopt user reaches for", () => {
    expect(Object.keys(root).sort()).toEqual(
      ["AllTrialsFailed", "HyperoptArgumentError", "QueueTrials", "STATUS_FAIL", "STATUS_OK", "Trials", "WorkerTrials", "anneal", "defineAlgorithm", "fmin", "grid", "gridSpace", "hp", "noProgressLoss", "rand", "spaceEval", "tpe"].sort(),
    );
    expect([root.STATUS_OK, root.STATUS_FAIL]).toEqual(["ok", "fail"]);
  });

  it("serves space internals, tracking and benchmarks from their subpaths", () => {
    expect(Object.keys(space)).toEqual(expect.arrayContaining(["compile", "sample", "spaceToJSON", "spaceFromJSON", "createRng"]));
    expect(Object.keys(tracking)).toEqual(expect.arrayContaining(["MlflowClient", "MlflowTracker", "openTracker", "resumeTrials", "FileStore", "RestStore"]));
    expect(Object.keys(benchmark)).toEqual(expect.arrayContaining(["runBenchmark", "publicProblems", "formatBenchmarkTable"]));
  });

  it("maps each subpath of package.json to the index module of its folder", () => {
    const pkg = JSON.parse(readFileSync(`${repo}/package.json`, "utf8")) as { exports: Record<string, { types: string; default: string }> };
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      const folder = subpath === "." ? "" : `${subpath.slice(2)}/`;
      expect(target.default).toBe(`./dist/${folder}index.js`);
      expect(target.types).toBe(`./dist/${folder}index.d.ts`);
      expect(existsSync(`${repo}/src/${folder}index.ts`)).toBe(true);
    }
    expect(Object.keys(pkg.exports).sort()).toEqual([".", "./benchmark", "./space", "./tracking"]);
  });
});
