import { decodeToken, encodeToken } from "./pageToken.js";
import { compareRuns, matchesFilter, parseFilter, parseOrderBy, type Clause } from "./searchQuery.js";
import { RUN_STATUSES, type Metric, type Run, type RunStatus, type SearchRunsPage, type SearchRunsRequest } from "./types.js";
import type { RowWriter } from "./sqliteRows.js";
import { experimentKey, notFound } from "./sqliteRuns.js";
import { validateMaxResults } from "./validation.js";

interface RunRow {
  run_uuid: string;
  name: string | null;
  user_id: string | null;
  status: string | null;
  start_time: number | null;
  end_time: number | null;
  lifecycle_stage: string | null;
  artifact_uri: string | null;
  experiment_id: number | null;
}

interface EntityRow {
  run_uuid: string;
  key: string;
  value: string | null;
}

interface MetricRow {
  run_uuid: string;
  key: string;
  value: number;
  is_nan: number;
}

function toRun(row: RunRow): Run {
  const status = (row.status ?? "RUNNING") as RunStatus;
  return {
    info: {
      runId: row.run_uuid,
      experimentId: String(row.experiment_id),
      runName: row.name ?? "",
      userId: row.user_id ?? "",
      status: RUN_STATUSES.includes(status) ? status : "RUNNING",
      startTime: row.start_time ?? 0,
      endTime: row.end_time,
      artifactUri: row.artifact_uri ?? "",
      lifecycleStage: row.lifecycle_stage ?? "active",
    },
    data: { metrics: {}, params: {}, tags: {} },
  };
}

/**
 * Runs chosen by `where` (SQL over `runs`), with their tags, params and latest metrics, read in one
 * short read transaction (4 queries, whatever the number of runs).
 */
function loadRuns(rows: RowWriter, where: string, args: unknown[]): Run[] {
  return rows.db.transaction(() => {
    const runs = new Map<string, Run>();
    for (const row of rows.prepare(`SELECT * FROM runs WHERE ${where}`).all(...args) as RunRow[]) runs.set(row.run_uuid, toRun(row));
    const inRuns = `run_uuid IN (SELECT run_uuid FROM runs WHERE ${where})`;
    for (const tag of rows.prepare(`SELECT run_uuid, key, value FROM tags WHERE ${inRuns}`).all(...args) as EntityRow[]) {
      const run = runs.get(tag.run_uuid);
      if (run) run.data.tags[tag.key] = tag.value ?? "";
    }
    for (const param of rows.prepare(`SELECT run_uuid, key, value FROM params WHERE ${inRuns}`).all(...args) as EntityRow[]) {
      const run = runs.get(param.run_uuid);
      if (run) run.data.params[param.key] = param.value ?? "";
    }
    for (const m of rows.prepare(`SELECT run_uuid, key, value, is_nan FROM latest_metrics WHERE ${inRuns}`).all(...args) as MetricRow[]) {
      const run = runs.get(m.run_uuid);
      if (run) run.data.metrics[m.key] = m.is_nan ? NaN : m.value;
    }
    for (const run of runs.values()) {
      if (run.info.runName === "") run.info.runName = run.data.tags["mlflow.runName"] ?? "";
    }
    return [...runs.values()];
  }).deferred();
}

export function readRun(rows: RowWriter, runId: string): Run {
  const [run] = loadRuns(rows, "run_uuid = ?", [runId]);
  if (!run) throw notFound(`run ${runId}`);
  return run;
}

/** Tag equality clauses narrow the runs read in SQL; every clause is then checked on the runs read. */
function narrowing(clauses: readonly Clause[]): { sql: string; args: unknown[] } {
  const parts: string[] = [];
  const args: unknown[] = [];
  for (const clause of clauses) {
    if (clause.entity !== "tags" || clause.op !== "=" || typeof clause.value !== "string") continue;
    parts.push("run_uuid IN (SELECT run_uuid FROM tags WHERE key = ? AND value = ?)");
    args.push(clause.key, clause.value);
  }
  return { sql: parts.map((p) => ` AND ${p}`).join(""), args };
}

export function searchRunRows(rows: RowWriter, request: SearchRunsRequest): SearchRunsPage {
  const clauses = parseFilter(request.filter);
  const orders = parseOrderBy(request.orderBy);
  const maxResults = validateMaxResults(request.maxResults ?? 1000);
  const ids = request.experimentIds.map(experimentKey);
  const narrow = narrowing(clauses);
  const where = `experiment_id IN (${ids.map(() => "?").join(", ")}) AND lifecycle_stage = 'active'${narrow.sql}`;
  const runs = loadRuns(rows, where, [...ids, ...narrow.args]).filter((run) => matchesFilter(run, clauses));
  runs.sort(compareRuns(orders));
  const offset = request.pageToken ? decodeToken(request.pageToken) : 0;
  const page = runs.slice(offset, offset + maxResults);
  const next = offset + page.length;
  return next < runs.length ? { runs: page, nextPageToken: encodeToken(next) } : { runs: page };
}

export function metricHistory(rows: RowWriter, runId: string, key: string): Metric[] {
  const found = rows.prepare("SELECT 1 FROM runs WHERE run_uuid = ?").get(runId);
  if (found === undefined) throw notFound(`run ${runId}`);
  const history = rows
    .prepare("SELECT value, timestamp, step, is_nan FROM metrics WHERE run_uuid = ? AND key = ? ORDER BY timestamp, step, rowid")
    .all(runId, key) as Array<{ value: number; timestamp: number; step: number; is_nan: number }>;
  return history.map((m) => ({ key, value: m.is_nan ? NaN : m.value, timestamp: m.timestamp, step: m.step }));
}
