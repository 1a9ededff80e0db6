import { describe, expect, it } from "vitest";
import { historyOf } from "../../src/algorithms/tpe/history.js";
import type { Trial } from "../../src/trials/trial.js";

const trial = (tid: number): Trial => ({ tid, status: "running", assignment: { x: tid }, params: {}, startTime: 0, metrics: [] });

describe("historyOf", () => {
  it("keeps the epoch while the array only grows or its trials finish in place, and changes it otherwise", () => {
    const trials = [trial(0), trial(1)];
    const first = historyOf(trials);
    expect(first.trials).toBe(trials);
    trials.push(trial(2));
    Object.assign(trials[0] as Trial, { status: "ok", loss: 1 });
    expect(historyOf(trials).epoch).toBe(first.epoch);
    trials[1] = trial(1);
    const replaced = historyOf(trials).epoch;
    expect(replaced).not.toBe(first.epoch);
    trials.length = 2;
    const truncated = historyOf(trials).epoch;
    expect(truncated).not.toBe(replaced);
    trials.push(trial(5));
    expect(historyOf(trials).epoch).toBe(truncated);
  });

  it("gives each array its own epoch, even with the same trial objects", () => {
    const trials = [trial(0), trial(1)];
    expect(historyOf([...trials]).epoch).not.toBe(historyOf(trials).epoch);
  });
});
