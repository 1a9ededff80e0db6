import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { validateArtifactPath } from "./artifactPath.js";
import { splitBatch } from "./batch.js";
import { invalidTrackingArgument, TrackingValidationError } from "./errors.js";
import { openStore } from "./openStore.js";
import type { ModelVersion } from "./registry.js";
import { registerRunModel, registryOf, validateRegisterOptions, type RegisterArgumentNames } from "./registerModel.js";
import type { RestStoreOptions } from "./restStore.js";
import { currentUser, sourceTags } from "./sourceInfo.js";
import type { TrackingStore } from "./store.js";
import { TAG } from "./tagKeys.js";
import type { KeyValue, Metric, Run, RunStatus, SearchRunsRequest } from "./types.js";
import { fitValue, validateDistinctParams, validateExperimentName, validateKey, validateMetric, validateRunId, validateRunStatus } from "./validation.js";

export interface StartRunOptions {
  /** Experiment name, created when missing; default "Default". */
  experiment?: string;
  runName?: string;
  /** Nests the run under this run (tag `mlflow.parentRunId`). */
  parentRunId?: string;
  tags?: Record<string, string>;
  /** Milliseconds since the epoch; default now. */
  startTime?: number;
}

export interface MlflowClientOptions {
  rest?: RestStoreOptions;
  /** Told about values cut to MLflow's limits; default a line on stderr. */
  warn?: (message: string) => void;
}

/** How `registerModel`'s inputs are named in errors: its own arguments (the artifact folder comes from `source`). */
const CLIENT_ARGUMENTS: RegisterArgumentNames = { name: "name", artifactPath: "source", alias: "alias" };

function record(name: string, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    const got = Array.isArray(value) ? "an array" : typeof value;
    throw new TrackingValidationError(name, `${name} must be an object of key -> value, got ${got}`, "an object of key -> value", value);
  }
  return value as Record<string, unknown>;
}

/** One run opened with `MlflowClient.startRun`. Each call validates its input and waits for the store. */
export class RunHandle {
  constructor(
    private readonly store: TrackingStore,
    readonly runId: string,
    readonly experimentId: string,
    private readonly warn: (message: string) => void,
  ) {}

  /** Params are immutable in MLflow: logging a key again with another value fails. Values over 6000 characters are truncated with a warning. */
  async logParams(params: Record<string, string | number | boolean>): Promise<void> {
    const list: KeyValue[] = Object.entries(record("params", params)).map(([key, value]) => {
      validateKey("param", key);
      if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
        const message = `param ${JSON.stringify(key)} value must be a string, number or boolean, got ${typeof value}`;
        throw new TrackingValidationError("value", message, "a string, number or boolean", value);
      }
      return { key, value: fitValue("param", key, String(value), this.warn) };
    });
    await this.log({ params: list });
  }

  /** Metric values must be finite numbers; `step` defaults to 0 and `timestamp` to now. */
  async logMetrics(metrics: Record<string, number>, options: { step?: number; timestamp?: number } = {}): Promise<void> {
    const timestamp = options.timestamp ?? Date.now();
    const step = options.step ?? 0;
    const list: Metric[] = Object.entries(record("metrics", metrics)).map(([key, value]) => {
      validateMetric(key, value, timestamp, step);
      return { key, value: value as number, timestamp, step };
    });
    await this.log({ metrics: list });
  }

  /** Values over 8000 characters are truncated with a warning. */
  async setTags(tags: Record<string, string>): Promise<void> {
    const list: KeyValue[] = Object.entries(record("tags", tags)).map(([key, value]) => {
      validateKey("tag", key);
      if (typeof value !== "string") throw new TrackingValidationError("value", `tag ${JSON.stringify(key)} value must be a string, got ${typeof value}`, "a string", value);
      return { key, value: fitValue("tag", key, value, this.warn) };
    });
    await this.log({ tags: list });
  }

  /** Stores the file at `localPath` as `artifacts/<artifactPath>` (default: its file name). */
  async logArtifact(localPath: string, artifactPath: string = basename(localPath)): Promise<void> {
    validateArtifactPath(artifactPath);
    const content = await readFile(localPath).catch((error: NodeJS.ErrnoException) => {
      throw new TrackingValidationError("localPath", `artifact file ${JSON.stringify(localPath)} cannot be read: ${error.code ?? error.message}`, "a file that can be read", localPath);
    });
    await this.store.logArtifact(this.runId, artifactPath, new Uint8Array(content));
  }

  async endRun(status: RunStatus = "FINISHED", endTime: number = Date.now()): Promise<void> {
    await this.store.updateRun(this.runId, validateRunStatus(status), endTime);
  }

  async get(): Promise<Run> {
    return this.store.getRun(this.runId);
  }

  private async log(batch: { metrics?: Metric[]; params?: KeyValue[]; tags?: KeyValue[] }): Promise<void> {
    validateDistinctParams(batch.params ?? []);
    for (const part of splitBatch({ runId: this.runId, metrics: batch.metrics ?? [], params: batch.params ?? [], tags: batch.tags ?? [] })) {
      await this.store.logBatch(part);
    }
  }
}

/**
 * MLflow for code outside fmin: `new MlflowClient("sqlite:///mlflow.db")`, `new MlflowClient("file:./mlruns")` or
 * `new MlflowClient("http://host:5000")`.
 * Calls are direct (no queue, no spool) and fail with `TrackingValidationError` or `MlflowError`.
 */
export class MlflowClient {
  readonly store: TrackingStore;
  private readonly warn: (message: string) => void;

  constructor(trackingUri: string, options: MlflowClientOptions = {}) {
    this.store = openStore(trackingUri, options.rest ?? {});
    this.warn = options.warn ?? ((m) => process.stderr.write(`hyperopt-ts tracking: ${m}\n`));
  }

  async experimentId(name: string): Promise<string | undefined> {
    return (await this.store.getExperimentByName(validateExperimentName(name)))?.experimentId;
  }

  async startRun(options: StartRunOptions = {}): Promise<RunHandle> {
    const experimentId = await this.store.getOrCreateExperiment(validateExperimentName(options.experiment ?? "Default"));
    const user = currentUser();
    const runName = options.runName ?? `run-${new Date().toISOString()}`;
    const tags: KeyValue[] = [{ key: TAG.user, value: user }, ...(await sourceTags())];
    if (options.parentRunId !== undefined) tags.push({ key: TAG.parentRunId, value: validateRunId(options.parentRunId) });
    for (const [key, value] of Object.entries(options.tags ?? {})) {
      validateKey("tag", key);
      tags.push({ key, value: fitValue("tag", key, String(value), this.warn) });
    }
    const info = await this.store.createRun({ experimentId, runName, startTime: options.startTime ?? Date.now(), userId: user, tags });
    return new RunHandle(this.store, info.runId, experimentId, this.warn);
  }

  /** Opens a run that exists already, e.g. to add records after the fact. */
  async openRun(runId: string): Promise<RunHandle> {
    const run = await this.store.getRun(validateRunId(runId));
    return new RunHandle(this.store, run.info.runId, run.info.experimentId, this.warn);
  }

  async getRun(runId: string): Promise<Run> {
    return this.store.getRun(validateRunId(runId));
  }

  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    return this.store.getMetricHistory(validateRunId(runId), validateKey("metric", key));
  }

  /** Every matching run (all pages), e.g. `{ experimentIds, filter: "tags.mlflow.parentRunId = '<id>'", orderBy: ["metrics.loss ASC"] }`. */
  async searchRuns(request: Omit<SearchRunsRequest, "pageToken">): Promise<Run[]> {
    return searchAllRuns(this.store, request);
  }

  /**
   * Registers a model as a new version of `name` (created when missing), as MLflow's `register_model` does:
   * `runs:/<run id>/<path>` names a run's artifact folder, which must hold an `MLmodel` file; any other source
   * (a path or URI) is registered as given. Not in the file store, which has no registry.
   */
  async registerModel(source: string, name: string, options: { tags?: Record<string, string>; alias?: string } = {}): Promise<ModelVersion> {
    const fromRun = /^runs:\/([^/]+)\/(.+)$/.exec(source);
    if (fromRun) return registerRunModel(this.store, validateRunId(fromRun[1]), { ...options, name, artifactPath: fromRun[2] as string }, CLIENT_ARGUMENTS);
    if (typeof source !== "string" || source === "") throw invalidTrackingArgument("source", "runs:/<run id>/<path> or a path", source, "model source");
    validateRegisterOptions({ ...options, name }, CLIENT_ARGUMENTS);
    const registry = registryOf(this.store);
    await registry.createRegisteredModel(name);
    const tags = Object.entries(options.tags ?? {}).map(([key, value]) => ({ key, value }));
    const version = await registry.createModelVersion({ name, source, tags });
    if (options.alias === undefined) return version;
    await registry.setRegisteredModelAlias(name, options.alias, version.version);
    return { ...version, aliases: [...version.aliases, options.alias] };
  }

  /** Points `alias` (e.g. "champion") at `version` of the registered model `name`. */
  async setRegisteredModelAlias(name: string, alias: string, version: string | number): Promise<void> {
    await registryOf(this.store).setRegisteredModelAlias(name, alias, String(version));
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    return registryOf(this.store).getModelVersionByAlias(name, alias);
  }

  /** The versions of the registered model `name`, newest first. */
  async searchModelVersions(name: string): Promise<ModelVersion[]> {
    return registryOf(this.store).searchModelVersions(name);
  }

  async close(): Promise<void> {
    await this.store.close();
  }
}

/** Follows page tokens until a page comes back empty or without a token. */
export async function searchAllRuns(store: TrackingStore, request: Omit<SearchRunsRequest, "pageToken">): Promise<Run[]> {
  if (!Array.isArray(request.experimentIds) || request.experimentIds.length === 0) {
    throw invalidTrackingArgument("experimentIds", "a non-empty array of experiment ids", request.experimentIds);
  }
  const runs: Run[] = [];
  let pageToken: string | undefined;
  do {
    const page = await store.searchRuns({ ...request, ...(pageToken ? { pageToken } : {}) });
    runs.push(...page.runs);
    pageToken = page.runs.length > 0 ? page.nextPageToken : undefined;
  } while (pageToken);
  return runs;
}
