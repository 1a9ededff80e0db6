import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MlflowClient } from "../../src/tracking/mlflow/client.js";
import { TrackingValidationError } from "../../src/tracking/mlflow/errors.js";
import { FileStore } from "../../src/tracking/mlflow/fileStore.js";
import { MlflowTracker } from "../../src/tracking/mlflowTracker.js";
import { openTracker } from "../../src/tracking/openTracker.js";
import { RestStore } from "../../src/tracking/mlflow/restStore.js";
import { MlflowTestServer } from "../support/mlflowServer.js";

let dir: string;
let server: MlflowTestServer | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hyperopt-client-"));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe("MlflowClient", () => {
  it("logs a nested run outside fmin and finds it again", async () => {
    const client = new MlflowClient(`file:${join(dir, "mlruns")}`, { warn: () => undefined });
    const parent = await client.startRun({ experiment: "manual", runName: "outer" });
    const run = await client.startRun({ experiment: "manual", runName: "inner", parentRunId: parent.runId, tags: { team: "ml" } });
    await run.logParams({ lr: 0.1, deep: true, name: "net" });
    await run.logMetrics({ loss: 0.3 }, { step: 1, timestamp: 1000 });
    await run.logMetrics({ loss: 0.2 }, { step: 2, timestamp: 2000 });
    await writeFile(join(dir, "notes.txt"), "hello");
    await run.logArtifact(join(dir, "notes.txt"), "docs/notes.txt");
    await run.endRun("FINISHED", 3000);

    const got = await run.get();
    expect(got.data.params).toEqual({ lr: "0.1", deep: "true", name: "net" });
    expect(got.data.metrics).toEqual({ loss: 0.2 });
    expect(got.data.tags).toMatchObject({ team: "ml", "mlflow.parentRunId": parent.runId, "mlflow.runName": "inner" });
    expect(got.info).toMatchObject({ status: "FINISHED", endTime: 3000 });
    expect(await client.getMetricHistory(run.runId, "loss")).toHaveLength(2);
    const children = await client.searchRuns({ experimentIds: [run.experimentId], filter: `tags.mlflow.parentRunId = '${parent.runId}'` });
    expect(children.map((r) => r.info.runId)).toEqual([run.runId]);
    await client.close();
  });

  it("validates at the edge with errors naming the argument", async () => {
    const client = new MlflowClient(join(dir, "mlruns"));
    const run = await client.startRun();
    await expect(run.logParams({ "bad key!": 1 })).rejects.toThrow(/param key "bad key!" may only contain/);
    await expect(run.logMetrics({ loss: Number.NaN })).rejects.toThrow(/metric "loss" value must be a finite number/);
    await expect(run.logParams([] as unknown as Record<string, string>)).rejects.toThrow(/params must be an object/);
    await expect(run.setTags({ t: 1 as unknown as string })).rejects.toThrow(/tag "t" value must be a string/);
    await expect(run.endRun("DONE" as never)).rejects.toThrow(TrackingValidationError);
    await expect(run.logArtifact(join(dir, "missing.txt"))).rejects.toThrow(/cannot be read/);
    await expect(client.startRun({ experiment: "" })).rejects.toThrow(/experiment name must be a non-empty string/);
    await expect(client.startRun({ parentRunId: "../x" })).rejects.toThrow(/run id/);
    await run.logParams({ a: 1 });
    await expect(run.logParams({ a: 2 })).rejects.toThrow(/cannot change/);
  });
});

describe("openTracker", () => {
  it("uses the explicit URI, else MLFLOW_TRACKING_URI, else returns undefined", () => {
    expect(openTracker({ env: {} })).toBeUndefined();
    expect(openTracker({ env: { MLFLOW_TRACKING_URI: join(dir, "a") } })).toBeInstanceOf(MlflowTracker);
    expect(openTracker({ tracking: `file://${join(dir, "b")}`, env: {} })).toBeInstanceOf(MlflowTracker);
    expect(() => openTracker({ tracking: "s3://bucket", env: {} })).toThrow(/tracking URI/);
    expect(() => openTracker({ tracking: "file:./x", experiment: "" })).toThrow(/experiment name/);
  });

  it("logs into the Default experiment, id 0, when no experiment is named", async () => {
    const root = join(dir, "mlruns");
    const tracker = openTracker({ tracking: `file:${root}`, env: {}, warn: () => undefined });
    tracker?.startSearch({ algorithm: { name: "rand", settings: {} }, seed: 1, space: {}, settings: {}, startTime: 5 });
    await tracker?.endSearch({ status: "killed", nTrials: 0, nFailed: 0, trials: [], endTime: 9 });
    const run = await new FileStore(root).getRun(tracker?.parentRunId as string);
    expect(run.info).toMatchObject({ experimentId: "0", status: "KILLED", startTime: 5, endTime: 9 });
  });
});

describe("tracker failures", () => {
  it("never throw into the search: an unwritable store gives warnings and endSearch still resolves", async () => {
    await writeFile(join(dir, "plain-file"), "x");
    const warnings: string[] = [];
    const tracker = new MlflowTracker(new FileStore(join(dir, "plain-file", "mlruns")), { warn: (m) => warnings.push(m) });
    tracker.startSearch({ algorithm: { name: "rand", settings: {} }, seed: 1, space: {}, settings: { maxEvals: 1 }, startTime: 5 });
    tracker.trialStarted({ tid: 0, status: "running", assignment: {}, params: {}, startTime: 6, metrics: [] });
    tracker.trialMetric(0, { name: "m", value: 1, step: 0, timestamp: 7 });
    tracker.trialFinished({ tid: 0, status: "ok", loss: 1, assignment: {}, params: {}, startTime: 6, endTime: 8, metrics: [] });
    await expect(tracker.endSearch({ status: "finished", nTrials: 1, nFailed: 0, trials: [], endTime: 9 })).resolves.toBeUndefined();
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings[0]).toMatch(/dropped experiment "Default"/);
  });
});

describe("experiments", () => {
  it("resolves a creation race between clients to one experiment", async () => {
    server = await new MlflowTestServer().start();
    const stores = [0, 1, 2, 3].map(() => new RestStore(server?.url as string, { credentials: {} }));
    const ids = await Promise.all(stores.map((s) => s.getOrCreateExperiment("raced")));
    expect(new Set(ids).size).toBe(1);
    expect(server.experiments.filter((e) => e.name === "raced")).toHaveLength(1);
    await Promise.all(stores.map((s) => s.close()));
  });

  it("answers 404 as RESOURCE_DOES_NOT_EXIST for an unknown run on both stores", async () => {
    server = await new MlflowTestServer().start();
    const missing = "0123456789abcdef0123456789abcdef";
    await expect(new RestStore(server.url, { credentials: {} }).getRun(missing)).rejects.toMatchObject({ errorCode: "RESOURCE_DOES_NOT_EXIST" });
    await expect(new FileStore(join(dir, "m")).getRun(missing)).rejects.toMatchObject({ errorCode: "RESOURCE_DOES_NOT_EXIST" });
  });
});
