import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { orderByValue } from "../../src/algorithms/tpe/componentOrder.js";
import type { GroupParam } from "../../src/algorithms/tpe/jointFit.js";
import { groupColumns } from "../../src/algorithms/tpe/observations.js";
import { paramModel } from "../../src/algorithms/tpe/paramModel.js";
import type { Trial } from "../../src/trials/trial.js";
import { historyOf } from "../../src/algorithms/tpe/history.js";

const params: GroupParam[] = [
  { label: "x", model: paramModel({ kind: "uniform", low: 0, high: 10 } as never) },
  { label: "q", model: paramModel({ kind: "quniform", low: 0, high: 5, q: 1 } as never) },
];

function trialsOf(values: readonly { x: number; q: number }[]): Trial[] {
  return values.map((assignment, tid) => ({ tid, status: "ok", assignment, params: assignment, loss: tid, startTime: 0, metrics: [] }));
}

describe("orderByValue", () => {
  it("equals a sort by (value, position) from scratch across a run of calls whose positions change a little, each a random subset at first", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ x: fc.double({ min: 0, max: 10, noNaN: true }), q: fc.integer({ min: 0, max: 5 }) }), { minLength: 1, maxLength: 300 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.double({ min: 0, max: 0.3, noNaN: true })), { minLength: 1, maxLength: 12 }),
        (values, calls) => {
          const cols = groupColumns(historyOf(trialsOf(values)), params);
          let keep = new Set<number>();
          for (const [index, [seed, small]] of calls.entries()) {
            const churn = index === 0 ? 1 : small;
            let state = seed;
            const next = (): number => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
            const now = new Set<number>();
            for (let pos = 0; pos < values.length; pos++) if (next() < churn ? next() < 0.5 : keep.has(pos)) now.add(pos);
            keep = now;
            const positions = Int32Array.from([...now].sort((a, b) => a - b));
            for (let d = 0; d < 2; d++) {
              const v = cols.values[d] as Float64Array;
              const expected = [...positions].sort((a, b) => (v[a] as number) - (v[b] as number) || a - b);
              expect([...orderByValue(cols, d, 1, positions)]).toEqual(expected);
            }
          }
        },
      ),
      { numRuns: 80 },
    );
  });
});
