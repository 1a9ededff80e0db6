import { MlflowError } from "./errors.js";
import { newRunId } from "./ids.js";
import { TAG } from "./tagKeys.js";
import type { CreateRunRequest, Experiment, KeyValue, RunInfo, RunStatus } from "./types.js";
import type { RowShape, RowWriter } from "./sqliteRows.js";

interface ExperimentRow {
  experiment_id: number;
  name: string;
  artifact_location: string | null;
  lifecycle_stage: string | null;
}

function toExperiment(row: ExperimentRow): Experiment {
  return {
    experimentId: String(row.experiment_id),
    name: row.name,
    artifactLocation: row.artifact_location ?? "",
    lifecycleStage: row.lifecycle_stage ?? "active",
  };
}

export function notFound(what: string): MlflowError {
  return new MlflowError(`${what} does not exist`, "RESOURCE_DOES_NOT_EXIST", false);
}

/** An experiment id as the table keys it (an integer). */
export function experimentKey(experimentId: string): number {
  if (!/^\d{1,18}$/.test(experimentId)) throw notFound(`experiment ${JSON.stringify(experimentId)}`);
  return Number(experimentId);
}

export function experimentByName(rows: RowWriter, name: string): Experiment | undefined {
  const row = rows.prepare("SELECT * FROM experiments WHERE name = ?").get(name) as ExperimentRow | undefined;
  return row === undefined ? undefined : toExperiment(row);
}

function experimentById(rows: RowWriter, experimentId: number): Experiment | undefined {
  const known = rows.batch?.experiments.get(experimentId) as Experiment | undefined;
  if (known !== undefined) return known;
  const row = rows.prepare("SELECT * FROM experiments WHERE experiment_id = ?").get(experimentId) as ExperimentRow | undefined;
  const experiment = row === undefined ? undefined : toExperiment(row);
  if (experiment !== undefined) rows.batch?.experiments.set(experimentId, experiment);
  return experiment;
}

/**
 * The id of the active experiment `name`, created as MLflow creates one when missing: id left to SQLite
 * (max + 1), then its artifact location `<artifactRoot>/<id>`. Call inside a write transaction.
 */
export function getOrCreateExperiment(rows: RowWriter, name: string, artifactRoot: string, now: number): string {
  const found = experimentByName(rows, name);
  if (found) {
    if (found.lifecycleStage !== "active") {
      throw new MlflowError(`experiment ${JSON.stringify(name)} is deleted; restore it or choose another name`, "INVALID_STATE", false);
    }
    return found.experimentId;
  }
  const inserted = rows.insert("experiments", { name, lifecycle_stage: "active", creation_time: now, last_update_time: now });
  const id = Number(inserted.lastInsertRowid);
  rows.prepare("UPDATE experiments SET artifact_location = ? WHERE experiment_id = ?").run(`${artifactRoot}/${id}`, id);
  return String(id);
}

/**
 * Sets run tags, replacing a tag's earlier value (the tags table's key is the same in every MLflow schema);
 * `mlflow.runName` also renames the run, as in MLflow.
 */
export function setTags(rows: RowWriter, runId: string, tags: readonly KeyValue[]): void {
  const replace = rows.prepare("INSERT OR REPLACE INTO tags (key, value, run_uuid) VALUES (?, ?, ?)");
  for (const tag of tags) {
    replace.run(tag.key, tag.value, runId);
    if (tag.key === TAG.runName) rows.prepare("UPDATE runs SET name = ? WHERE run_uuid = ?").run(tag.value, runId);
  }
}

const RUN_ROW: RowShape = {
  table: "runs",
  columns: ["run_uuid", "name", "source_type", "source_name", "entry_point_name", "user_id", "status", "start_time", "end_time", "source_version", "lifecycle_stage", "artifact_uri", "experiment_id", "deleted_time"],
};

/** A run's row as MLflow writes it (source columns empty, artifact URI under the experiment), with its tags. */
export function createRun(rows: RowWriter, request: CreateRunRequest): RunInfo {
  const experiment = experimentById(rows, experimentKey(request.experimentId));
  if (!experiment) throw notFound(`experiment ${request.experimentId}`);
  if (experiment.lifecycleStage !== "active") {
    throw new MlflowError(`experiment ${request.experimentId} is deleted; runs cannot be created in it`, "INVALID_STATE", false);
  }
  const runId = newRunId();
  const artifactUri = `${experiment.artifactLocation}/${runId}/artifacts`;
  // Source columns empty, no end or deleted time.
  rows.insertValues(RUN_ROW, runId, request.runName, "UNKNOWN", "", "", request.userId, "RUNNING", request.startTime, null, "", "active", artifactUri, Number(experiment.experimentId), null);
  const insert = rows.prepare("INSERT OR REPLACE INTO tags (key, value, run_uuid) VALUES (?, ?, ?)");
  for (const tag of request.tags) if (tag.key !== TAG.runName) insert.run(tag.key, tag.value, runId);
  insert.run(TAG.runName, request.runName, runId);
  rows.batch?.runs.set(runId, new Set());
  return {
    runId,
    experimentId: experiment.experimentId,
    runName: request.runName,
    userId: request.userId,
    status: "RUNNING",
    startTime: request.startTime,
    endTime: null,
    artifactUri,
    lifecycleStage: "active",
  };
}

export function updateRun(rows: RowWriter, runId: string, status: RunStatus, endTime: number): void {
  const updated = rows.prepare("UPDATE runs SET status = ?, end_time = ? WHERE run_uuid = ?").run(status, endTime, runId);
  if (updated.changes === 0) throw notFound(`run ${runId}`);
}
