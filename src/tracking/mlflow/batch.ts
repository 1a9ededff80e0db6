import { LIMITS } from "./limits.js";
import type { TrackingOp } from "./ops.js";
import type { KeyValue, LogBatchRequest, Metric } from "./types.js";

/**
 * Splits a batch into requests MLflow accepts: at most 1000 metrics, 100 params, 100 tags and
 * 1000 entities each, and never the same param key twice in one request (a later duplicate with the
 * same value is dropped; the order of metrics is kept).
 */
export function splitBatch(batch: LogBatchRequest): LogBatchRequest[] {
  if (fitsOneRequest(batch)) return [batch];
  const params = dedupeParams(batch.params);
  const parts: LogBatchRequest[] = [];
  let metrics = [...batch.metrics];
  let rest = { params: [...params], tags: [...batch.tags] };
  while (metrics.length > 0 || rest.params.length > 0 || rest.tags.length > 0) {
    const p = rest.params.slice(0, LIMITS.batchParams);
    const t = rest.tags.slice(0, LIMITS.batchTags);
    const room = LIMITS.batchEntities - p.length - t.length;
    const m = metrics.slice(0, Math.min(LIMITS.batchMetrics, room));
    parts.push({ runId: batch.runId, metrics: m, params: p, tags: t });
    metrics = metrics.slice(m.length);
    rest = { params: rest.params.slice(p.length), tags: rest.tags.slice(t.length) };
  }
  return parts;
}

/** Within every limit, each param key once: the batch is its own request (the common case, checked without copies). */
function fitsOneRequest(batch: LogBatchRequest): boolean {
  const { metrics, params, tags } = batch;
  if (metrics.length > LIMITS.batchMetrics || params.length > LIMITS.batchParams || tags.length > LIMITS.batchTags) return false;
  if (batchSize(batch) > LIMITS.batchEntities) return false;
  for (let i = 1; i < params.length; i++) {
    for (let j = 0; j < i; j++) if ((params[i] as KeyValue).key === (params[j] as KeyValue).key) return false;
  }
  return true;
}

function dedupeParams(params: readonly KeyValue[]): KeyValue[] {
  const seen = new Map<string, string>();
  const out: KeyValue[] = [];
  for (const param of params) {
    if (seen.has(param.key)) continue;
    seen.set(param.key, param.value);
    out.push(param);
  }
  return out;
}

export function batchSize(batch: Pick<LogBatchRequest, "metrics" | "params" | "tags">): number {
  return batch.metrics.length + batch.params.length + batch.tags.length;
}

/** Each entity of a batch on its own: used to isolate the one entity a server refuses. */
export function singleEntityBatches(batch: LogBatchRequest): LogBatchRequest[] {
  const one = (metrics: Metric[], params: KeyValue[], tags: KeyValue[]): LogBatchRequest => ({
    runId: batch.runId,
    metrics,
    params,
    tags,
  });
  return [
    ...batch.params.map((p) => one([], [p], [])),
    ...batch.tags.map((t) => one([], [], [t])),
    ...batch.metrics.map((m) => one([m], [], [])),
  ];
}

/** Merges the logBatch records behind the queue's head into it while they go to the same run and fit one request. */
export function mergeHead(queue: TrackingOp[]): void {
  const head = queue[0];
  if (head?.kind !== "logBatch") return;
  while (queue.length > 1) {
    const next = queue[1];
    if (next?.kind !== "logBatch" || next.run !== head.run) return;
    const keys = new Set(head.params.map((p) => p.key));
    if (next.params.some((p) => keys.has(p.key))) return;
    if (batchSize(head) + batchSize(next) > LIMITS.batchEntities) return;
    queue[0] = {
      ...head,
      metrics: [...head.metrics, ...next.metrics],
      params: [...head.params, ...next.params],
      tags: [...head.tags, ...next.tags],
    };
    queue.splice(1, 1);
    return mergeHead(queue);
  }
}
