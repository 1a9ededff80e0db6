import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { MlflowClient } from "../../src/tracking/mlflow/client.js";
import { SqliteStore } from "../../src/tracking/mlflow/sqliteStore.js";
import { MlflowTracker } from "../../src/tracking/mlflowTracker.js";
import { resumeTrials } from "../../src/tracking/trialsFromRun.js";
import { fixtureTrials, runFixtureSearch } from "../support/searchFixture.js";
import { useTempDir } from "../support/tempDir.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/mlflow/", import.meta.url));
const PARENT = "d5f19ae8f80c44c994f252f633f36042";
const TRIAL = { 0: "9cc34a036590408a9e0bf15864a61681", 1: "97751c743cf449a1ad6d5140f070be42", 2: "71406a344aca4d7cace67da8e0da5810" };
const TABLES = ["experiments", "runs", "tags", "params", "metrics", "latest_metrics", "registered_models", "model_versions", "alembic_version"];
const dir = useTempDir("sqlite-fixture");

function copyFixture(): { path: string; uri: string } {
  const path = join(dir(), "search.db");
  copyFileSync(join(FIXTURES, "search-3.6.db"), path);
  return { path, uri: `sqlite:///${path}` };
}

/** Every row of the tables a tracking writer touches, as JSON lines, sorted. */
function dump(path: string): Record<string, string[]> {
  const db = new Database(path, { readonly: true });
  try {
    return Object.fromEntries(TABLES.map((t) => [t, (db.prepare(`SELECT * FROM ${t}`).all() as unknown[]).map((r) => JSON.stringify(r)).sort()]));
  } finally {
    db.close();
  }
}

describe("a database MLflow 3.6 wrote (search-3.6.db)", () => {
  it("reads the parent's children with searchRuns, ordered by loss, with their params and latest metrics", async () => {
    const { uri } = copyFixture();
    const client = new MlflowClient(uri);
    const parent = await client.getRun(PARENT);
    expect(parent.info).toMatchObject({ runName: "parent", experimentId: "1", status: "FINISHED", userId: "root" });
    expect(parent.data.metrics).toEqual({ best_loss: 0.5 });
    const children = await client.searchRuns({ experimentIds: ["1"], filter: `tags.mlflow.parentRunId = '${PARENT}'`, orderBy: ["metrics.loss ASC"] });
    expect(children.map((r) => [r.info.runName, r.info.status, r.data.params.x, r.data.metrics.loss])).toEqual([
      ["trial-1", "FINISHED", "1.5", 0.5],
      ["trial-0", "FINISHED", "0.5", 0.6],
      ["trial-2", "FAILED", "-2.0", 1.5],
    ]);
    expect((await client.getMetricHistory(TRIAL[0], "loss")).map((m) => [m.step, m.value])).toEqual([
      [0, 0.9],
      [1, 0.7],
      [2, 0.6],
    ]);
    await client.close();
  });

  it("reads its children back as trials with resumeTrials", async () => {
    const { uri } = copyFixture();
    const trials = await resumeTrials(uri, PARENT);
    expect(trials.trials.map((t) => [t.tid, t.status, t.loss, t.params])).toEqual([
      [0, "ok", 0.6, { x: "0.5" }],
      [1, "ok", 0.5, { x: "1.5" }],
      [2, "fail", undefined, { x: "-2.0" }],
    ]);
  });

  it("takes a new search beside MLflow's runs and leaves every row MLflow wrote unchanged", async () => {
    const { path, uri } = copyFixture();
    const before = dump(path);
    const tracker = new MlflowTracker(new SqliteStore(path, uri, { artifactRoot: join(dir(), "mlruns") }), { warn: () => undefined });
    const written = await runFixtureSearch(tracker, fixtureTrials());
    const after = dump(path);
    for (const table of TABLES) expect(after[table], table).toEqual(expect.arrayContaining(before[table] ?? []));
    expect(after.alembic_version).toEqual(before.alembic_version);
    expect(after.experiments).toHaveLength(3);
    expect(after.runs).toHaveLength(4 + 1 + written.length);
    expect(JSON.parse(after.experiments?.find((e) => e.includes("iris-svm")) ?? "{}")).toMatchObject({ experiment_id: 2 });
    const client = new MlflowClient(uri);
    const children = await client.searchRuns({ experimentIds: ["2"], filter: `tags.mlflow.parentRunId = '${tracker.parentRunId}'` });
    expect(children).toHaveLength(3);
    await client.close();
  });
});
