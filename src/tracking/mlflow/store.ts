import type { ModelRegistry } from "./registry.js";
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

/**
 * One MLflow backend: MLflow's SQLite database (`sqlite:///mlflow.db`), the file store (`file:./mlruns`) or a
 * tracking server (`http(s)://`).
 * Calls fail with `MlflowError` (its `retryable` says whether a later attempt may succeed) or
 * `TrackingValidationError` for input MLflow would refuse.
 */
export interface TrackingStore {
  /** The tracking URI, credentials removed. */
  readonly uri: string;
  /** Whether records should be spooled to disk while the store is unreachable. */
  readonly remote: boolean;
  getExperimentByName(name: string): Promise<Experiment | undefined>;
  /** The id of the experiment called `name`, created when missing (also when another client races to create it). */
  getOrCreateExperiment(name: string): Promise<string>;
  createRun(request: CreateRunRequest): Promise<RunInfo>;
  /** One request's worth; `logBatchSplit` splits bigger batches to the limits. */
  logBatch(request: LogBatchRequest): Promise<void>;
  updateRun(runId: string, status: RunStatus, endTime: number): Promise<void>;
  getRun(runId: string): Promise<Run>;
  searchRuns(request: SearchRunsRequest): Promise<SearchRunsPage>;
  getMetricHistory(runId: string, key: string): Promise<Metric[]>;
  /** Stores `content` as `artifacts/<artifactPath>` of the run. */
  logArtifact(runId: string, artifactPath: string, content: Uint8Array): Promise<void>;
  /** The names directly under `artifacts/<path>` of the run (`""`: the top), none when nothing is there. */
  listArtifacts(runId: string, path: string): Promise<string[]>;
  /** The Model Registry, in stores that have one (not the file store). */
  readonly registry?: ModelRegistry;
  /**
   * Stores with transactions (SQLite) apply every call `body` makes as one transaction: all of them are
   * stored, or none when it fails. A lock held too long fails retryably. With `savepoints` (the default) each
   * call is a savepoint of its own, so `body` may catch a call's failure and go on without what it wrote;
   * without, calls join the transaction directly (faster) and a failed call must end `body` with its error.
   */
  inTransaction?(body: () => Promise<void>, options?: { savepoints: boolean }): Promise<void>;
  close(): Promise<void>;
}
