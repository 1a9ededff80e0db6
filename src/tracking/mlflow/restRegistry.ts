import { validateAlias, validateModelName, type CreateModelVersionRequest, type ModelRegistry, type ModelVersion } from "./registry.js";
import { MlflowError } from "./errors.js";
import type { KeyValue } from "./types.js";
import { validateKey, validateRunId, validateValue } from "./validation.js";

type Json = Record<string, unknown>;
type Call = (method: "GET" | "POST", path: string, body?: Json) => Promise<Json>;

const BASE = "/api/2.0/mlflow";

function toVersion(raw: unknown): ModelVersion {
  const v = (raw ?? {}) as Json;
  const tags = (v.tags as KeyValue[] | undefined) ?? [];
  return {
    name: String(v.name ?? ""),
    version: String(v.version ?? ""),
    source: String(v.source ?? ""),
    runId: String(v.run_id ?? ""),
    status: String(v.status ?? "READY"),
    currentStage: String(v.current_stage ?? "None"),
    creationTimestamp: Number(v.creation_timestamp ?? 0),
    lastUpdatedTimestamp: Number(v.last_updated_timestamp ?? 0),
    aliases: ((v.aliases as unknown[] | undefined) ?? []).map(String),
    tags: Object.fromEntries(tags.map((t) => [t.key, t.value])),
  };
}

function checkTags(tags: readonly KeyValue[]): KeyValue[] {
  for (const tag of tags) validateValue("tag", validateKey("tag", tag.key), tag.value);
  return [...tags];
}

/** The Model Registry of a tracking server, over MLflow's REST API (`registered-models/...`, `model-versions/...`). */
export class RestRegistry implements ModelRegistry {
  constructor(private readonly call: Call) {}

  async createRegisteredModel(name: string, tags: readonly KeyValue[] = []): Promise<void> {
    validateModelName(name);
    checkTags(tags);
    try {
      await this.call("POST", `${BASE}/registered-models/create`, { name, tags });
      return;
    } catch (error) {
      if (!(error instanceof MlflowError) || error.errorCode !== "RESOURCE_ALREADY_EXISTS") throw error;
    }
    for (const tag of tags) await this.call("POST", `${BASE}/registered-models/set-tag`, { name, key: tag.key, value: tag.value });
  }

  async createModelVersion(request: CreateModelVersionRequest): Promise<ModelVersion> {
    validateModelName(request.name);
    if (request.runId !== undefined) validateRunId(request.runId);
    const body: Json = { name: request.name, source: request.source, tags: checkTags(request.tags ?? []) };
    if (request.runId !== undefined) body.run_id = request.runId;
    const reply = await this.call("POST", `${BASE}/model-versions/create`, body);
    return toVersion(reply.model_version);
  }

  async setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void> {
    await this.call("POST", `${BASE}/registered-models/alias`, { name: validateModelName(name), alias: validateAlias(alias), version: String(version) });
  }

  async getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    const query = `name=${encodeURIComponent(validateModelName(name))}&alias=${encodeURIComponent(validateAlias(alias))}`;
    return toVersion((await this.call("GET", `${BASE}/registered-models/alias?${query}`)).model_version);
  }

  async searchModelVersions(name: string): Promise<ModelVersion[]> {
    const filter = `name='${validateModelName(name).replaceAll("'", "\\'")}'`;
    const reply = await this.call("GET", `${BASE}/model-versions/search?filter=${encodeURIComponent(filter)}`);
    return ((reply.model_versions as unknown[] | undefined) ?? []).map(toVersion);
  }
}
