import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fmin, hp, HyperoptArgumentError, rand, WorkerTrials } from "../../src/index.js";

const space = { x: hp.uniform("x", 0, 1) };
const dir = mkdtempSync(join(tmpdir(), "hyperopt-transpile-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function objective(name: string, code: string): string {
  const file = join(dir, name);
  writeFileSync(file, code);
  return file;
}

describe("TypeScript objectives on WorkerTrials", { timeout: 30_000 }, () => {
  it("are compiled once in the main thread: the workers load JavaScript, not tsx", async () => {
    objective("helper.ts", "export const twice = (v: number): number => v * 2;\n");
    const fn = objective(
      "loaders.ts",
      [
        'import { twice } from "./helper.js";',
        "export default (p: { x: number }): { loss: number; self: string } => ({ loss: twice(p.x), self: import.meta.url });",
      ].join("\n"),
    );
    const trials = new WorkerTrials({ parallelism: 2 });
    await fmin({ fn, space, algo: rand.suggest, maxEvals: 4, seed: 1, trials, showProgressbar: false });
    expect(trials.statuses()).toEqual(["ok", "ok", "ok", "ok"]);
    expect(trials.trials.map((t) => t.loss)).toEqual(trials.trials.map((t) => (t.params as { x: number }).x * 2));
    expect(trials.trials[0]?.result?.self).toMatch(/\/\.loaders\.ts\.\d+-[0-9a-f]{8}\.hyperopt\.mjs$/);
    expect(readdirSync(dir).filter((f) => f.endsWith(".hyperopt.mjs"))).toEqual([]);
  });

  it("removes the compiled copies that killed processes left behind, and only those", async () => {
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    const orphan = objective(`.orphan.ts.${dead}-0123abcd.hyperopt.mjs`, "export default () => 0;\n");
    const alive = objective(`.orphan.ts.${process.pid}-4567cdef.hyperopt.mjs`, "export default () => 0;\n");
    const fn = objective("orphan.ts", "export default (p: { x: number }): number => p.x;\n");
    await fmin({ fn, space, maxEvals: 1, trials: new WorkerTrials({ parallelism: 1 }), showProgressbar: false });
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(alive)).toBe(true);
    rmSync(alive);
  });

  it("keeps the TypeScript lines in the stacks of errors the objective throws", async () => {
    const fn = objective("throws.ts", ["type P = { x: number };", "export default (p: P): number => {", '  throw new Error("no " + p.x);', "};"].join("\n"));
    const trials = new WorkerTrials({ parallelism: 1 });
    await expect(fmin({ fn, space, maxEvals: 1, trials, showProgressbar: false })).rejects.toThrow(/all 1 trials failed/);
    expect(trials.trials[0]?.error?.stack).toMatch(/throws\.ts:3/);
  });

  it("that do not compile fail the search with an fn error naming the file and line", async () => {
    const fn = objective("broken.ts", "export default (p: { x: number }): number => {\n  return p.x +;\n};\n");
    const failure = fmin({ fn, space, maxEvals: 2, trials: new WorkerTrials({ parallelism: 1 }), showProgressbar: false });
    await expect(failure).rejects.toThrow(HyperoptArgumentError);
    await expect(failure).rejects.toThrow(/fn: the objective module .*broken\.ts does not compile: .*broken\.ts:2:\d+: /);
  });
});
