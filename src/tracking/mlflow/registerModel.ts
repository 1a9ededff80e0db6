import { randomUUID } from "node:crypto";
import { validateArtifactPath } from "./artifactPath.js";
import { invalidTrackingArgument, TrackingValidationError } from "./errors.js";
import { validateAlias, validateModelName, type ModelRegistry, type ModelVersion } from "./registry.js";
import type { TrackingStore } from "./store.js";
import { validateKey, validateValue } from "./validation.js";

export interface RegisterModelOptions {
  /** Registered model name (created when missing). */
  name: string;
  /** The run's artifact folder that holds the model (default "model"). */
  artifactPath?: string;
  /** Tags of the new version. */
  tags?: Record<string, string>;
  /** An alias (e.g. "champion") moved to the new version. */
  alias?: string;
  /** Write a minimal `MLmodel` file when the folder has none (MLflow's registration needs one; it does not read it). */
  writeMLmodel?: boolean;
}

/** How a registration's inputs are named in errors: fmin's `registerModel` option (the default), or `MlflowClient.registerModel`'s arguments. */
export interface RegisterArgumentNames {
  name: string;
  /** The argument that named the artifact folder. */
  artifactPath: string;
  alias: string;
}

const REGISTER_MODEL_OPTION: RegisterArgumentNames = { name: "registerModel.name", artifactPath: "registerModel.artifactPath", alias: "registerModel.alias" };

/** Checks registration options before anything is written: the name, the path, the tags and the alias MLflow accepts. */
export function validateRegisterOptions(options: RegisterModelOptions, names: RegisterArgumentNames = REGISTER_MODEL_OPTION): void {
  if (options === null || typeof options !== "object") throw invalidTrackingArgument("registerModel", "{ name, artifactPath?, tags?, alias? }", options);
  validateModelName(options.name, names.name);
  validateArtifactPath(options.artifactPath ?? "model", names.artifactPath);
  for (const [key, value] of Object.entries(options.tags ?? {})) validateValue("tag", validateKey("tag", key), value);
  if (options.alias !== undefined) validateAlias(options.alias, names.alias);
}

/** The store's registry, or a clear refusal for the file store, which has none. */
export function registryOf(store: TrackingStore): ModelRegistry {
  if (store.registry) return store.registry;
  throw new TrackingValidationError(
    "trackingUri",
    `${store.uri} is MLflow's file store, which has no Model Registry; record to sqlite:///mlflow.db or a tracking server to register models`,
    "a store with a Model Registry: sqlite:///<path>.db or a tracking server",
    store.uri,
  );
}

/** The `MLmodel` MLflow writes for a model without flavors; its content is not read when registering. */
async function minimalMLmodel(runId: string, artifactPath: string): Promise<string> {
  const { stringify } = await import("yaml");
  const created = new Date().toISOString().replace("T", " ").replace("Z", "");
  return stringify({ artifact_path: artifactPath, flavors: {}, model_uuid: randomUUID().replaceAll("-", ""), run_id: runId, utc_time_created: created });
}

/**
 * Registers the folder `artifactPath` of run `runId` as a new version of the registered model `name` (created when
 * missing): the run is the version's source run, `tags` its tags, `alias` moved to it. Refuses a folder the run
 * did not log, and one without `MLmodel` unless `writeMLmodel` is set.
 */
export async function registerRunModel(
  store: TrackingStore,
  runId: string,
  options: RegisterModelOptions,
  names: RegisterArgumentNames = REGISTER_MODEL_OPTION,
): Promise<ModelVersion> {
  validateRegisterOptions(options, names);
  const registry = registryOf(store);
  const artifactPath = options.artifactPath ?? "model";
  const entries = await store.listArtifacts(runId, artifactPath);
  if (entries.length === 0) {
    const message = `run ${runId} logged no artifact folder ${JSON.stringify(artifactPath)} to register`;
    throw new TrackingValidationError(names.artifactPath, message, `an artifact folder run ${runId} logged`, artifactPath);
  }
  if (!entries.includes("MLmodel")) {
    if (!options.writeMLmodel) {
      const message = `run ${runId}'s artifact folder ${JSON.stringify(artifactPath)} holds no MLmodel file, which MLflow needs to register a model`;
      throw new TrackingValidationError(names.artifactPath, message, "an artifact folder that holds an MLmodel file", artifactPath);
    }
    await store.logArtifact(runId, `${artifactPath}/MLmodel`, new TextEncoder().encode(await minimalMLmodel(runId, artifactPath)));
  }
  const run = await store.getRun(runId);
  await registry.createRegisteredModel(options.name);
  const tags = Object.entries(options.tags ?? {}).map(([key, value]) => ({ key, value }));
  const version = await registry.createModelVersion({ name: options.name, source: `${run.info.artifactUri}/${artifactPath}`, runId, tags });
  if (options.alias === undefined) return version;
  await registry.setRegisteredModelAlias(options.name, options.alias, version.version);
  return { ...version, aliases: [...version.aliases, options.alias] };
}
