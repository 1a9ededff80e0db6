import { mkdir, readdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type Database from "better-sqlite3";
import { validateArtifactPath } from "./artifactPath.js";
import { localArtifactDir, localArtifactFile } from "./localArtifacts.js";
import { validateAlias, validateModelName, type ModelRegistry } from "./registry.js";
import type { TrackingStore } from "./store.js";
import type {
  CreateRunRequest,
  Experiment,
  LogBatchRequest,
  Metric,
  Run,
  RunInfo,
  RunStatus,
  SearchRunsPage,
  SearchRunsRequest,
} from "./types.js";
import { validateDistinctParams, validateExperimentName, validateKey, validateRunId, validateRunStatus, validateValue } from "./validation.js";
import { invalidTrackingArgument, MlflowError } from "./errors.js";
import { MLFLOW_BUSY_TIMEOUT_MS, openDatabase, storeError } from "./sqliteDatabase.js";
import { logBatchRows } from "./sqliteLogBatch.js";
import { metricHistory, readRun, searchRunRows } from "./sqliteReadRuns.js";
import { createModelVersion, createRegisteredModel, setAlias, versionByAlias, versionsOf } from "./sqliteRegistry.js";
import { RowWriter } from "./sqliteRows.js";
import { createRun, experimentByName, getOrCreateExperiment, updateRun } from "./sqliteRuns.js";

export interface SqliteStoreOptions {
  /** How long a call waits for another process's lock before failing retryably (default 20 s, MLflow's). */
  busyTimeoutMs?: number;
  /** Where new experiments keep artifacts; default `<cwd>/mlruns`, as MLflow's own client. */
  artifactRoot?: string;
}

function versionNumber(version: string): number {
  if (!/^[1-9]\d{0,9}$/.test(version)) throw invalidTrackingArgument("version", "a whole number >= 1 as a string", version, "model version");
  return Number(version);
}

/** A metric as MLflow's SQLite store takes it: NaN and infinities are kept (stored as MLflow stores them). */
function validateMetricEntry(metric: Metric): void {
  const subject = `metric ${JSON.stringify(validateKey("metric", metric.key))}`;
  if (typeof metric.value !== "number") throw invalidTrackingArgument("value", "a number", metric.value, `${subject} value`);
  if (!Number.isSafeInteger(metric.timestamp) || metric.timestamp < 0) {
    throw invalidTrackingArgument("timestamp", "a non-negative integer (ms since the epoch)", metric.timestamp, `${subject} timestamp`);
  }
  if (!Number.isSafeInteger(metric.step)) throw invalidTrackingArgument("step", "an integer", metric.step, `${subject} step`);
}

/**
 * MLflow's SQLite database (`sqlite:///mlflow.db`), written with the rows MLflow 3.6 writes. Every write is a
 * short `BEGIN IMMEDIATE` transaction (or part of the caller's, see `inTransaction`); reads are one short read
 * transaction each. Opening refuses a file that is not MLflow's database, naming the URI.
 */
export class SqliteStore implements TrackingStore {
  readonly remote = false;
  readonly uri: string;
  readonly path: string;
  /** How long a call waits for another process's lock, in ms. */
  readonly busyTimeoutMs: number;
  /** Where new experiments keep artifacts. */
  readonly artifactRoot: string;
  private readonly rows: RowWriter;
  /** Whether a write inside `inTransaction` is a savepoint of its own. */
  private savepoints = true;
  /** Runs its argument as a transaction (a savepoint inside the caller's), made once per connection. */
  private readonly transaction: Database.Transaction<(body: () => unknown) => unknown>;
  /** MLflow's Model Registry in the same database (rows as MLflow 3.6 writes them). */
  readonly registry: ModelRegistry = {
    createRegisteredModel: async (name, tags = []) => {
      validateModelName(name);
      for (const tag of tags) validateValue("tag", validateKey("tag", tag.key), tag.value);
      this.write(() => createRegisteredModel(this.rows, name, tags, Date.now()));
    },
    createModelVersion: async (request) => {
      validateModelName(request.name);
      if (request.runId !== undefined) validateRunId(request.runId);
      for (const tag of request.tags ?? []) validateValue("tag", validateKey("tag", tag.key), tag.value);
      return this.write(() => createModelVersion(this.rows, request, Date.now()));
    },
    setRegisteredModelAlias: async (name, alias, version) => {
      validateModelName(name);
      validateAlias(alias);
      this.write(() => setAlias(this.rows, name, alias, versionNumber(version)));
    },
    getModelVersionByAlias: async (name, alias) => this.read(() => versionByAlias(this.rows, validateModelName(name), validateAlias(alias))),
    searchModelVersions: async (name) => this.read(() => versionsOf(this.rows, validateModelName(name))),
  };

  constructor(path: string, uri: string, options: SqliteStoreOptions = {}) {
    this.path = resolve(path);
    this.uri = uri;
    this.artifactRoot = resolve(options.artifactRoot ?? "mlruns");
    this.busyTimeoutMs = options.busyTimeoutMs ?? MLFLOW_BUSY_TIMEOUT_MS;
    const { db, columns } = openDatabase(this.path, uri, this.artifactRoot, this.busyTimeoutMs);
    this.rows = new RowWriter(db, columns);
    this.transaction = db.transaction((body: () => unknown) => body());
  }

  /** Runs `body` synchronously as one write transaction, or as a savepoint inside the caller's. */
  private write<T>(body: () => T): T {
    try {
      if (this.rows.db.inTransaction && !this.savepoints) return body();
      return (this.rows.db.inTransaction ? this.transaction(body) : this.transaction.immediate(body)) as T;
    } catch (error) {
      throw storeError(this.uri, error);
    }
  }

  private read<T>(body: () => T): T {
    try {
      return body();
    } catch (error) {
      throw storeError(this.uri, error);
    }
  }

  /**
   * Applies every call `body` makes as one transaction (`BEGIN IMMEDIATE` ... `COMMIT`): the background writer
   * commits its queued records in batches this way. Rolled back when `body` or the commit fails; a lock held
   * too long fails retryably (`TEMPORARILY_UNAVAILABLE`) and nothing of the batch is stored.
   */
  async inTransaction(body: () => Promise<void>, options: { savepoints: boolean } = { savepoints: true }): Promise<void> {
    const db = this.rows.db;
    try {
      db.exec("BEGIN IMMEDIATE");
    } catch (error) {
      throw storeError(this.uri, error);
    }
    this.savepoints = options.savepoints;
    this.rows.batch = { runs: new Map(), experiments: new Map() };
    try {
      await body();
      db.exec("COMMIT");
    } catch (error) {
      if (db.inTransaction) db.exec("ROLLBACK");
      throw storeError(this.uri, error);
    } finally {
      this.savepoints = true;
      this.rows.batch = undefined;
    }
  }

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    validateExperimentName(name);
    return this.read(() => experimentByName(this.rows, name));
  }

  async getOrCreateExperiment(name: string): Promise<string> {
    validateExperimentName(name);
    return this.write(() => getOrCreateExperiment(this.rows, name, this.artifactRoot, Date.now()));
  }

  async createRun(request: CreateRunRequest): Promise<RunInfo> {
    for (const tag of request.tags) validateValue("tag", validateKey("tag", tag.key), tag.value);
    return this.write(() => createRun(this.rows, request));
  }

  async logBatch(request: LogBatchRequest): Promise<void> {
    validateRunId(request.runId);
    for (const p of request.params) validateValue("param", validateKey("param", p.key), p.value);
    validateDistinctParams(request.params);
    for (const t of request.tags) validateValue("tag", validateKey("tag", t.key), t.value);
    for (const m of request.metrics) validateMetricEntry(m);
    this.write(() => logBatchRows(this.rows, request.runId, request));
  }

  async updateRun(runId: string, status: RunStatus, endTime: number): Promise<void> {
    validateRunId(runId);
    validateRunStatus(status);
    this.write(() => updateRun(this.rows, runId, status, endTime));
  }

  async getRun(runId: string): Promise<Run> {
    validateRunId(runId);
    return this.read(() => readRun(this.rows, runId));
  }

  async searchRuns(request: SearchRunsRequest): Promise<SearchRunsPage> {
    return this.read(() => searchRunRows(this.rows, request));
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    validateRunId(runId);
    validateKey("metric", key);
    return this.read(() => metricHistory(this.rows, runId, key));
  }

  /** Writes under the run's artifact URI when it is a local folder (MLflow's default next to a local database). */
  async logArtifact(runId: string, artifactPath: string, content: Uint8Array): Promise<void> {
    validateArtifactPath(artifactPath);
    const run = await this.getRun(runId);
    const file = localArtifactFile(run.info.artifactUri, artifactPath);
    if (file === undefined) {
      throw new MlflowError(`run ${runId} stores artifacts at ${JSON.stringify(run.info.artifactUri)}, which is not a local folder`, "ARTIFACTS_NOT_LOCAL", false);
    }
    await mkdir(resolve(file, ".."), { recursive: true });
    await writeFile(file, content);
  }

  async listArtifacts(runId: string, path: string): Promise<string[]> {
    if (path !== "") validateArtifactPath(path);
    const dir = localArtifactDir((await this.getRun(runId)).info.artifactUri);
    if (dir === undefined) return [];
    return readdir(path === "" ? dir : join(dir, ...path.split("/"))).catch(() => []);
  }

  async close(): Promise<void> {
    if (this.rows.db.open) this.rows.db.close();
  }
}
