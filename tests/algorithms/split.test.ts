import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { defaultPreset, hyperoptPreset, type TpeSettings } from "../../src/algorithms/tpe/presets.js";
import { belowCount, positionsOffAbove, sideCode, splitSides } from "../../src/algorithms/tpe/split.js";
import { lossOf, type Trial, type TrialStatus } from "../../src/trials/trial.js";
import { historyOf } from "../../src/algorithms/tpe/history.js";

/** The split by its definition: finished trials sorted by (loss, position), the first belowCount below. */
function splitByDefinition(trials: readonly Trial[], settings: TpeSettings): number[] {
  const finished = trials.map((t, pos) => ({ t, pos })).filter(({ t }) => t.status !== "running");
  finished.sort((a, b) => (lossOf(a.t) < lossOf(b.t) ? -1 : lossOf(a.t) > lossOf(b.t) ? 1 : a.pos - b.pos));
  const below = new Set(finished.slice(0, belowCount(finished.length, settings)).map(({ pos }) => pos));
  return trials.map((t, pos) => (below.has(pos) ? sideCode.below : t.status !== "running" || settings.constantLiar ? sideCode.above : 0));
}

const losses = [0, 1, 1, 2, 3.5, -1, Infinity, NaN];
const step = fc.oneof(
  fc.record({ op: fc.constant("add" as const), status: fc.constantFrom<TrialStatus>("ok", "ok", "ok", "running", "fail"), loss: fc.constantFrom(...losses) }),
  fc.record({ op: fc.constant("finish" as const), which: fc.nat(), loss: fc.constantFrom(...losses) }),
  fc.record({ op: fc.constant("replace" as const), which: fc.nat(), loss: fc.constantFrom(...losses) }),
  fc.record({ op: fc.constant("truncate" as const), which: fc.nat() }),
);

describe("splitSides", () => {
  it("equals the split by definition and a fresh computation (and knows its positions off the above side) while the history grows, running trials finish, and trials are replaced or dropped", () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 120 }), fc.constantFrom(defaultPreset, hyperoptPreset, { ...defaultPreset, constantLiar: false, gamma: 0.5 }), (steps, settings) => {
        const trials: Trial[] = [];
        const make = (status: TrialStatus, loss: number): Trial => ({ tid: trials.length, status, assignment: {}, params: {}, startTime: 0, metrics: [], ...(status === "ok" ? { loss } : {}) });
        for (const s of steps) {
          if (s.op === "add") trials.push(make(s.status, s.loss));
          else if (trials.length > 0 && s.op === "finish") {
            const running = trials.filter((t) => t.status === "running");
            const t = running[s.which % Math.max(running.length, 1)];
            if (t) Object.assign(t, { status: "ok", loss: s.loss });
          } else if (trials.length > 0 && s.op === "replace") trials[s.which % trials.length] = make("ok", s.loss);
          else if (s.op === "truncate") trials.length = Math.min(trials.length, s.which % 40);
          const cached = splitSides(historyOf(trials), settings);
          expect([...cached.side]).toEqual(splitByDefinition(trials, settings));
          expect([...cached.side]).toEqual([...splitSides(historyOf([...trials]), settings).side]);
          expect(cached.finished).toBe(trials.filter((t) => t.status !== "running").length);
          expect([...positionsOffAbove(cached.side)]).toEqual([...positionsOffAbove(Uint8Array.from(cached.side))]);
        }
      }),
      { numRuns: 60 },
    );
  });
});
