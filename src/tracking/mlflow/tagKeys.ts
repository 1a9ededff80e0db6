/** Keys this library writes on MLflow runs (besides MLflow's own `mlflow.*` tags). */
export const TAG = {
  parentRunId: "mlflow.parentRunId",
  runName: "mlflow.runName",
  user: "mlflow.user",
  algorithm: "hyperopt.algorithm",
  algorithmSettings: "hyperopt.algorithm.settings",
  seed: "hyperopt.seed",
  space: "hyperopt.space",
  best: "hyperopt.best",
  bestTid: "hyperopt.best_tid",
  tid: "hyperopt.tid",
  assignment: "hyperopt.assignment",
  params: "hyperopt.params",
  status: "hyperopt.status",
  result: "hyperopt.result",
  reportedMetrics: "hyperopt.reported_metrics",
  errorKind: "error.kind",
  errorMessage: "error.message",
  errorStack: "error.stack",
} as const;

/** Metric keys of the parent and child runs. */
export const METRIC = {
  loss: "loss",
  duration: "duration_s",
  bestLoss: "best_loss",
  nTrials: "n_trials",
  nFailed: "n_failed",
} as const;

/** Prefix of the parent's params holding the best trial's flattened params. */
export const BEST_PARAM_PREFIX = "best.";
