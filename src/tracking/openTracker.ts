import { z } from "zod";
import { parseArgument } from "../errors.js";
import { MlflowTracker, type MlflowTrackerOptions } from "./mlflowTracker.js";
import { openStore } from "./mlflow/openStore.js";
import type { RestStoreOptions } from "./mlflow/restStore.js";
import { validateExperimentName } from "./mlflow/validation.js";

export interface OpenTrackerOptions extends Omit<MlflowTrackerOptions, "experiment" | "runName"> {
  /** Tracking URI; defaults to `MLFLOW_TRACKING_URI`; tracking is off when neither is set. */
  tracking?: string;
  /** Experiment name (created when missing); default "Default". */
  experiment?: string;
  /** Name of the search's parent run. */
  runName?: string;
  /** Options of the REST store (credentials, TLS, retries). */
  rest?: RestStoreOptions;
  env?: NodeJS.ProcessEnv;
}

const optionsSchema = z.strictObject({
  tracking: z.string({ error: "a tracking URI" }).min(1, "a tracking URI"),
  experiment: z.string({ error: "an experiment name" }),
  runName: z.string({ error: "a run name" }),
  warn: z.custom<(message: string) => void>((v) => typeof v === "function", { error: "a function (message) => void" }),
  spoolDir: z.union([z.string().min(1), z.literal(false)], { error: "a folder path or false" }),
  probeMs: z.number({ error: "a number of milliseconds > 0" }).finite("a number of milliseconds > 0").positive("a number of milliseconds > 0"),
  rest: z.looseObject({}, { error: "an object of REST store options" }),
  env: z.record(z.string(), z.string().optional(), { error: "an object of environment variables" }),
} satisfies Record<keyof OpenTrackerOptions, z.ZodType>).partial();

/**
 * The tracker fmin should use: from `tracking`, else `MLFLOW_TRACKING_URI`, else undefined (tracking off).
 * Throws `TrackingValidationError` for a malformed URI or experiment name, before the search starts.
 */
export function openTracker(options: OpenTrackerOptions = {}): MlflowTracker | undefined {
  parseArgument("openTracker", optionsSchema, options, { label: (path) => `option "${path}"` });
  const env = options.env ?? process.env;
  const uri = options.tracking ?? (env.MLFLOW_TRACKING_URI || undefined);
  if (uri === undefined) return undefined;
  if (options.experiment !== undefined) validateExperimentName(options.experiment);
  const { tracking: _tracking, rest, env: _env, ...trackerOptions } = options;
  return new MlflowTracker(openStore(uri, rest ?? {}), trackerOptions);
}
