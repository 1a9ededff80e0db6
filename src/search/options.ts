import { z } from "zod";
import type { Algorithm } from "../algorithms/algorithm.js";
import { describeValue, HyperoptArgumentError, parseArgument } from "../errors.js";
import { positiveSeconds } from "../optionSchemas.js";
import type { Objective } from "../executors/objective.js";
import type { ObjectiveModule } from "../executors/objectiveSource.js";
import type { Assignment } from "../space/assignment.js";
import type { CompiledSpace } from "../space/compile.js";
import type { InferParams, SearchSpace } from "../space/infer.js";
import type { RegisterModelOptions } from "../tracking/mlflow/registerModel.js";
import type { SearchTracker } from "../tracking/tracker.js";
import type { Trial } from "../trials/trial.js";
import { Trials } from "../trials/trials.js";
import type { EarlyStopFn } from "./earlyStop.js";

export interface FminOptions<S> {
  /**
   * The objective: a function, or a module holding one (a URL or a path: its default export;
   * `{ module, export }`: a named export). WorkerTrials need a module.
   */
  fn: Objective<InferParams<S>> | ObjectiveModule;
  /** The search space: `hp` parameters, alone or nested in objects, arrays and choices (at least one). */
  space: SearchSpace<S>;
  /** The search algorithm (default TPE with our default settings). */
  algo?: Algorithm;
  /** Stop once the history holds this many trials, earlier ones included (default: no limit). */
  maxEvals?: number;
  /** Seed of the search; the same seed, space and objective give the same search. */
  seed?: number;
  /** Seconds for the whole search; trials still running then are cancelled. */
  timeout?: number;
  /** Stop as soon as a trial's loss is at or below this. */
  lossThreshold?: number;
  /** Checked after every trial; stop when it returns true (see `noProgressLoss`). */
  earlyStop?: EarlyStopFn;
  /** Called after every trial with the finished trial and the history so far. */
  onTrial?: (trial: Trial<InferParams<S>>, trials: Trials) => void;
  /** Points tried first, in Hyperopt's form (label -> value, choice labels give indices). */
  pointsToEvaluate?: readonly Assignment[];
  /** History to record into and continue from. */
  trials?: Trials;
  /** A file that holds the history after every trial; a search with the same file continues it. */
  trialsSaveFile?: string;
  /** Progress on stderr: a bar on a terminal, a plain line every few seconds elsewhere (default true). */
  showProgressbar?: boolean;
  /** Cancels the search like the timeout does. */
  signal?: AbortSignal;
  /**
   * Where to record the search as MLflow runs: `sqlite:///mlflow.db` (MLflow's database), `file:./mlruns` or a
   * folder path (the file store), or `http(s)://host:port` of an MLflow server. `true`: `MLFLOW_TRACKING_URI`,
   * else MLflow's default (`./mlflow.db`, or `./mlruns` when it already holds a file store); `false`: not
   * recorded, even when `MLFLOW_TRACKING_URI` is set. Default: `MLFLOW_TRACKING_URI`, else not recorded
   * (a history from `resumeTrials`: the store it came from).
   */
  tracking?: string | boolean;
  /** MLflow experiment name (created when missing; default "Default"). */
  experiment?: string;
  /** Name of the search's parent run. */
  runName?: string;
  /**
   * After the search, register the best trial's model folder (`artifactPath`, default "model", stored through
   * the objective's `artifacts`) as a new version of registered model `name`, with `tags`, moving `alias` to
   * it. Needs tracking to MLflow's SQLite database or a server. A failure is thrown after the search as
   * `ModelRegistrationError`, its `result` holding the search's result.
   */
  registerModel?: Omit<RegisterModelOptions, "writeMLmodel">;
  /** A tracker of your own, used instead of the one `tracking` names. */
  tracker?: SearchTracker;
  /**
   * While the search runs, the first SIGINT or SIGTERM stops it like `signal` does, and a second
   * one exits the process at once (code 130, or 143 for SIGTERM). Default true.
   */
  handleSignals?: boolean;
}

const functionSchema = (expected: string) => z.custom<(...args: never[]) => unknown>((v) => typeof v === "function", { error: expected });

const moduleSchema = z.union([z.instanceof(URL), z.string().min(1)]);

const trackerSchema = z.custom<SearchTracker>(
  (v) => typeof v === "object" && v !== null && ["startSearch", "trialStarted", "trialMetric", "trialFinished", "endSearch"].every((m) => typeof (v as Record<string, unknown>)[m] === "function"),
  { error: "an object with startSearch, trialStarted, trialMetric, trialFinished and endSearch methods" },
);

const optionsSchema = z.strictObject({
  fn: z.union([functionSchema("a function"), moduleSchema, z.strictObject({ module: moduleSchema, export: z.string().min(1).optional() })], {
    error: "a function, a module URL or path, or { module: URL or path, export?: name }",
  }),
  space: z.unknown(),
  algo: functionSchema("a suggest function such as tpe.suggest").optional(),
  maxEvals: z.custom<number>((v) => v === Infinity || (Number.isInteger(v) && (v as number) >= 0), { error: "a whole number >= 0" }).optional(),
  seed: z.number({ error: "an integer" }).int("an integer").optional(),
  timeout: positiveSeconds.optional(),
  lossThreshold: z.number({ error: "a finite number" }).finite("a finite number").optional(),
  earlyStop: functionSchema("a function of the trials").optional(),
  onTrial: functionSchema("a function (trial, trials) => void").optional(),
  pointsToEvaluate: z
    .array(z.record(z.string(), z.number({ error: "a number (choices take the option's index, not its value)" }), { error: "a { label: value } object" }), {
      error: "an array of { label: value } objects",
    })
    .optional(),
  trials: z.instanceof(Trials, { error: "a Trials instance" }).optional(),
  trialsSaveFile: z.string({ error: "a file path" }).min(1, "a file path").optional(),
  showProgressbar: z.boolean({ error: "a boolean" }).optional(),
  signal: z.instanceof(AbortSignal, { error: "an AbortSignal" }).optional(),
  tracking: z.union([z.string().min(1), z.boolean()], { error: "a tracking URI or a boolean" }).optional(),
  experiment: z.string({ error: "an experiment name" }).optional(),
  runName: z.string({ error: "a run name" }).optional(),
  registerModel: z
    .strictObject(
      { name: z.string().min(1), artifactPath: z.string().min(1).optional(), tags: z.record(z.string(), z.string()).optional(), alias: z.string().min(1).optional() },
      { error: "{ name, artifactPath?, tags?, alias? }" },
    )
    .optional(),
  tracker: trackerSchema.optional(),
  handleSignals: z.boolean({ error: "a boolean" }).optional(),
});

/** Checks fmin's options at the call: unknown keys, missing `fn` or `space`, and out-of-range values are refused. */
export function checkFminOptions(options: unknown): void {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new HyperoptArgumentError("options", "fmin: expected an options object { fn, space, ... }", { expected: "an options object", received: String(options) });
  }
  if (!("space" in options)) throw new HyperoptArgumentError("space", "fmin: option \"space\" is required", { expected: "a search space", received: "nothing" });
  parseArgument("fmin", optionsSchema, options, { label: (path) => `option "${path}"` });
}

/** Refuses a space without any `hp` parameter (a number, null, `{}`, Hyperopt-like tuples): every trial would be the same. */
export function checkSearchSpace(space: CompiledSpace): void {
  if (space.params.length > 0) return;
  const received = describeValue(space.space);
  throw new HyperoptArgumentError("space", `space: a search space must hold at least one hp parameter (such as hp.uniform("x", 0, 1)), got ${received}`, {
    expected: "an hp parameter, or an object or array holding one",
    received,
  });
}

/** The search's settings as the tracker records them on the parent run (flat, Hyperopt's names). */
export function trackedSettings(options: FminOptions<unknown>, parallelism: number): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = { parallelism };
  if (options.maxEvals !== undefined) out.max_evals = options.maxEvals;
  if (options.timeout !== undefined) out.timeout = options.timeout;
  if (options.lossThreshold !== undefined) out.loss_threshold = options.lossThreshold;
  if (options.pointsToEvaluate !== undefined) out.points_to_evaluate = options.pointsToEvaluate.length;
  if (options.earlyStop !== undefined) out.early_stop = true;
  return out;
}
