import Database from "better-sqlite3";
import fc from "fast-check";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fmin, hp, HyperoptArgumentError } from "../../src/index.js";
import { FileStore, LIMITS, MlflowClient, MlflowError, openStore, openTracker, SqliteStore, TrackingValidationError } from "../../src/tracking/index.js";
import type { TrackingStore } from "../../src/tracking/index.js";
import { KEY_EXPECTED, validateKey } from "../../src/tracking/mlflow/validation.js";
import { tempDir } from "../support/tempDir.js";

const T0 = 1_700_000_000_000;

interface Refusal {
  argument: string;
  expected: string;
  received: string;
}

/** The refusal `attempt` ends with: a TrackingValidationError (also a HyperoptArgumentError) with its three fields. */
async function refusalOf(attempt: () => unknown): Promise<Refusal & { message: string }> {
  const error: unknown = await Promise.resolve()
    .then(attempt)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(TrackingValidationError);
  expect(error).toBeInstanceOf(HyperoptArgumentError);
  const refusal = error as TrackingValidationError;
  expect(refusal.name).toBe("TrackingValidationError");
  expect(refusal.errorCode).toBe("INVALID_PARAMETER_VALUE");
  return { argument: refusal.argument, expected: refusal.expected, received: refusal.received, message: refusal.message };
}

async function storeWithRun(kind: "file" | "sqlite"): Promise<{ store: TrackingStore; runId: string }> {
  const dir = tempDir("refusals");
  const store = kind === "file" ? new FileStore(join(dir, "mlruns")) : openStore(`sqlite:///${join(dir, "mlflow.db")}`, { artifactRoot: join(dir, "mlruns") });
  const experimentId = await store.getOrCreateExperiment("refusals");
  const run = await store.createRun({ experimentId, runName: "r", startTime: T0, userId: "u", tags: [] });
  return { store, runId: run.runId };
}

const params = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `p${i}`, value: "1" }));
const space = { x: hp.uniform("x", -1, 1) };
const fn = (p: { x: number }) => p.x;

interface Case {
  name: string;
  attempt: () => Promise<unknown> | unknown;
  refusal: Refusal;
  message?: RegExp;
}

const cases: Case[] = [
  {
    name: "a tracking URI with a scheme no store serves, named without its credentials",
    attempt: () => openTracker({ tracking: "s3://user:secret@bucket/runs", env: {} }),
    refusal: {
      argument: "trackingUri",
      expected: "one of sqlite:///<path>.db, file:<path>, a folder path, or http(s)://host:port",
      received: '"s3://bucket/runs"',
    },
    message: /^tracking URI "s3:\/\/bucket\/runs" has the scheme "s3:"/,
  },
  {
    name: "a tracking URI given to fmin's tracking option",
    attempt: () => fmin({ fn, space, maxEvals: 1, tracking: "sqlite://", showProgressbar: false }),
    refusal: { argument: "trackingUri", expected: "sqlite:///<relative path>.db or sqlite:////<absolute path>.db", received: '"sqlite://"' },
  },
  {
    name: "an empty experiment name",
    attempt: () => openTracker({ tracking: join(tempDir("refusals"), "mlruns"), experiment: " " }),
    refusal: { argument: "experiment", expected: "a non-empty string", received: '" "' },
    message: /^experiment name must be a non-empty string, got " "$/,
  },
  {
    name: "a param key with a character MLflow refuses",
    attempt: async () => {
      const { store, runId } = await storeWithRun("file");
      await store.logBatch({ runId, metrics: [], params: [{ key: "lr!", value: "0.1" }], tags: [] });
    },
    refusal: { argument: "key", expected: KEY_EXPECTED, received: '"lr!"' },
    message: /^param key "lr!" may only contain letters/,
  },
  {
    name: "a param value over MLflow's 6000 characters",
    attempt: async () => {
      const { store, runId } = await storeWithRun("sqlite");
      await store.logBatch({ runId, metrics: [], params: [{ key: "notes", value: "x".repeat(6001) }], tags: [] });
    },
    refusal: { argument: "value", expected: "a string of at most 6000 characters", received: `"${"x".repeat(199)}` },
    message: /^param "notes" value must be at most 6000 characters, got 6001$/,
  },
  {
    name: "a log-batch with more params than MLflow takes at once",
    attempt: async () => {
      const { store, runId } = await storeWithRun("file");
      await store.logBatch({ runId, metrics: [], params: params(101), tags: [] });
    },
    refusal: { argument: "params", expected: "at most 100 params in one log-batch", received: "101" },
    message: /split it with splitBatch/,
  },
  {
    name: "a log-batch over the limit of metrics, params and tags together",
    attempt: async () => {
      const store = openStore("http://127.0.0.1:9");
      const metrics = Array.from({ length: LIMITS.batchMetrics }, (_, i) => ({ key: `m${i}`, value: 1, timestamp: T0, step: 0 }));
      await store.logBatch({ runId: "0123456789abcdef0123456789abcdef", metrics, params: params(1), tags: [] });
    },
    refusal: { argument: "batch", expected: "at most 1000 metrics, params and tags together in one log-batch", received: "1001" },
  },
  {
    name: "a max_results of 0",
    attempt: async () => {
      const { store } = await storeWithRun("sqlite");
      await store.searchRuns({ experimentIds: ["0"], maxResults: 0 });
    },
    refusal: { argument: "max_results", expected: "an integer from 1 to 50000", received: "0" },
    message: /^max_results must be an integer from 1 to 50000, got 0$/,
  },
  {
    name: "a registered model name with a '/' in fmin's registerModel option",
    attempt: () => openTracker({ tracking: `sqlite:///${join(tempDir("refusals"), "mlflow.db")}`, registerModel: { name: "team/model" } }),
    refusal: { argument: "registerModel.name", expected: 'a name without "/"', received: '"team/model"' },
  },
  {
    name: "an alias MLflow reserves, given to MlflowClient.registerModel",
    attempt: async () => {
      const client = new MlflowClient(`sqlite:///${join(tempDir("refusals"), "mlflow.db")}`);
      try {
        await client.registerModel("s3://bucket/model", "model", { alias: "v2" });
      } finally {
        await client.close();
      }
    },
    refusal: { argument: "alias", expected: 'an alias other than "latest" and "v<number>"', received: '"v2"' },
  },
  {
    name: "a run status MLflow does not know",
    attempt: async () => {
      const { store, runId } = await storeWithRun("sqlite");
      await store.updateRun(runId, "DONE" as never, T0);
    },
    refusal: { argument: "status", expected: "one of RUNNING, SCHEDULED, FINISHED, FAILED, KILLED", received: '"DONE"' },
  },
  {
    name: "a param logged again with another value",
    attempt: async () => {
      const { store, runId } = await storeWithRun("file");
      await store.logBatch({ runId, metrics: [], params: [{ key: "lr", value: "0.1" }], tags: [] });
      await store.logBatch({ runId, metrics: [], params: [{ key: "lr", value: "0.2" }], tags: [] });
    },
    refusal: { argument: "value", expected: 'the value already logged, "0.1" (a param cannot change)', received: '"0.2"' },
    message: /^param "lr" already has value "0.1"; a param cannot change$/,
  },
];

describe("tracking refuses bad input naming the argument, what was expected and what was received", () => {
  it.each(cases)("$name", async ({ attempt, refusal, message }) => {
    const got = await refusalOf(attempt);
    expect({ argument: got.argument, expected: got.expected, received: got.received }).toEqual(refusal);
    if (message) expect(got.message).toMatch(message);
    expect(got.message).not.toMatch(/secret/);
  });

  it("refuses any key holding a character outside MLflow's set with argument key, the key received", () => {
    const allowed = /[A-Za-z0-9_\-.:/ ]/;
    const outside = fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }).filter((c) => !allowed.test(c));
    const key = fc.tuple(fc.stringMatching(/^[a-z]{0,8}$/), outside, fc.stringMatching(/^[a-z]{0,8}$/)).map(([a, c, b]) => `${a}${c}${b}`);
    fc.assert(
      fc.property(key, fc.constantFrom("param", "metric", "tag") as fc.Arbitrary<"param" | "metric" | "tag">, (k, kind) => {
        let error: unknown;
        try {
          validateKey(kind, k);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(TrackingValidationError);
        const refusal = error as TrackingValidationError;
        expect(refusal.argument).toBe("key");
        expect(refusal.expected).toBe(KEY_EXPECTED);
        expect(refusal.received).toBe(JSON.stringify(k));
        expect(refusal.message).toContain(JSON.stringify(k));
      }),
      { numRuns: 300 },
    );
  });
});

describe("state conflicts are not argument errors", () => {
  it("a run created in a deleted experiment of an SQLite database fails with MlflowError INVALID_STATE", async () => {
    const dir = tempDir("refusals");
    const path = join(dir, "mlflow.db");
    const store = new SqliteStore(path, `sqlite:///${path}`, { artifactRoot: join(dir, "mlruns") });
    const experimentId = await store.getOrCreateExperiment("gone");
    const db = new Database(path);
    db.prepare("UPDATE experiments SET lifecycle_stage = 'deleted' WHERE experiment_id = ?").run(Number(experimentId));
    db.close();
    const error = await store.createRun({ experimentId, runName: "r", startTime: T0, userId: "u", tags: [] }).catch((e: unknown) => e);
    await store.close();
    expect(error).toBeInstanceOf(MlflowError);
    expect(error).not.toBeInstanceOf(TrackingValidationError);
    expect(error).toMatchObject({ errorCode: "INVALID_STATE", retryable: false, message: `experiment ${experimentId} is deleted; runs cannot be created in it` });
  });
});
