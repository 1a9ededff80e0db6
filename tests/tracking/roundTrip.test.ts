import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MlflowClient } from "../../src/tracking/mlflow/client.js";
import { FileStore } from "../../src/tracking/mlflow/fileStore.js";
import { MlflowTracker } from "../../src/tracking/mlflowTracker.js";
import { RestStore } from "../../src/tracking/mlflow/restStore.js";
import { SqliteStore } from "../../src/tracking/mlflow/sqliteStore.js";
import { trialsFromRun } from "../../src/tracking/trialsFromRun.js";
import type { Trial } from "../../src/trials/trial.js";
import { MlflowTestServer } from "../support/mlflowServer.js";
import { fixtureTrials, runFixtureSearch } from "../support/searchFixture.js";

let dir: string;
let server: MlflowTestServer | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "hyperopt-rt-"));
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

function withCancelled(): Trial[] {
  const trials = fixtureTrials();
  trials.push({
    tid: 3,
    status: "cancelled",
    assignment: { lr: 0.05, model: 1 },
    params: { lr: 0.05, model: { kind: "tree", depth: 7 }, layers: [4] },
    error: { kind: "cancelled", message: "stopped", stack: "Error: stopped\n    at x" },
    startTime: 1_700_000_006_100,
    endTime: 1_700_000_006_200,
    metrics: [{ name: "val_loss", value: 1.5, step: 0, timestamp: 1_700_000_006_150 }],
  });
  return trials;
}

async function check(uri: string, tracker: MlflowTracker): Promise<void> {
  const written = await runFixtureSearch(tracker, withCancelled());
  const parentRunId = tracker.parentRunId;
  expect(parentRunId).toMatch(/^[0-9a-f]{32}$/);
  expect(await trialsFromRun(uri, parentRunId as string, { credentials: {} })).toEqual(written);

  const client = new MlflowClient(uri, { rest: { credentials: {} } });
  const parent = await client.getRun(parentRunId as string);
  const ordered = await client.searchRuns({
    experimentIds: [parent.info.experimentId],
    filter: `tags.mlflow.parentRunId = '${parentRunId}'`,
    orderBy: ["metrics.loss ASC"],
    maxResults: 1,
  });
  expect(ordered.map((r) => r.info.runName)).toEqual(["trial-2", "trial-0", expect.any(String), expect.any(String)]);
  await client.close();
}

describe("round trip", () => {
  it("reads a search back from the file store as equal trials", async () => {
    const uri = `file:${join(dir, "mlruns")}`;
    await check(uri, new MlflowTracker(new FileStore(join(dir, "mlruns")), { warn: () => undefined }));
  });

  it("reads a search back from an SQLite database as equal trials", async () => {
    const uri = `sqlite:///${join(dir, "mlflow.db")}`;
    const store = new SqliteStore(join(dir, "mlflow.db"), uri, { artifactRoot: join(dir, "mlruns") });
    await check(uri, new MlflowTracker(store, { warn: () => undefined }));
  });

  it("reads a search back from a tracking server as equal trials", async () => {
    server = await new MlflowTestServer().start();
    const store = new RestStore(server.url, { credentials: {} });
    await check(server.url, new MlflowTracker(store, { warn: () => undefined, spoolDir: join(dir, "spool") }));
  });
});
