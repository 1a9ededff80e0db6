import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fmin, hp, HyperoptArgumentError, rand, STATUS_FAIL, STATUS_OK, Trials, type Trial } from "../../src/index.js";
import { tempDir } from "../support/tempDir.js";

const space = { x: hp.uniform("x", 0, 1), m: hp.choice("m", [{ y: hp.uniform("y", 0, 1) }, { z: hp.randint("z", 3) }]) };
const quiet = { showProgressbar: false, algo: rand.suggest } as const;

const okTrial = (tid: number, loss: number, assignment: Record<string, number> = { x: 0.5, m: 1, z: 0 }): Trial => ({
  tid, status: "ok", assignment, params: {}, loss, startTime: 0, metrics: [],
});

describe("Trials in Hyperopt's spellings", () => {
  it("has losses(), statuses(), results, vals, bestTrial and argmin", async () => {
    let n = 0;
    const r = await fmin({
      fn: (p) => (n++ === 1 ? { status: STATUS_FAIL } : { loss: p.x, status: STATUS_OK, note: n }),
      space, maxEvals: 4, seed: 3, ...quiet,
    });
    const trials = r.trials;
    expect(trials.statuses()).toEqual(["ok", "fail", "ok", "ok"]);
    expect(trials.losses()).toEqual(trials.trials.map((t) => t.loss));
    expect(trials.losses()[1]).toBeUndefined();
    expect(trials.results.map((res) => res.status)).toEqual(["ok", "fail", "ok", "ok"]);
    expect(trials.results[0]).toEqual({ loss: trials.trials[0]?.loss, status: "ok", note: 1 });
    expect(trials.results[1]).toEqual({ loss: undefined, status: "fail" });
    expect(trials.vals.x).toEqual(trials.trials.map((t) => t.assignment.x));
    expect(trials.vals.m).toEqual(trials.trials.map((t) => t.assignment.m));
    const withY = trials.trials.filter((t) => t.assignment.m === 0).map((t) => t.assignment.y);
    expect(trials.vals.y ?? []).toEqual(withY);
    expect(trials.bestTrial).toBe(r.bestTrial);
    expect(trials.argmin).toEqual(r.best);
    expect([STATUS_OK, STATUS_FAIL]).toEqual(["ok", "fail"]);
  });
});

describe("NaN losses (ported from Hyperopt's tests)", () => {
  it("never lets a NaN loss win bestTrial, in the first trial or later", () => {
    const trials = new Trials([okTrial(0, Number.NaN), okTrial(1, 3), okTrial(2, Number.NaN), okTrial(3, 2)]);
    expect(trials.bestTrial?.tid).toBe(3);
    expect(new Trials([okTrial(0, Number.NaN)]).bestTrial).toBeUndefined();
  });

  it("keeps NaN as NaN through toJSON / JSON / fromJSON, not null", () => {
    const trials = new Trials([okTrial(0, Number.NaN), okTrial(1, 0.5)]);
    const restored = Trials.fromJSON(JSON.parse(JSON.stringify(trials)) as ReturnType<Trials["toJSON"]>);
    expect(restored.trials[0]?.loss).toBeNaN();
    expect(restored.bestTrial?.tid).toBe(1);
  });

  it("refuses a malformed history in fromJSON, naming the field", () => {
    const json = { format: "hyperopt-ts.trials", version: 1, trials: [{ ...okTrial(0, 1), loss: "low" }] } as never;
    expect(() => Trials.fromJSON(json)).toThrow(HyperoptArgumentError);
    expect(() => Trials.fromJSON(json)).toThrow('Trials.fromJSON: json.trials.0.loss must be a number, NaN or null (NaN in JSON), got "low"');
    expect(() => new Trials(5 as never)).toThrow(HyperoptArgumentError);
  });

  it("continues a hand-built history whose first loss is NaN without returning bestLoss NaN, also through a save file", async () => {
    const start = new Trials([okTrial(0, Number.NaN, { x: 0.1, m: 1, z: 2 })]);
    const file = join(tempDir("nan"), "trials.jsonl");
    const r = await fmin({ fn: (p) => p.x, space, maxEvals: 5, seed: 1, trials: start, trialsSaveFile: file, ...quiet });
    expect(r.bestLoss).not.toBeNaN();
    expect(r.bestTrial.tid).not.toBe(0);
    const again = await fmin({ fn: (p) => p.x, space, maxEvals: 7, trialsSaveFile: file, ...quiet });
    expect(again.trials.trials[0]?.loss).toBeNaN();
    expect(again.bestLoss).toBeLessThanOrEqual(r.bestLoss);
  });
});
