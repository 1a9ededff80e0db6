import { resolve } from "node:path";
import { z } from "zod";
import { parseArgument } from "../errors.js";
import { MlflowTracker, type MlflowTrackerOptions } from "./mlflowTracker.js";
import { openStore } from "./mlflow/openStore.js";
import type { RestStoreOptions } from "./mlflow/restStore.js";
import { trackingUriOf } from "./mlflow/trackingUri.js";
import { validateExperimentName } from "./mlflow/validation.js";
import { registryOf, validateRegisterOptions } from "./mlflow/registerModel.js";
import { Trials } from "../trials/trials.js";
import { originOf, sameStore } from "./runOrigin.js";

/**
 * A tracker's SQLite connection waits this long for another process's lock before its writer retries later:
 * short, so a locked database never stalls the search (the writer's retries are asynchronous).
 */
const TRACKER_BUSY_TIMEOUT_MS = 100;

export interface OpenTrackerOptions extends Omit<MlflowTrackerOptions, "experiment" | "runName" | "resume"> {
  /**
   * A tracking URI; `true` for `MLFLOW_TRACKING_URI`, else MLflow's default (`sqlite:///mlflow.db` here, or
   * `./mlruns` when it holds a file store); `false` for none even when `MLFLOW_TRACKING_URI` is set.
   * Left out: `MLFLOW_TRACKING_URI` when set, else none.
   */
  tracking?: string | boolean;
  /** Experiment name (created when missing); default "Default". */
  experiment?: string;
  /** Name of the search's parent run. */
  runName?: string;
  /** Options of the REST store (credentials, TLS, retries). */
  rest?: RestStoreOptions;
  env?: NodeJS.ProcessEnv;
  /** The working directory MLflow's default location is found in (default `process.cwd()`). */
  cwd?: string;
  /**
   * The history the search continues. When it came from `resumeTrials`, `tracking` left out means its store,
   * and in its store the search goes on under its parent run.
   */
  history?: Trials;
}

const optionsSchema = z.strictObject({
  tracking: z.union([z.string().min(1), z.boolean()], { error: "a tracking URI or a boolean" }),
  experiment: z.string({ error: "an experiment name" }),
  runName: z.string({ error: "a run name" }),
  warn: z.custom<(message: string) => void>((v) => typeof v === "function", { error: "a function (message) => void" }),
  spoolDir: z.union([z.string().min(1), z.literal(false)], { error: "a folder path or false" }),
  probeMs: z.number({ error: "a number of milliseconds > 0" }).finite("a number of milliseconds > 0").positive("a number of milliseconds > 0"),
  rest: z.looseObject({}, { error: "an object of REST store options" }),
  env: z.record(z.string(), z.string().optional(), { error: "an object of environment variables" }),
  cwd: z.string({ error: "a folder path" }).min(1, "a folder path"),
  history: z.instanceof(Trials, { error: "a Trials instance" }),
  registerModel: z.looseObject({}, { error: "an object of registerModel options" }),
} satisfies Record<keyof OpenTrackerOptions, z.ZodType>).partial();

/**
 * The tracker fmin should use, or undefined when tracking is off (see `tracking`). Throws
 * `TrackingValidationError` for a URI it cannot serve, a store it cannot open, a bad experiment name, or a
 * `registerModel` the store cannot serve (the file store has no registry), before the search starts.
 */
export function openTracker(options: OpenTrackerOptions = {}): MlflowTracker | undefined {
  parseArgument("openTracker", optionsSchema, options, { label: (path) => `option "${path}"` });
  const origin = options.history === undefined ? undefined : originOf(options.history);
  const uri = trackingUriOf(options.tracking ?? origin?.trackingUri, options.env ?? process.env, options.cwd);
  if (uri === undefined) return undefined;
  if (options.experiment !== undefined) validateExperimentName(options.experiment);
  if (options.registerModel !== undefined) validateRegisterOptions(options.registerModel);
  const { tracking: _tracking, rest, env: _env, cwd, history: _history, ...trackerOptions } = options;
  const store = openStore(uri, { ...rest, busyTimeoutMs: TRACKER_BUSY_TIMEOUT_MS, ...(cwd !== undefined ? { artifactRoot: resolve(cwd, "mlruns") } : {}) });
  if (options.registerModel !== undefined && store.registry === undefined) {
    void store.close();
    registryOf(store);
  }
  const resume = origin !== undefined && sameStore(uri, origin.trackingUri) ? origin : undefined;
  return new MlflowTracker(store, { ...trackerOptions, ...(resume ? { resume } : {}) });
}
