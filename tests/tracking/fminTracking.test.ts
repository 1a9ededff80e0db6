import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fmin, hp, WorkerTrials, type SearchTracker } from "../../src/index.js";
import { MlflowClient, resumeTrials } from "../../src/tracking/index.js";
import { MlflowTestServer } from "../support/mlflowServer.js";
import { tempDir } from "../support/tempDir.js";

const space = { x: hp.uniform("x", -2, 2), m: hp.choice("m", [{ k: "a", c: hp.loguniform("c", -3, 3) }, { k: "b" }]) };
const fn = (p: { x: number }) => p.x ** 2;
const quiet = { showProgressbar: false } as const;
let server: MlflowTestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
  vi.unstubAllEnvs();
});

async function childRuns(uri: string, experiment: string) {
  const client = new MlflowClient(uri);
  const experimentId = await client.experimentId(experiment);
  const runs = await client.searchRuns({ experimentIds: [experimentId as string] });
  await client.close();
  const parents = runs.filter((r) => r.data.tags["mlflow.parentRunId"] === undefined);
  const children = runs.filter((r) => r.data.tags["mlflow.parentRunId"] !== undefined);
  return { parents, children };
}

describe("fmin with tracking", () => {
  it("records the search as a parent run with a child run per trial in a file store", async () => {
    const dir = tempDir("fmin-track");
    const uri = `file:${join(dir, "mlruns")}`;
    const r = await fmin({ fn, space, maxEvals: 6, seed: 3, tracking: uri, experiment: "demo", runName: "search-1", ...quiet });
    const { parents, children } = await childRuns(uri, "demo");
    expect(parents).toHaveLength(1);
    const parent = parents[0]!;
    expect(parent.info.runName).toBe("search-1");
    expect(parent.info.status).toBe("FINISHED");
    expect(parent.data.metrics.best_loss).toBe(r.bestLoss);
    expect(parent.data.metrics.n_trials).toBe(6);
    expect(parent.data.tags["hyperopt.seed"]).toBe("3");
    expect(children).toHaveLength(6);
    for (const child of children) {
      expect(child.data.tags["mlflow.parentRunId"]).toBe(parent.info.runId);
      expect(child.info.runName).toMatch(/^trial-\d$/);
      expect(child.data.params.x).toBeDefined();
    }
    const artifacts = readdirSync(join(dir, "mlruns"), { recursive: true }).map(String);
    expect(artifacts.some((p) => p.endsWith(join("artifacts", "trials.json")))).toBe(true);
  });

  it("uses MLFLOW_TRACKING_URI when no tracking option is given, and records nothing without either", async () => {
    const dir = tempDir("fmin-env");
    vi.stubEnv("MLFLOW_TRACKING_URI", join(dir, "env-runs"));
    await fmin({ fn, space, maxEvals: 2, seed: 1, ...quiet });
    expect(existsSync(join(dir, "env-runs", "0", "meta.yaml"))).toBe(true);
    vi.stubEnv("MLFLOW_TRACKING_URI", "");
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      await fmin({ fn, space, maxEvals: 2, seed: 1, ...quiet });
      expect(readdirSync(dir)).toEqual(["env-runs"]);
    } finally {
      process.chdir(cwd);
    }
  });

  it("continues a search read back from an MLflow server exactly", async () => {
    server = await new MlflowTestServer().start();
    const spool = tempDir("fmin-spool");
    const cwd = process.cwd();
    process.chdir(spool);
    try {
      const first = await fmin({ fn, space, maxEvals: 5, seed: 11, tracking: server.url, experiment: "resume", ...quiet });
      const { parents } = await childRuns(server.url, "resume");
      const trials = await resumeTrials(server.url, parents[0]!.info.runId);
      expect(trials.seed).toBe(11);
      expect(trials.trials.map((t) => [t.tid, t.assignment, t.loss])).toEqual(first.trials.trials.map((t) => [t.tid, t.assignment, t.loss]));
      const continued = await fmin({ fn, space, maxEvals: 9, trials, ...quiet });
      const whole = await fmin({ fn, space, maxEvals: 9, seed: 11, ...quiet });
      expect(continued.trials.trials.map((t) => t.assignment)).toEqual(whole.trials.trials.map((t) => t.assignment));
    } finally {
      process.chdir(cwd);
    }
  });

  it("gives a custom tracker every event in order", async () => {
    const events: string[] = [];
    const tracker: SearchTracker = {
      startSearch: (info) => events.push(`start seed=${info.seed} runName=${info.runName}`),
      trialStarted: (t) => events.push(`started ${t.tid}`),
      trialMetric: (tid, m) => events.push(`metric ${tid} ${m.name}=${m.value}@${m.step}`),
      trialFinished: (t) => events.push(`finished ${t.tid} ${t.status}`),
      endSearch: async (s) => void events.push(`end ${s.status} n=${s.nTrials} failed=${s.nFailed} best=${s.bestTrial?.tid}`),
    };
    await fmin({
      fn: (p, ctx) => {
        ctx.report("acc", 1);
        if (ctx.trialId === 1) throw new Error("x");
        return p.x ** 2;
      },
      space, maxEvals: 2, seed: 1, tracker, runName: "r", ...quiet,
    });
    expect(events).toEqual([
      "start seed=1 runName=r",
      "started 0",
      "metric 0 acc=1@0",
      "finished 0 ok",
      "started 1",
      "metric 1 acc=1@0",
      "finished 1 fail",
      "end finished n=2 failed=1 best=0",
    ]);
  });

  it("writes the save file beside the tracking records", async () => {
    const dir = tempDir("fmin-both");
    await fmin({ fn, space, maxEvals: 3, seed: 1, tracking: join(dir, "runs"), trialsSaveFile: join(dir, "t.jsonl"), ...quiet });
    expect(readFileSync(join(dir, "t.jsonl"), "utf8").trim().split("\n")).toHaveLength(4);
  });

  it("logs what objectives on worker threads report as step-wise metrics of their trial's run", async () => {
    const dir = tempDir("fmin-workers");
    const uri = join(dir, "mlruns");
    await fmin({
      fn: new URL("../fixtures/quadratic.ts", import.meta.url),
      space: { x: hp.uniform("x", -3, 3) },
      maxEvals: 4,
      seed: 2,
      trials: new WorkerTrials({ parallelism: 2 }),
      tracking: uri,
      experiment: "workers",
      ...quiet,
    });
    const { children } = await childRuns(uri, "workers");
    expect(children).toHaveLength(4);
    const client = new MlflowClient(uri);
    for (const child of children) {
      const half = await client.getMetricHistory(child.info.runId, "half");
      expect(half.map((m) => [m.value, m.step])).toEqual([[(child.data.metrics.loss as number) / 2, 0]]);
      const loss = await client.getMetricHistory(child.info.runId, "loss");
      expect(loss.map((m) => m.step).sort()).toEqual([0, 7]);
    }
    await client.close();
  });
});
