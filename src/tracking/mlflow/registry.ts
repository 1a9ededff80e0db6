import { invalidTrackingArgument, TrackingValidationError } from "./errors.js";
import type { KeyValue } from "./types.js";

/** One version of a registered model, as MLflow reports it. */
export interface ModelVersion {
  name: string;
  /** "1", "2", ... (a string, as MLflow's REST API gives it). */
  version: string;
  /** Where the model's files are: the run's artifact folder + the artifact path. */
  source: string;
  runId: string;
  status: string;
  currentStage: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  aliases: string[];
  tags: Record<string, string>;
}

export interface CreateModelVersionRequest {
  name: string;
  source: string;
  runId?: string;
  tags?: KeyValue[];
}

/**
 * MLflow's Model Registry, where a store has one (SQLite and tracking servers; the file store has none).
 * Calls fail with `MlflowError` (e.g. `RESOURCE_DOES_NOT_EXIST`) or `TrackingValidationError`.
 */
export interface ModelRegistry {
  /** Creates the registered model `name` unless it exists; `tags` are set on it either way. */
  createRegisteredModel(name: string, tags?: KeyValue[]): Promise<void>;
  /** A new version (the model's highest version + 1), status READY. */
  createModelVersion(request: CreateModelVersionRequest): Promise<ModelVersion>;
  /** Points `alias` at `version`, moving it from the version it named before. */
  setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void>;
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion>;
  /** The versions of the registered model `name`, newest first. */
  searchModelVersions(name: string): Promise<ModelVersion[]>;
}

/** A registered model name MLflow accepts and `models:/<name>/<version>` URIs can carry: non-empty, no `/`, at most 256 characters. */
export function validateModelName(name: unknown, argument = "name"): string {
  if (typeof name !== "string" || name.trim() === "") throw invalidTrackingArgument(argument, "a non-empty string", name, "registered model name");
  if (name.length > 256) {
    throw new TrackingValidationError(argument, `registered model name must be at most 256 characters, got ${name.length}`, "a string of at most 256 characters", name);
  }
  if (name.includes("/")) {
    const message = `registered model name ${JSON.stringify(name)} must not contain "/" (models:/<name>/<version> URIs could not name it)`;
    throw new TrackingValidationError(argument, message, 'a name without "/"', name);
  }
  return name;
}

/** An alias MLflow accepts: letters, digits, `_` and `-`, at most 255 characters, not `latest` and not `v<digits>` (reserved). */
export function validateAlias(alias: unknown, argument = "alias"): string {
  if (typeof alias !== "string" || !/^[\w-]{1,255}$/.test(alias)) throw invalidTrackingArgument(argument, '1 to 255 letters, digits, "_" or "-"', alias, "model alias");
  if (alias.toLowerCase() === "latest" || /^v\d+$/i.test(alias)) {
    const message = `model alias ${JSON.stringify(alias)} is reserved by MLflow ("latest" and "v<number>" name versions)`;
    throw new TrackingValidationError(argument, message, 'an alias other than "latest" and "v<number>"', alias);
  }
  return alias;
}
