import { TrackingValidationError } from "./errors.js";
import { LIMITS } from "./limits.js";

const KEY_CHARS = /^[A-Za-z0-9_\-.:/ ]+$/;

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
  if (problem) throw new TrackingValidationError(`${kind} key ${JSON.stringify(key)} ${problem}`);
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
    throw new TrackingValidationError(`${kind} ${JSON.stringify(key)} value must be a string, got ${typeof value}`);
  }
  const limit = kind === "param" ? LIMITS.paramValueLength : LIMITS.tagValueLength;
  if (value.length > limit) {
    throw new TrackingValidationError(
      `${kind} ${JSON.stringify(key)} value must be at most ${limit} characters, got ${value.length}`,
    );
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
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new TrackingValidationError(`metric ${JSON.stringify(name)} value must be a finite number, got ${String(value)}`);
  }
  if (typeof timestamp !== "number" || !Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new TrackingValidationError(
      `metric ${JSON.stringify(name)} timestamp must be a non-negative integer (ms since the epoch), got ${String(timestamp)}`,
    );
  }
  if (typeof step !== "number" || !Number.isSafeInteger(step)) {
    throw new TrackingValidationError(`metric ${JSON.stringify(name)} step must be an integer, got ${String(step)}`);
  }
}

export function validateExperimentName(name: unknown): string {
  if (typeof name !== "string" || name.trim() === "") {
    throw new TrackingValidationError(`experiment name must be a non-empty string, got ${JSON.stringify(name)}`);
  }
  if (name.length > LIMITS.experimentNameLength) {
    throw new TrackingValidationError(
      `experiment name must be at most ${LIMITS.experimentNameLength} characters, got ${name.length}`,
    );
  }
  return name;
}

const RUN_ID = /^[0-9a-f]{32}$/;

export function validateRunId(runId: unknown): string {
  if (typeof runId !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(runId)) {
    throw new TrackingValidationError(`run id must be an MLflow run id (letters, digits), got ${JSON.stringify(runId)}`);
  }
  return runId;
}

export function isFileStoreRunId(runId: string): boolean {
  return RUN_ID.test(runId);
}
