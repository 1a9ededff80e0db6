import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const build = join(root, `.hyperopt-build-test-${process.pid}`);
const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/** Runs the driver on the compiled package with plain node (no tsx in the process). */
function runBuilt(objective: string): unknown {
  return JSON.parse(execFileSync(process.execPath, [fixture("distDriver.mjs"), build, objective], { cwd: root, encoding: "utf8" }));
}

describe("WorkerTrials from the compiled package", { timeout: 30_000 }, () => {
  beforeAll(() => {
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json", "--outDir", build, "--declaration", "false", "--sourceMap", "false"], { cwd: root });
  }, 60_000);
  afterAll(() => rmSync(build, { recursive: true, force: true }));

  it("runs a TypeScript objective module without tsx in the process", () => {
    expect(runBuilt(fixture("quadratic.ts"))).toEqual([["ok", 2], ["ok", 2], ["ok", 2], ["ok", 2]]);
  });

  it("runs a JavaScript objective module", () => {
    expect(runBuilt(fixture("quadratic.mjs"))).toEqual([["ok", 0], ["ok", 0], ["ok", 0], ["ok", 0]]);
  });
});
