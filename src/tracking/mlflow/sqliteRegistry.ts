import { MlflowError } from "./errors.js";
import type { CreateModelVersionRequest, ModelVersion } from "./registry.js";
import type { KeyValue } from "./types.js";
import type { RowWriter } from "./sqliteRows.js";
import { notFound } from "./sqliteRuns.js";

interface VersionRow {
  name: string;
  version: number;
  creation_time: number | null;
  last_updated_time: number | null;
  current_stage: string | null;
  source: string | null;
  run_id: string | null;
  status: string | null;
}

/** Versions MLflow deleted stay as rows in this stage, so their numbers are never reused. */
const DELETED_STAGE = "Deleted_Internal";

function upsertTag(rows: RowWriter, table: string, where: Record<string, string | number>, tag: KeyValue): void {
  const keys = Object.keys(where);
  const match = keys.map((k) => `"${k}" = ?`).join(" AND ");
  const updated = rows.prepare(`UPDATE ${table} SET value = ? WHERE key = ? AND ${match}`).run(tag.value, tag.key, ...keys.map((k) => where[k]));
  if (updated.changes === 0) rows.insert(table, { key: tag.key, value: tag.value, ...where });
}

/** The registered model `name`, created (times = now, no description) unless it exists, with `tags` set. */
export function createRegisteredModel(rows: RowWriter, name: string, tags: readonly KeyValue[], now: number): void {
  const exists = rows.prepare("SELECT 1 FROM registered_models WHERE name = ?").get(name);
  if (exists === undefined) rows.insert("registered_models", { name, creation_time: now, last_updated_time: now, description: null });
  for (const tag of tags) upsertTag(rows, "registered_model_tags", { name }, tag);
}

/** A new version as MLflow's registry writes it: number = highest + 1, stage "None", status READY, storage location = source. */
export function createModelVersion(rows: RowWriter, request: CreateModelVersionRequest, now: number): ModelVersion {
  const exists = rows.prepare("SELECT 1 FROM registered_models WHERE name = ?").get(request.name);
  if (exists === undefined) throw notFound(`registered model ${JSON.stringify(request.name)}`);
  const highest = rows.prepare("SELECT max(version) FROM model_versions WHERE name = ?").pluck().get(request.name) as number | null;
  const version = (highest ?? 0) + 1;
  rows.insert("model_versions", {
    name: request.name,
    version,
    creation_time: now,
    last_updated_time: now,
    description: null,
    user_id: null,
    current_stage: "None",
    source: request.source,
    run_id: request.runId ?? null,
    status: "READY",
    status_message: null,
    run_link: null,
    storage_location: request.source,
  });
  rows.prepare("UPDATE registered_models SET last_updated_time = ? WHERE name = ?").run(now, request.name);
  for (const tag of request.tags ?? []) upsertTag(rows, "model_version_tags", { name: request.name, version }, tag);
  return readVersion(rows, request.name, version);
}

export function readVersion(rows: RowWriter, name: string, version: number): ModelVersion {
  const row = rows.prepare("SELECT * FROM model_versions WHERE name = ? AND version = ?").get(name, version) as VersionRow | undefined;
  if (row === undefined || row.current_stage === DELETED_STAGE) throw notFound(`version ${version} of registered model ${JSON.stringify(name)}`);
  const aliases = rows.prepare("SELECT alias FROM registered_model_aliases WHERE name = ? AND version = ? ORDER BY alias").pluck().all(name, version) as string[];
  const tags = rows.prepare("SELECT key, value FROM model_version_tags WHERE name = ? AND version = ?").all(name, version) as Array<{ key: string; value: string | null }>;
  return {
    name: row.name,
    version: String(row.version),
    source: row.source ?? "",
    runId: row.run_id ?? "",
    status: row.status ?? "READY",
    currentStage: row.current_stage ?? "None",
    creationTimestamp: row.creation_time ?? 0,
    lastUpdatedTimestamp: row.last_updated_time ?? 0,
    aliases,
    tags: Object.fromEntries(tags.map((t) => [t.key, t.value ?? ""])),
  };
}

export function setAlias(rows: RowWriter, name: string, alias: string, version: number): void {
  readVersion(rows, name, version);
  const updated = rows.prepare("UPDATE registered_model_aliases SET version = ? WHERE name = ? AND alias = ?").run(version, name, alias);
  if (updated.changes === 0) rows.insert("registered_model_aliases", { alias, version, name });
}

export function versionByAlias(rows: RowWriter, name: string, alias: string): ModelVersion {
  const version = rows.prepare("SELECT version FROM registered_model_aliases WHERE name = ? AND alias = ?").pluck().get(name, alias) as number | undefined;
  if (version === undefined) {
    throw new MlflowError(`registered model ${JSON.stringify(name)} has no alias ${JSON.stringify(alias)}`, "INVALID_PARAMETER_VALUE", false);
  }
  return readVersion(rows, name, version);
}

export function versionsOf(rows: RowWriter, name: string): ModelVersion[] {
  const numbers = rows
    .prepare("SELECT version FROM model_versions WHERE name = ? AND (current_stage IS NULL OR current_stage != ?) ORDER BY version DESC")
    .pluck()
    .all(name, DELETED_STAGE) as number[];
  return numbers.map((version) => readVersion(rows, name, version));
}
