import { copyFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { SqliteStore } from "../../src/tracking/mlflow/sqliteStore.js";
import { useTempDir } from "../support/tempDir.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/mlflow/", import.meta.url));
const dir = useTempDir("sqlite-rows");

function open(name = "mlflow.db"): SqliteStore {
  return new SqliteStore(join(dir(), name), `sqlite:///${name}`, { artifactRoot: join(dir(), "mlruns") });
}

function rows(sql: string, ...args: unknown[]): unknown[] {
  const db = new Database(join(dir(), "mlflow.db"), { readonly: true });
  try {
    return db.prepare(sql).all(...args);
  } finally {
    db.close();
  }
}

describe("SqliteStore rows", () => {
  it("gives new experiments ids from the table and artifact locations under the artifact root", async () => {
    const store = open();
    expect(await store.getOrCreateExperiment("first")).toBe("1");
    expect(await store.getOrCreateExperiment("second")).toBe("2");
    expect(await store.getOrCreateExperiment("first")).toBe("1");
    await store.close();
    expect(rows("SELECT experiment_id, name, artifact_location FROM experiments ORDER BY experiment_id")).toEqual([
      { experiment_id: 0, name: "Default", artifact_location: join(dir(), "mlruns", "0") },
      { experiment_id: 1, name: "first", artifact_location: join(dir(), "mlruns", "1") },
      { experiment_id: 2, name: "second", artifact_location: join(dir(), "mlruns", "2") },
    ]);
  });

  it("writes a run as MLflow does: name column and mlflow.runName tag, empty source columns, artifacts under the experiment", async () => {
    const store = open();
    const experimentId = await store.getOrCreateExperiment("e");
    const run = await store.createRun({ experimentId, runName: "parent", startTime: 1000, userId: "ann", tags: [{ key: "mlflow.user", value: "ann" }] });
    await store.updateRun(run.runId, "FINISHED", 2000);
    await store.logArtifact(run.runId, "model/MLmodel", new TextEncoder().encode("flavors: {}\n"));
    await store.close();
    expect(rows("SELECT * FROM runs")).toEqual([
      {
        run_uuid: run.runId,
        name: "parent",
        source_type: "UNKNOWN",
        source_name: "",
        entry_point_name: "",
        user_id: "ann",
        status: "FINISHED",
        start_time: 1000,
        end_time: 2000,
        source_version: "",
        lifecycle_stage: "active",
        artifact_uri: join(dir(), "mlruns", "1", run.runId, "artifacts"),
        experiment_id: 1,
        deleted_time: null,
      },
    ]);
    expect(rows("SELECT key, value FROM tags ORDER BY key")).toEqual([
      { key: "mlflow.runName", value: "parent" },
      { key: "mlflow.user", value: "ann" },
    ]);
    expect(readFileSync(join(dir(), "mlruns", "1", run.runId, "artifacts", "model", "MLmodel"), "utf8")).toBe("flavors: {}\n");
  });

  it("keeps latest_metrics by (step, timestamp, value), stores NaN as 0.0 with is_nan 1 and clamps infinities", async () => {
    const store = open();
    const { runId } = await store.createRun({ experimentId: "0", runName: "r", startTime: 1, userId: "u", tags: [] });
    const metric = (key: string, value: number, step: number, timestamp: number) => ({ key, value, step, timestamp });
    await store.logBatch({ runId, params: [], tags: [], metrics: [metric("loss", 1, 0, 1000), metric("loss", 0.5, 5, 2000), metric("loss", 0.9, 3, 3000)] });
    await store.logBatch({ runId, params: [], tags: [], metrics: [metric("acc", 0.7, 0, 1000), metric("acc", 0.6, 0, 2000)] });
    await store.logBatch({ runId, params: [], tags: [], metrics: [metric("tie", 1, 1, 5000), metric("tie", 2, 1, 5000), metric("tie", 1.5, 1, 5000)] });
    await store.logBatch({ runId, params: [], tags: [], metrics: [metric("nan", NaN, 0, 10), metric("inf", Infinity, 0, 10), metric("loss", 1, 0, 1000)] });
    expect((await store.getRun(runId)).data.metrics).toEqual({ loss: 0.5, acc: 0.6, tie: 2, nan: NaN, inf: 1.7976931348623157e308 });
    expect((await store.getMetricHistory(runId, "nan"))[0]?.value).toBeNaN();
    await store.close();
    expect(rows("SELECT value, is_nan FROM metrics WHERE key = 'nan'")).toEqual([{ value: 0, is_nan: 1 }]);
    expect(rows("SELECT count(*) AS n FROM metrics WHERE key = 'loss'")).toEqual([{ n: 3 }]);
  });

  it("refuses to change a param and accepts the same value again", async () => {
    const store = open();
    const { runId } = await store.createRun({ experimentId: "0", runName: "r", startTime: 1, userId: "u", tags: [] });
    await store.logBatch({ runId, metrics: [], tags: [], params: [{ key: "lr", value: "0.1" }] });
    await store.logBatch({ runId, metrics: [], tags: [], params: [{ key: "lr", value: "0.1" }] });
    await expect(store.logBatch({ runId, metrics: [], tags: [], params: [{ key: "lr", value: "0.2" }] })).rejects.toThrow(/param "lr" already has value "0.1"/);
    await store.close();
  });

  it("writes into a newer schema naming only the columns it knows, the rest keep their defaults", async () => {
    const path = join(dir(), "mlflow.db");
    copyFileSync(join(FIXTURES, "empty-3.6.db"), path);
    const db = new Database(path);
    for (const table of ["experiments", "registered_models", "model_versions"]) {
      db.exec(`ALTER TABLE ${table} ADD COLUMN workspace VARCHAR(63) NOT NULL DEFAULT 'default'`);
    }
    db.close();
    const store = open();
    const experimentId = await store.getOrCreateExperiment("with-workspace");
    await store.createRun({ experimentId, runName: "r", startTime: 1, userId: "u", tags: [] });
    await store.close();
    expect(rows("SELECT name, workspace FROM experiments WHERE name = 'with-workspace'")).toEqual([{ name: "with-workspace", workspace: "default" }]);
    expect(existsSync(join(dir(), "mlflow.db-journal"))).toBe(false);
  });

  it("leaves out a column the database lacks: a run, its metric and its latest value are written without it", async () => {
    const path = join(dir(), "mlflow.db");
    copyFileSync(join(FIXTURES, "empty-3.6.db"), path);
    const db = new Database(path);
    db.exec("ALTER TABLE runs DROP COLUMN deleted_time");
    db.close();
    const store = open();
    const experimentId = await store.getOrCreateExperiment("older");
    const run = await store.createRun({ experimentId, runName: "r", startTime: 1, userId: "u", tags: [] });
    await store.logBatch({ runId: run.runId, metrics: [{ key: "loss", value: 0.5, timestamp: 2, step: 0 }], params: [], tags: [] });
    await store.close();
    expect(rows("SELECT name, status, end_time FROM runs")).toEqual([{ name: "r", status: "RUNNING", end_time: null }]);
    expect(rows("SELECT key, value, step FROM latest_metrics")).toEqual([{ key: "loss", value: 0.5, step: 0 }]);
  });
});
