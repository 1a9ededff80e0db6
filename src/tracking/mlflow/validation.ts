import { invalidTrackingArgument, TrackingValidationError } from "./errors.js";
import { LIMITS } from "./limits.js";
import { RUN_STATUSES, type RunStatus } from "./types.js";

const KEY_CHARS = /^[A-Za-z0-9_\-.:/ ]+$/;

/** What MLflow takes as a param, metric or tag key, in words. */
export const KEY_EXPECTED = `a string of 1 to ${LIMITS.keyLength} letters, digits, '_', '-', '.', ':', '/' or spaces, not starting with '/', without empty, '.' or '..' path segments`;

/** Why MLflow would refuse `key` as a param, metric or tag name, or undefined when it is fine. */
export function keyProblem(key: unknown): string | undefined {
  if (typeof key !== "string") return `must be a string, got ${typeof key}`;
  if (key.length === 0) return "must not be empty";
  if (key.length > LIMITS.keyLength) return `must be at most ${LIMITS.keyLength} characters, got ${key.length}`;
  if (!KEY_CHARS.test(key)) return "may only contain letters, digits, '_', '-', '.', ':', '/' and spaces";
  if (key.startsWith("/")) return "must not start with '/'";
  for (const segment of key.split("/")) {
    if (segment === "." || segment === "..") return "must not contain '.' or '..' path segments";
    if (segment === "") return "must not change under path normalisation (empty segment or trailing '/')";
  }
  return undefined;
}

export type KeyKind = "param" | "metric" | "tag";

/** Keys found fine before: a search logs the same few keys for every trial. Bounded, so that endless distinct keys cannot grow it. */
const goodKeys = new Set<string>();
const GOOD_KEYS_KEPT = 10_000;

export function validateKey(kind: KeyKind, key: unknown): string {
  if (typeof key === "string" && goodKeys.has(key)) return key;
  const problem = keyProblem(key);
  if (problem) throw new TrackingValidationError("key", `${kind} key ${JSON.stringify(key)} ${problem}`, KEY_EXPECTED, key);
  if (goodKeys.size >= GOOD_KEYS_KEPT) goodKeys.clear();
  goodKeys.add(key as string);
  return key as string;
}

/** A string that passes `keyProblem`, as close to `raw` as possible: used for keys derived from user data. */
export function sanitizeKey(raw: string): string {
  const cleaned = raw
    .replace(/[^A-Za-z0-9_\-.:/ ]/g, "_")
    .split("/")
    .map((segment) => (segment === "" || segment === "." || segment === ".." ? "_".repeat(Math.max(1, segment.length)) : segment))
    .join("/")
    .slice(0, LIMITS.keyLength);
  const trimmed = cleaned.endsWith("/") ? `${cleaned.slice(0, -1)}_` : cleaned;
  return keyProblem(trimmed) === undefined ? trimmed : "_";
}

export function validateValue(kind: "param" | "tag", key: string, value: unknown): string {
  if (typeof value !== "string") {
    throw new TrackingValidationError("value", `${kind} ${JSON.stringify(key)} value must be a string, got ${typeof value}`, "a string", value);
  }
  const limit = kind === "param" ? LIMITS.paramValueLength : LIMITS.tagValueLength;
  if (value.length > limit) {
    const expected = `a string of at most ${limit} characters`;
    throw new TrackingValidationError("value", `${kind} ${JSON.stringify(key)} value must be at most ${limit} characters, got ${value.length}`, expected, value);
  }
  return value;
}

/**
 * The value MLflow will keep: at most 6000 characters for a param, 8000 for a tag. Longer values are cut
 * here (MLflow would cut them silently) and `onTruncate` is told which key lost how much.
 */
export function fitValue(
  kind: "param" | "tag",
  key: string,
  value: string,
  onTruncate: (message: string) => void,
): string {
  const limit = kind === "param" ? LIMITS.paramValueLength : LIMITS.tagValueLength;
  if (value.length <= limit) return value;
  onTruncate(`${kind} ${JSON.stringify(key)} is ${value.length} characters; MLflow keeps ${limit}, so it was truncated to ${limit}`);
  return value.slice(0, limit);
}

export function validateMetric(key: unknown, value: unknown, timestamp: unknown, step: unknown): void {
  const name = validateKey("metric", key);
  const subject = `metric ${JSON.stringify(name)}`;
  if (typeof value !== "number" || !Number.isFinite(value)) throw invalidTrackingArgument("value", "a finite number", value, `${subject} value`);
  if (typeof timestamp !== "number" || !Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw invalidTrackingArgument("timestamp", "a non-negative integer (ms since the epoch)", timestamp, `${subject} timestamp`);
  }
  if (typeof step !== "number" || !Number.isSafeInteger(step)) throw invalidTrackingArgument("step", "an integer", step, `${subject} step`);
}

export function validateExperimentName(name: unknown): string {
  if (typeof name !== "string" || name.trim() === "") throw invalidTrackingArgument("experiment", "a non-empty string", name, "experiment name");
  if (name.length > LIMITS.experimentNameLength) {
    const expected = `a string of at most ${LIMITS.experimentNameLength} characters`;
    throw new TrackingValidationError("experiment", `experiment name must be at most ${LIMITS.experimentNameLength} characters, got ${name.length}`, expected, name);
  }
  return name;
}

const RUN_ID = /^[0-9a-f]{32}$/;

export function validateRunId(runId: unknown): string {
  if (typeof runId !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(runId)) {
    throw invalidTrackingArgument("run_id", "an MLflow run id (1 to 64 letters, digits, '_' or '-')", runId, "run id");
  }
  return runId;
}

export function isFileStoreRunId(runId: string): boolean {
  return RUN_ID.test(runId);
}

/** The run statuses MLflow knows. */
export function validateRunStatus(status: unknown): RunStatus {
  if (!RUN_STATUSES.includes(status as RunStatus)) throw invalidTrackingArgument("status", `one of ${RUN_STATUSES.join(", ")}`, status, "run status");
  return status as RunStatus;
}

/** `max_results` of a search: a whole number from 1 to MLflow's limit. */
export function validateMaxResults(maxResults: unknown): number {
  if (typeof maxResults !== "number" || !Number.isInteger(maxResults) || maxResults < 1 || maxResults > LIMITS.searchMaxResults) {
    throw invalidTrackingArgument("max_results", `an integer from 1 to ${LIMITS.searchMaxResults}`, maxResults);
  }
  return maxResults;
}

/** A log-batch within MLflow's limits on metrics, params and tags, each and together. */
export function validateBatchSize(batch: { metrics: readonly unknown[]; params: readonly unknown[]; tags: readonly unknown[] }): void {
  const limits = { metrics: LIMITS.batchMetrics, params: LIMITS.batchParams, tags: LIMITS.batchTags } as const;
  for (const field of ["metrics", "params", "tags"] as const) {
    const count = batch[field].length;
    if (count > limits[field]) {
      throw new TrackingValidationError(field, `log-batch ${field} must be at most ${limits[field]}, got ${count}; split it with splitBatch`, `at most ${limits[field]} ${field} in one log-batch`, count);
    }
  }
  const total = batch.metrics.length + batch.params.length + batch.tags.length;
  if (total > LIMITS.batchEntities) {
    const expected = `at most ${LIMITS.batchEntities} metrics, params and tags together in one log-batch`;
    throw new TrackingValidationError("batch", `log-batch must hold ${expected}, got ${total}; split it with splitBatch`, expected, total);
  }
}

/** Refuses a param key that appears twice in one log-batch, which MLflow refuses. */
export function validateDistinctParams(params: readonly { key: string }[]): void {
  const seen = new Set<string>();
  for (const { key } of params) {
    if (seen.has(key)) throw new TrackingValidationError("key", `param ${JSON.stringify(key)} appears twice in one batch`, "a param key that appears once in a log-batch", key);
    seen.add(key);
  }
}

/** The error for a param logged again with another value: MLflow keeps a run's params fixed. */
export function paramChanged(key: string, current: string | undefined, value: string): TrackingValidationError {
  return new TrackingValidationError(
    "value",
    `param ${JSON.stringify(key)} already has value ${JSON.stringify(current)}; a param cannot change`,
    `the value already logged, ${JSON.stringify(current)} (a param cannot change)`,
    value,
  );
}
