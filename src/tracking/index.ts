export type { SearchEndStatus, SearchInfo, SearchSummary, SearchTracker } from "./tracker.js";
export { openTracker, type OpenTrackerOptions } from "./openTracker.js";
export { MlflowTracker, type MlflowTrackerOptions } from "./mlflowTracker.js";
export { MlflowClient, RunHandle, searchAllRuns, type MlflowClientOptions, type StartRunOptions } from "./mlflow/client.js";
export { resumeTrials, trialsFromRun, trialsFromStore } from "./trialsFromRun.js";
export { openStore } from "./mlflow/openStore.js";
export type { TrackingStore } from "./mlflow/store.js";
export { FileStore } from "./mlflow/fileStore.js";
export { SqliteStore, type SqliteStoreOptions } from "./mlflow/sqliteStore.js";
export { defaultTrackingUri, trackingUriOf } from "./mlflow/trackingUri.js";
export type { CreateModelVersionRequest, ModelRegistry, ModelVersion } from "./mlflow/registry.js";
export type { RegisterModelOptions } from "./mlflow/registerModel.js";
export { RestStore, type RestStoreOptions } from "./mlflow/restStore.js";
export type { RetryOptions } from "./mlflow/backoff.js";
export type { Credentials } from "./mlflow/auth.js";
export { MlflowError, ModelRegistrationError, TrackingValidationError } from "./mlflow/errors.js";
export { LIMITS } from "./mlflow/limits.js";
export { BEST_PARAM_PREFIX, METRIC, TAG } from "./mlflow/tagKeys.js";
export { flattenParams } from "./mlflow/flatten.js";
export type {
  CreateRunRequest,
  Experiment,
  KeyValue,
  LogBatchRequest,
  Metric,
  Run,
  RunInfo,
  RunStatus,
  SearchRunsPage,
  SearchRunsRequest,
} from "./mlflow/types.js";
