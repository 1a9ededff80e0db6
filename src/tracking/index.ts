export type { SearchEndStatus, SearchInfo, SearchSummary, SearchTracker } from "./tracker.js";
export { openTracker, type OpenTrackerOptions } from "./openTracker.js";
export { MlflowTracker, type MlflowTrackerOptions } from "./mlflowTracker.js";
export { MlflowClient, RunHandle, searchAllRuns, type MlflowClientOptions, type StartRunOptions } from "./client.js";
export { resumeTrials, trialsFromRun, trialsFromStore } from "./trialsFromRun.js";
export { openStore } from "./openStore.js";
export type { TrackingStore } from "./store.js";
export { FileStore } from "./fileStore.js";
export { RestStore, type RestStoreOptions } from "./restStore.js";
export type { RetryOptions } from "./backoff.js";
export type { Credentials } from "./auth.js";
export { MlflowError, TrackingValidationError } from "./errors.js";
export { LIMITS } from "./limits.js";
export { BEST_PARAM_PREFIX, METRIC, TAG } from "./tagKeys.js";
export { flattenParams } from "./flatten.js";
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
} from "./types.js";
