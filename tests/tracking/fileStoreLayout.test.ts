import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parse } from "yaml";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileStore } from "../../src/tracking/mlflow/fileStore.js";
import { MlflowTracker } from "../../src/tracking/mlflowTracker.js";
import { runFixtureSearch, T0 } from "../support/searchFixture.js";

let root: string;
let warnings: string[];

beforeEach(async () => {
  root = join(await mkdtemp(join(tmpdir(), "hyperopt-fs-")), "mlruns");
  warnings = [];
});
afterEach(async () => {
  await rm(join(root, ".."), { recursive: true, force: true });
});

async function read(...parts: string[]): Promise<string> {
  return readFile(join(root, ...parts), "utf8");
}

async function yamlAt(...parts: string[]): Promise<Record<string, unknown>> {
  return parse(await read(...parts)) as Record<string, unknown>;
}

async function runDirs(experimentId: string): Promise<string[]> {
  return (await readdir(join(root, experimentId))).filter((e) => /^[0-9a-f]{32}$/.test(e));
}

describe("file store layout of a tracked search", () => {
  beforeEach(async () => {
    await runFixtureSearch(new MlflowTracker(new FileStore(root), { warn: (m) => warnings.push(m) }));
  });

  it("writes the Default experiment, .trash and a new experiment with a large decimal id", async () => {
    const entries = (await readdir(root)).sort();
    expect(entries).toContain(".trash");
    expect(entries).toContain("0");
    expect(await yamlAt("0", "meta.yaml")).toEqual({
      artifact_location: pathToFileURL(join(root, "0")).href,
      creation_time: expect.any(Number),
      experiment_id: "0",
      last_update_time: expect.any(Number),
      lifecycle_stage: "active",
      name: "Default",
    });
    expect(await read("0", "meta.yaml")).toContain("experiment_id: '0'\n");
    const experimentId = entries.find((e) => /^\d{6,}$/.test(e));
    expect(experimentId).toBeDefined();
    const meta = await yamlAt(experimentId as string, "meta.yaml");
    expect(meta).toMatchObject({ experiment_id: experimentId, name: "iris-svm", lifecycle_stage: "active" });
    expect(Object.keys(meta)).toEqual(["artifact_location", "creation_time", "experiment_id", "last_update_time", "lifecycle_stage", "name"]);
    expect(warnings).toEqual([]);
  });

  it("writes a parent run and one child per trial with MLflow's meta.yaml fields and status integers", async () => {
    const experimentId = (await readdir(root)).find((e) => /^\d{6,}$/.test(e)) as string;
    const runs = await runDirs(experimentId);
    expect(runs).toHaveLength(4);
    const metas = await Promise.all(runs.map((r) => yamlAt(experimentId, r, "meta.yaml")));
    for (const [i, meta] of metas.entries()) {
      expect(Object.keys(meta)).toEqual([
        "artifact_uri", "end_time", "entry_point_name", "experiment_id", "lifecycle_stage", "run_id", "run_name",
        "source_name", "source_type", "source_version", "start_time", "status", "tags", "user_id",
      ]);
      expect(meta).toMatchObject({
        artifact_uri: pathToFileURL(join(root, experimentId, runs[i] as string, "artifacts")).href,
        entry_point_name: "",
        experiment_id: experimentId,
        lifecycle_stage: "active",
        run_id: runs[i],
        source_name: "",
        source_type: 4,
        source_version: "",
        tags: [],
      });
    }
    const byName = new Map(metas.map((m) => [m.run_name, m]));
    expect(byName.get("search-1")).toMatchObject({ status: 3, start_time: T0, end_time: T0 + 7000 });
    expect(byName.get("trial-0")).toMatchObject({ status: 3, start_time: T0 + 1000, end_time: T0 + 3500 });
    expect(byName.get("trial-1")).toMatchObject({ status: 4, start_time: T0 + 4000, end_time: T0 + 4200 });
    expect(byName.get("trial-2")).toMatchObject({ status: 3 });
    const parentId = byName.get("search-1")?.run_id as string;
    for (const name of ["trial-0", "trial-1", "trial-2"]) {
      const runId = byName.get(name)?.run_id as string;
      expect(await read(experimentId, runId, "tags", "mlflow.parentRunId")).toBe(parentId);
      expect(await read(experimentId, runId, "tags", "mlflow.runName")).toBe(name);
    }
  });

  it("writes params and tags raw, metrics as '<ts> <value> <step>' lines, artifacts under artifacts/", async () => {
    const experimentId = (await readdir(root)).find((e) => /^\d{6,}$/.test(e)) as string;
    const runs = await runDirs(experimentId);
    const names = await Promise.all(runs.map((r) => read(experimentId, r, "tags", "mlflow.runName")));
    const dir = (name: string): string => runs[names.indexOf(name)] as string;

    const trial0 = dir("trial-0");
    expect((await readdir(join(root, experimentId, trial0, "params"))).sort()).toEqual(
      ["layers.0", "layers.1", "lr", "model.C", "model.kind", "note"],
    );
    expect(await read(experimentId, trial0, "params", "model.C")).toBe("2.5");
    expect(await read(experimentId, trial0, "params", "model.kind")).toBe("svm");
    expect(await read(experimentId, trial0, "params", "note")).toBe("first");
    expect(await read(experimentId, trial0, "metrics", "val_loss")).toBe(`${T0 + 1500} 0.8 0\n${T0 + 2500} 0.6 1\n`);
    expect(await read(experimentId, trial0, "metrics", "loss")).toBe(`${T0 + 3500} 0.5 0\n`);
    expect(await read(experimentId, trial0, "metrics", "duration_s")).toBe(`${T0 + 3500} 2.5 0\n`);
    expect(await read(experimentId, trial0, "metrics", "accuracy")).toBe(`${T0 + 3500} 0.9 0\n`);
    expect(await read(experimentId, trial0, "tags", "phase")).toBe("warmup");
    expect(await read(experimentId, trial0, "tags", "hyperopt.tid")).toBe("0");
    expect(await read(experimentId, trial0, "tags", "hyperopt.status")).toBe("ok");
    expect(JSON.parse(await read(experimentId, trial0, "tags", "hyperopt.assignment"))).toEqual({ lr: 0.01, model: 0 });

    const trial1 = dir("trial-1");
    expect(await read(experimentId, trial1, "params", "layers")).toBe("[]");
    expect(await read(experimentId, trial1, "tags", "error.kind")).toBe("exception");
    expect(await read(experimentId, trial1, "tags", "error.message")).toBe("diverged");
    expect(await readdir(join(root, experimentId, trial1, "metrics"))).toEqual(["duration_s"]);

    const parent = dir("search-1");
    expect(await read(experimentId, parent, "params", "maxEvals")).toBe("3");
    expect(await read(experimentId, parent, "params", "best.lr")).toBe("0.001");
    expect(await read(experimentId, parent, "params", "best.model.kind")).toBe("svm");
    expect(await read(experimentId, parent, "metrics", "best_loss")).toBe(`${T0 + 7000} 0.25 0\n`);
    expect(await read(experimentId, parent, "metrics", "n_trials")).toBe(`${T0 + 7000} 3.0 0\n`);
    expect(await read(experimentId, parent, "metrics", "n_failed")).toBe(`${T0 + 7000} 1.0 0\n`);
    expect(await read(experimentId, parent, "tags", "hyperopt.algorithm")).toBe("tpe");
    expect(await read(experimentId, parent, "tags", "hyperopt.seed")).toBe("42");
    expect(await read(experimentId, parent, "tags", "mlflow.source.type")).toBe("LOCAL");
    expect(await read(experimentId, parent, "tags", "hyperopt.version")).toBe("0.1.0");
    expect(await read(experimentId, parent, "tags", "mlflow.user")).not.toBe("");
    expect(JSON.parse(await read(experimentId, parent, "tags", "hyperopt.space"))).toEqual({ lr: { kind: "loguniform", label: "lr" } });
    const trialsJson = JSON.parse(await read(experimentId, parent, "artifacts", "trials.json")) as unknown[];
    expect(trialsJson).toHaveLength(3);
  });
});

describe("file store safety", () => {
  it("never writes outside its folder, whatever a key or artifact path says", async () => {
    const store = new FileStore(root);
    const experimentId = await store.getOrCreateExperiment("safety");
    const run = await store.createRun({ experimentId, runName: "r", startTime: T0, userId: "u", tags: [] });
    const bad = ["../escape", "/etc/escape", "a/../../escape", "./a", "a//b", "a/"];
    for (const key of bad) {
      await expect(store.logBatch({ runId: run.runId, metrics: [], params: [{ key, value: "x" }], tags: [] })).rejects.toThrow(/param key/);
      await expect(store.logBatch({ runId: run.runId, metrics: [{ key, value: 1, timestamp: T0, step: 0 }], params: [], tags: [] })).rejects.toThrow(/metric key/);
      await expect(store.logArtifact(run.runId, key, new Uint8Array([1]))).rejects.toThrow(/artifact path/);
    }
    await expect(store.logArtifact(run.runId, "..\\escape", new Uint8Array([1]))).rejects.toThrow(/artifact path/);
    await expect(store.getRun("../../x")).rejects.toThrow(/does not exist/);
    expect((await readdir(join(root, ".."))).sort()).toEqual(["mlruns"]);
  });

  it("refuses changing a param and the same param twice in one batch", async () => {
    const store = new FileStore(root);
    const run = await store.createRun({ experimentId: "0", runName: "r", startTime: T0, userId: "u", tags: [] });
    await store.logBatch({ runId: run.runId, metrics: [], params: [{ key: "a", value: "1" }], tags: [] });
    await store.logBatch({ runId: run.runId, metrics: [], params: [{ key: "a", value: "1" }], tags: [] });
    await expect(store.logBatch({ runId: run.runId, metrics: [], params: [{ key: "a", value: "2" }], tags: [] })).rejects.toThrow(/cannot change/);
    await expect(
      store.logBatch({ runId: run.runId, metrics: [], params: [{ key: "b", value: "1" }, { key: "b", value: "1" }], tags: [] }),
    ).rejects.toThrow(/twice/);
  });

  it("puts a '/' key in a subfolder and reads it back", async () => {
    const store = new FileStore(root);
    const run = await store.createRun({ experimentId: "0", runName: "r", startTime: T0, userId: "u", tags: [] });
    await store.logBatch({ runId: run.runId, metrics: [{ key: "val/loss", value: 1e-7, timestamp: T0, step: 3 }], params: [], tags: [] });
    expect(await readFile(join(root, "0", run.runId, "metrics", "val", "loss"), "utf8")).toBe(`${T0} 1e-07 3\n`);
    expect((await store.getRun(run.runId)).data.metrics).toEqual({ "val/loss": 1e-7 });
    expect(await store.getMetricHistory(run.runId, "val/loss")).toEqual([{ key: "val/loss", value: 1e-7, timestamp: T0, step: 3 }]);
  });
});
