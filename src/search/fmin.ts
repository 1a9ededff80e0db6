import { randomInt } from "node:crypto";
import { setMaxListeners } from "node:events";
import { z } from "zod";
import type { Algorithm } from "../algorithms/algorithm.js";
import { tpe } from "../algorithms/tpe/tpe.js";
import type { EarlyStopFn } from "./earlyStop.js";
import { describeValue, HyperoptArgumentError } from "../errors.js";
import type { Executor } from "../executors/executor.js";
import type { ObjectiveModule } from "../executors/objectiveSource.js";
import type { Objective } from "../executors/objective.js";
import { executorFor } from "./executorFor.js";
import { ProgressBar } from "./progress.js";
import { onStopSignals } from "./signals.js";
import type { Assignment } from "../space/assignment.js";
import { compile, isActive, type CompiledSpace } from "../space/compile.js";
import { inSupport } from "../space/distributions.js";
import type { InferParams } from "../space/infer.js";
import { spaceToJSON } from "../space/json.js";
import { spaceEval } from "../space/spaceEval.js";
import { openTracker } from "../tracking/openTracker.js";
import { ModelRegistrationError } from "../tracking/mlflow/errors.js";
import type { RegisterModelOptions } from "../tracking/mlflow/registerModel.js";
import type { SearchEndStatus, SearchTracker } from "../tracking/tracker.js";
import { interpretResult } from "../executors/result.js";
import { SaveFile } from "../trials/saveFile.js";
import type { Trial } from "../trials/trial.js";
import { Trials } from "../trials/trials.js";

export interface FminOptions<S> {
  /**
   * The objective: a function, or a module holding one (a URL or a path: its default export;
   * `{ module, export }`: a named export). WorkerTrials need a module.
   */
  fn: Objective<InferParams<S>> | ObjectiveModule;
  space: S;
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
  /** Points tried first, in Hyperopt's form (label -> value, choice labels give indices). */
  pointsToEvaluate?: readonly Assignment[];
  /** History to record into and continue from. */
  trials?: Trials;
  /** A file that holds the history after every trial; a search with the same file continues it. */
  trialsSaveFile?: string;
  /** Progress on stderr when it is a terminal (default true). */
  showProgressbar?: boolean;
  /** Cancels the search like the timeout does. */
  signal?: AbortSignal;
  /**
   * Where to record the search as MLflow runs: `sqlite:///mlflow.db` (MLflow's database), `file:./mlruns` or a
   * folder path (the file store), or `http(s)://host:port` of an MLflow server. `true`: `MLFLOW_TRACKING_URI`,
   * else MLflow's default (`./mlflow.db`, or `./mlruns` when it already holds a file store); `false`: not
   * recorded, even when `MLFLOW_TRACKING_URI` is set. Default: `MLFLOW_TRACKING_URI`, else not recorded.
   */
  tracking?: string | boolean;
  /** MLflow experiment name (created when missing; default "Default"). */
  experiment?: string;
  /** Name of the search's parent run. */
  runName?: string;
  /**
   * After the search, register the best trial's model folder (`artifactPath`, default "model", logged through
   * the objective's `artifacts`) as a new version of registered model `name`, with `tags`, moving `alias` to it.
   * Needs tracking to MLflow's SQLite database or a server. A failure is thrown after the search as
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

export type StopReason = "maxEvals" | "exhausted" | "timeout" | "lossThreshold" | "earlyStop" | "cancelled";

export interface FminResult<P> {
  /** Hyperopt's form: label -> value of the best trial's active labels, choice labels give indices. */
  best: Assignment;
  /** The objective's argument at the best trial. */
  bestParams: P;
  bestLoss: number;
  bestTrial: Trial<P>;
  trials: Trials;
  stopReason: StopReason;
}

/** No trial of the search succeeded (Hyperopt's AllTrialsFailed); the history is attached. */
export class AllTrialsFailed extends Error {
  /** `cause`: what else failed for want of a successful trial (a `registerModel` registration). */
  constructor(readonly trials: Trials, cause?: unknown) {
    const reasons = [...new Set(trials.trials.map((t) => t.error?.message).filter((m) => m !== undefined))].slice(0, 3);
    super(
      trials.length === 0
        ? "fmin: no trial ran, so there is no best point"
        : `fmin: all ${trials.length} trials failed${reasons.length ? `; for example: ${reasons.join(" | ")}` : ""}`,
      cause === undefined ? undefined : { cause },
    );
    this.name = "AllTrialsFailed";
  }
}

const fnSchema = (expected: string) => z.custom<(...args: never[]) => unknown>((v) => typeof v === "function", { error: expected });

const moduleSchema = z.union([z.instanceof(URL), z.string().min(1)]);

const optionsSchema = z.object({
  fn: z.union([fnSchema("a function"), moduleSchema, z.strictObject({ module: moduleSchema, export: z.string().min(1).optional() })], {
    error: "a function, a module URL or path, or { module: URL or path, export?: name }",
  }),
  algo: fnSchema("a suggest function such as tpe.suggest").optional(),
  maxEvals: z.custom<number>((v) => v === Infinity || (Number.isInteger(v) && (v as number) >= 0), { error: "a whole number >= 0" }).optional(),
  seed: z.number({ error: "an integer" }).int("an integer").optional(),
  timeout: z.number({ error: "a number of seconds > 0" }).positive("a number of seconds > 0").optional(),
  lossThreshold: z.number({ error: "a finite number" }).finite("a finite number").optional(),
  earlyStop: fnSchema("a function of the trials").optional(),
  pointsToEvaluate: z.array(z.record(z.string(), z.number()), { error: "an array of { label: value } objects" }).optional(),
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
  handleSignals: z.boolean({ error: "a boolean" }).optional(),
});

function validateOptions(options: FminOptions<unknown>): void {
  if (typeof options !== "object" || options === null) throw new HyperoptArgumentError("options", "fmin: expected an options object");
  if (!("space" in options)) throw new HyperoptArgumentError("space", "fmin: option \"space\" is required");
  const r = optionsSchema.safeParse(options);
  if (!r.success) {
    const issue = r.error.issues[0];
    const name = String(issue?.path[0] ?? "options");
    const got = (options as unknown as Record<string, unknown>)[name];
    throw new HyperoptArgumentError(name, `fmin: option "${name}" must be ${issue?.message ?? "valid"}, got ${describeValue(got)}`);
  }
}

/** Checks a point to evaluate, or an algorithm's suggestion, against the space. */
function checkAssignment(space: CompiledSpace, point: Assignment, where: string): Assignment {
  const out: Assignment = {};
  for (const param of space.params) {
    if (!isActive(param, out)) continue;
    const value = point[param.label];
    if (value === undefined) throw new HyperoptArgumentError(where, `${where}: no value for the active label ${JSON.stringify(param.label)}`);
    if (!inSupport(param.distribution, value)) {
      throw new HyperoptArgumentError(where, `${where}: ${JSON.stringify(param.label)} = ${value} lies outside its ${param.distribution.kind} distribution`);
    }
    out[param.label] = value;
  }
  for (const label of Object.keys(point)) {
    if (!(label in out)) throw new HyperoptArgumentError(where, `${where}: label ${JSON.stringify(label)} is not an active label of the space`);
  }
  return out;
}

function spaceJSONOrUndefined(space: unknown): unknown {
  try {
    return spaceToJSON(space);
  } catch {
    return undefined;
  }
}

/** Opens the history: the given Trials, or the save file's, dropping trials that never finished. */
function openHistory(options: FminOptions<unknown>, spaceJSON: unknown): { trials: Trials; saveFile: SaveFile | undefined } {
  const saveFile = options.trialsSaveFile === undefined ? undefined : new SaveFile(options.trialsSaveFile);
  let trials = options.trials ?? new Trials();
  if (saveFile?.exists()) {
    if (trials.length > 0) {
      throw new HyperoptArgumentError("trials", "fmin: give either a non-empty trials or a trialsSaveFile that exists, not both");
    }
    const saved = saveFile.read();
    if (saved.space !== undefined && spaceJSON !== undefined && JSON.stringify(saved.space) !== JSON.stringify(spaceJSON)) {
      throw new HyperoptArgumentError("trialsSaveFile", `fmin: ${saveFile.path} holds a search over a different space`);
    }
    trials.trials.push(...saved.trials);
    trials.seed = saved.seed;
    trials.space = saved.space;
  }
  const keep = trials.trials.filter((t) => t.status !== "running" && t.status !== "cancelled");
  if (keep.length < trials.length) {
    trials.trials.length = 0;
    trials.trials.push(...keep);
  }
  return { trials, saveFile };
}

/**
 * Minimizes `fn` over `space`: asks `algo` for points, evaluates them (inline, or on the
 * trials' worker pool), records every trial, and returns the best.
 */
export async function fmin<S>(options: FminOptions<S>): Promise<FminResult<InferParams<S>>> {
  validateOptions(options as FminOptions<unknown>);
  const space = compile(options.space);
  const spaceJSON = spaceJSONOrUndefined(options.space);
  const { trials, saveFile } = openHistory(options as FminOptions<unknown>, spaceJSON);
  if (options.seed !== undefined && trials.seed !== undefined && trials.length > 0 && options.seed !== trials.seed) {
    throw new HyperoptArgumentError("seed", `fmin: seed ${options.seed} differs from the seed ${trials.seed} of the search being continued`);
  }
  const seed = (trials.length > 0 ? trials.seed : undefined) ?? options.seed ?? randomInt(2 ** 31);
  trials.seed = seed;
  trials.space = spaceJSON;
  saveFile?.writeAll(trials);

  const algo = options.algo ?? tpe.suggest;
  const maxEvals = options.maxEvals ?? Infinity;
  const points = trials.length === 0 ? (options.pointsToEvaluate ?? []).map((p, i) => checkAssignment(space, p, `pointsToEvaluate[${i}]`)) : [];
  const executor: Executor = executorFor(trials, options.fn);
  const tracker =
    options.tracker ??
    openTracker({
      ...(options.tracking !== undefined ? { tracking: options.tracking } : {}),
      ...(options.experiment !== undefined ? { experiment: options.experiment } : {}),
      ...(options.runName !== undefined ? { runName: options.runName } : {}),
      ...(options.trials !== undefined ? { history: options.trials } : {}),
      ...(options.registerModel !== undefined ? { registerModel: options.registerModel } : {}),
    });
  if (options.registerModel !== undefined && (options.tracker !== undefined || tracker === undefined)) {
    await executor.close();
    throw new HyperoptArgumentError("registerModel", "fmin: registerModel needs tracking to MLflow (the tracking option or MLFLOW_TRACKING_URI), not a tracker of your own");
  }
  const progress = ProgressBar.wanted(options.showProgressbar) ? new ProgressBar(maxEvals) : undefined;
  const cancel = new AbortController();
  // Each trial in flight may listen for the search's cancellation.
  setMaxListeners(executor.parallelism + 10, cancel.signal);
  let stopReason: StopReason | undefined;
  const stop = (reason: StopReason): void => {
    if (stopReason !== undefined) return;
    stopReason = reason;
    if (reason === "timeout" || reason === "cancelled") cancel.abort(new Error(`search ${reason === "timeout" ? "timed out" : "cancelled"}`));
  };
  const onAbort = (): void => stop("cancelled");
  options.signal?.addEventListener("abort", onAbort);
  if (options.signal?.aborted) stop("cancelled");
  const timer = options.timeout === undefined ? undefined : setTimeout(() => stop("timeout"), options.timeout * 1000);
  const removeSignalHandlers = options.handleSignals === false ? undefined : onStopSignals((signal) => {
    const running = trials.trials.filter((t) => t.status === "running").length;
    process.stderr.write(`\nhyperopt-ts: ${signal}: stopping the search, cancelling ${running} running trial(s); send it again to exit at once\n`);
    stop("cancelled");
  });
  const started = Date.now();

  tracker?.startSearch({
    ...(options.experiment !== undefined ? { experiment: options.experiment } : {}),
    ...(options.runName !== undefined ? { runName: options.runName } : {}),
    algorithm: { name: algo.algorithmName ?? (algo.name || "custom"), settings: { ...(algo.settings ?? {}) } },
    seed,
    space: spaceJSON,
    settings: settingsRecord(options as FminOptions<unknown>, executor.parallelism),
    startTime: started,
  });

  let finished = trials.length;
  let bestLoss = trials.bestTrial?.loss;
  const finish = (trial: Trial): void => {
    saveFile?.append(trial);
    tracker?.trialFinished(trial);
    finished++;
    if (trial.status === "ok" && (bestLoss === undefined || (trial.loss as number) < bestLoss)) bestLoss = trial.loss;
    progress?.update(finished, bestLoss);
    if (trial.status === "ok" && options.lossThreshold !== undefined && (trial.loss as number) <= options.lossThreshold) stop("lossThreshold");
    if (options.earlyStop?.(trials.trials)) stop("earlyStop");
  };

  const runTrial = async (trial: Trial): Promise<void> => {
    const steps = new Map<string, number>();
    const outcome = await executor.run({
      tid: trial.tid,
      params: trial.params,
      assignment: trial.assignment,
      signal: cancel.signal,
      report: (name, value, step) => {
        const s = step ?? steps.get(name) ?? 0;
        steps.set(name, s + 1);
        const metric = { name, value, step: s, timestamp: Date.now() };
        trial.metrics.push(metric);
        tracker?.trialMetric(trial.tid, metric);
      },
    });
    trial.endTime = Date.now();
    if (outcome.kind === "failed") {
      trial.status = outcome.status;
      trial.error = outcome.error;
    } else {
      const r = interpretResult(outcome.value);
      trial.status = r.status;
      if (r.result !== undefined) trial.result = r.result;
      if (r.status === "ok") trial.loss = r.loss;
      else trial.error = r.error;
    }
    finish(trial);
  };

  const inFlight = new Map<number, Promise<void>>();
  let endStatus: SearchEndStatus = "finished";
  let failure: unknown;
  try {
    while (true) {
      while (stopReason === undefined && inFlight.size < executor.parallelism) {
        if (trials.length >= maxEvals) {
          stop("maxEvals");
          break;
        }
        const tid = trials.nextTid();
        const next = points.shift() ?? algo({ space, trials: trials.trials, tid, seed });
        if (next === null) {
          stop("exhausted");
          break;
        }
        const assignment = checkAssignment(space, next, "suggestion");
        const trial: Trial = { tid, status: "running", assignment, params: spaceEval(options.space, assignment), startTime: Date.now(), metrics: [] };
        trials.trials.push(trial);
        tracker?.trialStarted(trial);
        const running = runTrial(trial);
        inFlight.set(tid, running.finally(() => inFlight.delete(tid)));
      }
      if (inFlight.size === 0) break;
      await Promise.race(inFlight.values());
    }
  } catch (error) {
    endStatus = "failed";
    failure = error;
    stop("cancelled");
    await Promise.allSettled(inFlight.values());
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
    removeSignalHandlers?.();
    await executor.close();
  }
  if (endStatus !== "failed" && stopReason === "cancelled") endStatus = "killed";
  progress?.finish(finished, bestLoss);
  const bestTrial = trials.bestTrial;
  const nFailed = trials.trials.filter((t) => t.status !== "ok").length;
  let registration: unknown;
  await tracker?.endSearch({
    status: endStatus,
    ...(bestTrial ? { bestTrial, best: { ...bestTrial.assignment } } : {}),
    nTrials: trials.length,
    nFailed,
    trials: trials.trials,
    ...(failure !== undefined ? { error: failure instanceof Error ? failure.message : String(failure) } : {}),
    endTime: Date.now(),
  }).catch((error: unknown) => (registration = error));
  if (failure !== undefined) throw failure;
  if (bestTrial === undefined) throw new AllTrialsFailed(trials, registration);
  const result: FminResult<InferParams<S>> = {
    best: { ...bestTrial.assignment },
    bestParams: bestTrial.params as InferParams<S>,
    bestLoss: bestTrial.loss as number,
    bestTrial: bestTrial as Trial<InferParams<S>>,
    trials,
    stopReason: stopReason ?? "maxEvals",
  };
  if (registration instanceof ModelRegistrationError) registration.result = result;
  if (registration !== undefined) throw registration;
  return result;
}

function settingsRecord(options: FminOptions<unknown>, parallelism: number): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = { parallelism };
  if (options.maxEvals !== undefined) out.max_evals = options.maxEvals;
  if (options.timeout !== undefined) out.timeout = options.timeout;
  if (options.lossThreshold !== undefined) out.loss_threshold = options.lossThreshold;
  if (options.pointsToEvaluate !== undefined) out.points_to_evaluate = options.pointsToEvaluate.length;
  if (options.earlyStop !== undefined) out.early_stop = true;
  return out;
}
