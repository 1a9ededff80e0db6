import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fmin, hp, HyperoptArgumentError, rand, Trials } from "../../src/index.js";
import { MlflowClient, resumeTrials } from "../../src/tracking/index.js";
import { tempDir } from "../support/tempDir.js";

const relu = (x: number): number => Math.max(0, x);
const tanh = (x: number): number => Math.tanh(x);
const space = { act: hp.choice("act", [relu, tanh]), x: hp.uniform("x", -2, 2) };
const loss = (p: { act: (x: number) => number; x: number }): number => (p.act(p.x) - 0.5) ** 2;
const quiet = { showProgressbar: false, algo: rand.suggest } as const;
const tmp = (name: string): string => join(tempDir("nonjson"), name);

describe("choice options that are not JSON (functions)", () => {
  it("come back from the save file: a continued search rebuilds params from the live space", async () => {
    const file = tmp("trials.jsonl");
    await fmin({ fn: loss, space, maxEvals: 4, seed: 5, trialsSaveFile: file, ...quiet });
    const header = JSON.parse(readFileSync(file, "utf8").split("\n")[0] as string) as { space?: unknown; spaceShape?: { label: string }[] };
    expect(header.space).toBeUndefined();
    expect(header.spaceShape?.map((p) => p.label)).toEqual(["act", "x"]);
    const r = await fmin({ fn: loss, space, maxEvals: 8, trialsSaveFile: file, ...quiet });
    expect(r.trials.length).toBe(8);
    expect([relu, tanh]).toContain(r.bestParams.act);
    for (const t of r.trials.trials) expect((t.params as { act: unknown }).act).toBe([relu, tanh][t.assignment.act as number]);
  });

  it("still refuse a save file of another space, by its shape", async () => {
    const file = tmp("trials.jsonl");
    await fmin({ fn: loss, space, maxEvals: 2, seed: 5, trialsSaveFile: file, ...quiet });
    const other = { act: hp.choice("act", [relu, tanh, relu]), x: hp.uniform("x", -2, 2) };
    await expect(fmin({ fn: loss, space: other, maxEvals: 4, trialsSaveFile: file, ...quiet })).rejects.toThrow(/trialsSaveFile holds a search over a different space/);
  });

  it("come back from a Trials passed to a later fmin and from Trials.fromJSON", async () => {
    const first = await fmin({ fn: loss, space, maxEvals: 3, seed: 2, ...quiet });
    const restored = Trials.fromJSON(JSON.parse(JSON.stringify(first.trials)) as ReturnType<Trials["toJSON"]>);
    expect(restored.spaceShape?.map((p) => p.label)).toEqual(["act", "x"]);
    const r = await fmin({ fn: loss, space, maxEvals: 5, trials: restored, ...quiet });
    expect([relu, tanh]).toContain(r.bestParams.act);
    expect(r.trials.trials.every((t) => typeof (t.params as { act: unknown }).act === "function")).toBe(true);
  });

  it("refuse a history whose assignments do not fit the space, naming the trial", async () => {
    const first = await fmin({ fn: loss, space, maxEvals: 2, seed: 2, ...quiet });
    const narrower = { act: hp.choice("act", [relu]), y: hp.uniform("y", 0, 1) };
    first.trials.spaceShape = undefined;
    const e = await fmin({ fn: () => 0, space: narrower, maxEvals: 3, trials: first.trials, ...quiet }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(HyperoptArgumentError);
    expect((e as Error).message).toMatch(/^fmin: trial 0 of trials does not fit the space: /);
  });

  it("are tracked in a file store with the parent and every child run, and resume from it", async () => {
    const uri = `file:${tmp("mlruns")}`;
    const r = await fmin({ fn: loss, space, maxEvals: 4, seed: 9, tracking: uri, experiment: "fns", ...quiet });
    const client = new MlflowClient(uri);
    const experimentId = await client.experimentId("fns");
    const runs = await client.searchRuns({ experimentIds: [experimentId as string] });
    await client.close();
    const parents = runs.filter((run) => run.data.tags["mlflow.parentRunId"] === undefined);
    expect(parents).toHaveLength(1);
    expect(parents[0]?.info.status).toBe("FINISHED");
    expect(runs.filter((run) => run.data.tags["mlflow.parentRunId"] === parents[0]?.info.runId)).toHaveLength(4);
    const resumed = await resumeTrials(uri, parents[0]?.info.runId as string);
    const more = await fmin({ fn: loss, space, maxEvals: 6, trials: resumed, ...quiet });
    expect(more.trials.length).toBe(6);
    expect(more.bestLoss).toBeLessThanOrEqual(r.bestLoss);
    expect([relu, tanh]).toContain(more.bestParams.act);
  });
});
