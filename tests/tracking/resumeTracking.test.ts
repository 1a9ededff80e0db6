import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fmin, hp } from "../../src/index.js";
import { MlflowClient, resumeTrials } from "../../src/tracking/index.js";
import { useTempDir } from "../support/tempDir.js";

const space = { x: hp.uniform("x", -2, 2), y: hp.uniform("y", -2, 2) };
const fn = (p: { x: number; y: number }) => p.x ** 2 + p.y ** 2;
const quiet = { showProgressbar: false, handleSignals: false } as const;
const dir = useTempDir("resume-track");

async function runsOf(uri: string, experiment: string) {
  const client = new MlflowClient(uri);
  const runs = await client.searchRuns({ experimentIds: [(await client.experimentId(experiment)) as string] });
  await client.close();
  return {
    parents: runs.filter((r) => r.data.tags["mlflow.parentRunId"] === undefined),
    children: runs.filter((r) => r.data.tags["mlflow.parentRunId"] !== undefined),
  };
}

describe("a search continued from MLflow with resumeTrials", () => {
  const stores: Array<[string, () => string]> = [
    ["SQLite", () => `sqlite:///${join(dir(), "mlflow.db")}`],
    ["the file store", () => `file:${join(dir(), "mlruns")}`],
  ];
  it.each(stores)("goes on under the same parent run in %s: 8 old + 4 new trials are 12 child runs", async (_name, uriOf) => {
    const uri = uriOf();
    await fmin({ fn, space, maxEvals: 8, seed: 5, tracking: uri, experiment: "resumed", runName: "search", ...quiet });
    const before = await runsOf(uri, "resumed");
    const parentId = before.parents[0]?.info.runId as string;
    const trials = await resumeTrials(uri, parentId);
    const continued = await fmin({ fn, space, maxEvals: 12, trials, tracking: uri, ...quiet });
    const after = await runsOf(uri, "resumed");
    expect(after.parents.map((p) => p.info.runId)).toEqual([parentId]);
    expect(after.children).toHaveLength(12);
    expect(after.children.every((c) => c.data.tags["mlflow.parentRunId"] === parentId)).toBe(true);
    expect(after.children.map((c) => c.info.runName).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `trial-${i}`).sort());
    const parent = after.parents[0];
    expect(parent?.data.metrics.n_trials).toBe(12);
    expect(parent?.data.metrics.best_loss).toBe(continued.bestLoss);
    expect(parent?.data.tags["hyperopt.best_tid"]).toBe(String(continued.bestTrial.tid));
    expect(parent?.info.status).toBe("FINISHED");
  });

  it("records into the store it came from when fmin is not told where", async () => {
    const uri = `sqlite:///${join(dir(), "mlflow.db")}`;
    await fmin({ fn, space, maxEvals: 3, seed: 1, tracking: uri, experiment: "implicit", ...quiet });
    const parentId = (await runsOf(uri, "implicit")).parents[0]?.info.runId as string;
    await fmin({ fn, space, maxEvals: 5, trials: await resumeTrials(uri, parentId), ...quiet });
    const after = await runsOf(uri, "implicit");
    expect(after.parents).toHaveLength(1);
    expect(after.children).toHaveLength(5);
  });
});

describe("a search continued from its save file", () => {
  it("logs only the trials it runs, under its own parent run", async () => {
    const uri = `sqlite:///${join(dir(), "mlflow.db")}`;
    const trialsSaveFile = join(dir(), "search.jsonl");
    await fmin({ fn, space, maxEvals: 5, seed: 2, trialsSaveFile, tracking: uri, experiment: "saved", runName: "first", ...quiet });
    await fmin({ fn, space, maxEvals: 8, trialsSaveFile, tracking: uri, experiment: "saved", runName: "second", ...quiet });
    const { parents, children } = await runsOf(uri, "saved");
    const count = (name: string) => children.filter((c) => c.data.tags["mlflow.parentRunId"] === parents.find((p) => p.info.runName === name)?.info.runId).length;
    expect([count("first"), count("second")]).toEqual([5, 3]);
  });
});
