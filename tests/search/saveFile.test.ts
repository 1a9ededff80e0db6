import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { anneal, fmin, hp, rand, tpe, type Algorithm } from "../../src/index.js";
import { tempDir } from "../support/tempDir.js";

const space = {
  x: hp.uniform("x", -5, 5),
  opt: hp.choice("opt", [{ name: "sgd", lr: hp.loguniform("lr", -7, 0) }, { name: "adam" }]),
  n: hp.quniform("n", 1, 10, 1),
};
const loss = (p: { x: number; n: number; opt: { name: string } }) => (p.x - 1) ** 2 + p.n / 10 + (p.opt.name === "adam" ? 0 : 0.5);
const quiet = { showProgressbar: false } as const;
const tmp = () => join(tempDir("save"), "trials.jsonl");

/** Algorithms whose resumed searches must equal uninterrupted ones. */
const resumableAlgorithms: [string, Algorithm][] = [
  ["rand", rand.suggest],
  ["tpe", tpe.suggest],
  ["tpe hyperopt preset", tpe.hyperopt],
  ["anneal", anneal.suggest],
];

describe("trialsSaveFile", () => {
  it.each(resumableAlgorithms)("property (%s): a search resumed from its save file equals the uninterrupted one", async (_name, algo) => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 1, max: 39 }), async (seed, cut) => {
        const file = tmp();
        await fmin({ fn: loss, space, algo, maxEvals: cut, seed, trialsSaveFile: file, ...quiet });
        const resumed = await fmin({ fn: loss, space, algo, maxEvals: 40, trialsSaveFile: file, ...quiet });
        const whole = await fmin({ fn: loss, space, algo, maxEvals: 40, seed, ...quiet });
        const view = (r: typeof whole) => r.trials.trials.map((t) => [t.tid, t.assignment, t.loss]);
        expect(view(resumed)).toEqual(view(whole));
        expect(resumed.best).toEqual(whole.best);
      }),
      { numRuns: 15 },
    );
  });

  it("holds every finished trial after each trial, one JSON line each", async () => {
    const file = tmp();
    const lines: number[] = [];
    await fmin({
      fn: (p) => {
        lines.push(readFileSync(file, "utf8").trim().split("\n").length);
        return loss(p);
      },
      space, maxEvals: 5, seed: 1, trialsSaveFile: file, ...quiet,
    });
    expect(lines).toEqual([1, 2, 3, 4, 5]);
    const all = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(all[0]).toMatchObject({ format: "hyperopt-ts.trials", version: 1, seed: 1 });
    expect(all.slice(1).map((t) => t.tid)).toEqual([0, 1, 2, 3, 4]);
  });

  it("survives a line cut short by a crash, re-running that trial", async () => {
    const file = tmp();
    await fmin({ fn: loss, space, maxEvals: 4, seed: 5, trialsSaveFile: file, ...quiet });
    appendFileSync(file, '{"tid":4,"status":"ok","assig');
    const r = await fmin({ fn: loss, space, maxEvals: 6, trialsSaveFile: file, ...quiet });
    const whole = await fmin({ fn: loss, space, maxEvals: 6, seed: 5, ...quiet });
    expect(r.trials.trials.map((t) => t.assignment)).toEqual(whole.trials.trials.map((t) => t.assignment));
    expect(readFileSync(file, "utf8").trim().split("\n")).toHaveLength(7);
  });

  it("re-runs trials that were cancelled when the search stopped", async () => {
    const file = tmp();
    const controller = new AbortController();
    let calls = 0;
    await fmin({
      fn: (p, ctx) => {
        if (++calls === 3) {
          controller.abort();
          throw ctx.signal.reason as Error;
        }
        return loss(p);
      },
      space, maxEvals: 10, seed: 2, trialsSaveFile: file, signal: controller.signal, ...quiet,
    });
    const r = await fmin({ fn: loss, space, maxEvals: 10, trialsSaveFile: file, ...quiet });
    expect(r.trials.statuses()).toEqual(Array(10).fill("ok"));
    expect(r.trials.trials.map((t) => t.tid)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("refuses a save file written for another space, or another seed", async () => {
    const file = tmp();
    await fmin({ fn: loss, space, maxEvals: 2, seed: 1, trialsSaveFile: file, ...quiet });
    await expect(fmin({ fn: (p) => p.x, space: { x: hp.uniform("x", 0, 1) }, maxEvals: 3, trialsSaveFile: file, ...quiet })).rejects.toThrow(
      /holds a search over a different space/,
    );
    await expect(fmin({ fn: loss, space, maxEvals: 3, seed: 2, trialsSaveFile: file, ...quiet })).rejects.toThrow(
      /seed 2 differs from the seed 1 of the search being continued/,
    );
  });

  it("refuses a file that is not a save file, naming it", async () => {
    const file = tmp();
    writeFileSync(file, "hello\n");
    await expect(fmin({ fn: loss, space, maxEvals: 1, trialsSaveFile: file, ...quiet })).rejects.toThrow(/not a hyperopt-ts save file/);
    writeFileSync(file, `${JSON.stringify({ format: "hyperopt-ts.trials", version: 1 })}\n{"tid":"x"}\n{}\n`);
    await expect(fmin({ fn: loss, space, maxEvals: 1, trialsSaveFile: file, ...quiet })).rejects.toThrow(/line 2: tid must be a whole number >= 0, got "x"/);
  });
});
