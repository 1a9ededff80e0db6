import type { Algorithm } from "../../src/algorithms/algorithm.js";
import { compile } from "../../src/space/compile.js";
import { spaceEval } from "../../src/space/spaceEval.js";
import type { Trial } from "../../src/trials/trial.js";

/** Runs `algo` alone for up to `n` trials on `space`, each scored at once by `loss` of its params (no fmin). */
export function runAlgorithm(algo: Algorithm, space: unknown, n: number, seed: number, loss: (params: any) => number): Trial[] {
  const compiled = compile(space);
  const trials: Trial[] = [];
  for (let tid = 0; tid < n; tid++) {
    const assignment = algo({ space: compiled, trials, tid, seed });
    if (assignment === null) break;
    const params = spaceEval(space, assignment);
    trials.push({ tid, status: "ok", assignment, params, loss: loss(params), startTime: 0, metrics: [] });
  }
  return trials;
}
