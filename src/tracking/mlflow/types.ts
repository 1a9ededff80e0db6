export type RunStatus = "RUNNING" | "SCHEDULED" | "FINISHED" | "FAILED" | "KILLED";

export const RUN_STATUSES: readonly RunStatus[] = ["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"];

export interface Metric {
  key: string;
  value: number;
  /** Milliseconds since the epoch. */
  timestamp: number;
  step: number;
}

export interface KeyValue {
  key: string;
  value: string;
}

export interface Experiment {
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: string;
}

export interface RunInfo {
  runId: string;
  experimentId: string;
  runName: string;
  userId: string;
  status: RunStatus;
  startTime: number;
  endTime: number | null;
  artifactUri: string;
  lifecycleStage: string;
}

export interface Run {
  info: RunInfo;
  data: {
    /** The latest value of each metric. */
    metrics: Record<string, number>;
    params: Record<string, string>;
    tags: Record<string, string>;
  };
}

export interface CreateRunRequest {
  experimentId: string;
  runName: string;
  startTime: number;
  userId: string;
  tags: KeyValue[];
}

export interface LogBatchRequest {
  runId: string;
  metrics: Metric[];
  params: KeyValue[];
  tags: KeyValue[];
}

export interface SearchRunsRequest {
  experimentIds: string[];
  /** MLflow's filter syntax, e.g. `tags.mlflow.parentRunId = '<id>'`. */
  filter?: string;
  /** e.g. `["metrics.loss ASC"]`. */
  orderBy?: string[];
  maxResults?: number;
  pageToken?: string;
}

export interface SearchRunsPage {
  runs: Run[];
  nextPageToken?: string;
}
