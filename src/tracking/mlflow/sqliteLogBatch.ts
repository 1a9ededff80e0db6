import { TrackingValidationError } from "./errors.js";
import { paramChanged } from "./validation.js";
import type { KeyValue, Metric } from "./types.js";
import type { RowShape, RowWriter } from "./sqliteRows.js";
import { notFound, setTags } from "./sqliteRuns.js";

/** The largest double: MLflow stores +/-Infinity as +/- this. */
const MAX_DOUBLE = 1.7976931348623157e308;

/** A metric value as MLflow stores it: NaN as 0.0 with `is_nan` 1, infinities clamped. */
export function storedMetricValue(value: number): { value: number; isNan: 0 | 1 } {
  if (Number.isNaN(value)) return { value: 0, isNan: 1 };
  if (value === Infinity) return { value: MAX_DOUBLE, isNan: 0 };
  if (value === -Infinity) return { value: -MAX_DOUBLE, isNan: 0 };
  return { value, isNan: 0 };
}

interface LatestRow {
  value: number;
  timestamp: number | null;
  step: number;
  is_nan: number;
}

/** Whether (step, timestamp, value) of `next` is greater than the stored latest value: MLflow's order. */
function isNewer(next: { step: number; timestamp: number; value: number }, stored: LatestRow): boolean {
  if (next.step !== stored.step) return next.step > stored.step;
  const storedTime = stored.timestamp ?? 0;
  if (next.timestamp !== storedTime) return next.timestamp > storedTime;
  return next.value > stored.value;
}

const METRIC_ROW: RowShape = { table: "metrics", columns: ["key", "value", "timestamp", "run_uuid", "step", "is_nan"], or: " OR IGNORE" };
const LATEST_ROW: RowShape = { table: "latest_metrics", columns: ["key", "value", "timestamp", "step", "is_nan", "run_uuid"] };

function logMetric(rows: RowWriter, runId: string, metric: Metric): void {
  const { value, isNan } = storedMetricValue(metric.value);
  const inserted = rows.insertValues(METRIC_ROW, metric.key, value, metric.timestamp, runId, metric.step, isNan);
  if (inserted.changes === 0) return;
  const latestKeys = rows.batch?.runs.get(runId);
  const stored =
    latestKeys !== undefined && !latestKeys.has(metric.key)
      ? undefined
      : (rows.prepare("SELECT value, timestamp, step, is_nan FROM latest_metrics WHERE key = ? AND run_uuid = ?").get(metric.key, runId) as LatestRow | undefined);
  latestKeys?.add(metric.key);
  if (stored === undefined) {
    rows.insertValues(LATEST_ROW, metric.key, value, metric.timestamp, metric.step, isNan, runId);
  } else if (isNewer({ step: metric.step, timestamp: metric.timestamp, value }, stored)) {
    rows
      .prepare("UPDATE latest_metrics SET value = ?, timestamp = ?, step = ?, is_nan = ? WHERE key = ? AND run_uuid = ?")
      .run(value, metric.timestamp, metric.step, isNan, metric.key, runId);
  }
}

function logParam(rows: RowWriter, runId: string, param: KeyValue): void {
  const inserted = rows.prepare("INSERT OR IGNORE INTO params (key, value, run_uuid) VALUES (?, ?, ?)").run(param.key, param.value, runId);
  if (inserted.changes > 0) return;
  const current = rows.prepare("SELECT value FROM params WHERE key = ? AND run_uuid = ?").pluck().get(param.key, runId) as string | undefined;
  if (current !== param.value) throw paramChanged(param.key, current, param.value);
}

/**
 * Params, tags and metrics of one run, each metric with its `latest_metrics` row, in the caller's
 * transaction. A param logged again with the same value is a no-op; an exact duplicate metric is dropped.
 */
export function logBatchRows(rows: RowWriter, runId: string, batch: { metrics: Metric[]; params: KeyValue[]; tags: KeyValue[] }): void {
  const created = rows.batch?.runs.has(runId) === true;
  const lifecycle = created ? "active" : (rows.prepare("SELECT lifecycle_stage FROM runs WHERE run_uuid = ?").pluck().get(runId) as string | null | undefined);
  if (lifecycle === undefined) throw notFound(`run ${runId}`);
  if (lifecycle === "deleted") throw new TrackingValidationError("run_id", `run ${runId} is deleted; nothing can be logged to it`, "the id of a run that is not deleted", runId);
  for (const param of batch.params) logParam(rows, runId, param);
  setTags(rows, runId, batch.tags);
  for (const metric of batch.metrics) logMetric(rows, runId, metric);
}
