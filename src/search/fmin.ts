import { pathToFileURL } from "node:url";
import type { Algorithm } from "../algorithms/algorithm.js";
import { tpe } from "../algorithms/tpe/tpe.js";
import { checkAssignment } from "../space/checkAssignment.js";
import { compile } from "../space/compile.js";
import type { InferParams } from "../space/infer.js";
import { spaceToJSON } from "../space/json.js";
import type { Assignment } from "../space/assignment.js";
import { HyperoptArgumentError } from "../errors.js";
import { moduleBeside } from "../executors/worker/entryFile.js";
import type { ReportSource } from "../report/data.js";
import { ModelRegistrationError } from "../tracking/mlflow/errors.js";
import { trackingUriOf } from "../tracking/mlflow/trackingUri.js";
import { originOf } from "../tracking/runOrigin.js";
import type { ArtifactMaker, SearchEndStatus, SearchTracker } from "../tracking/tracker.js";
import { isFinished, type Trial } from "../trials/trial.js";
import type { Trials } from "../trials/trials.js";
import { AllTrialsFailed } from "./allTrialsFailed.js";
import { executorFor } from "./executorFor.js";
import { openHistory } from "./history.js";
import { SearchLoop } from "./loop.js";
import { checkFminOptions, checkSearchSpace, trackedSettings, type FminOptions } from "./options.js";
import { progressDisplay } from "./progress.js";
import { SearchStop, type StopReason } from "./stop.js";

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

/**
 * Minimizes `fn` over `space`: asks `algo` for points, evaluates them (inline, or on the
 * trials' worker pool), records every trial, and returns the best.
 */
export async function fmin<S>(options: FminOptions<S>): Promise<FminResult<InferParams<S>>> {
  checkFminOptions(options);
  const opts = options as unknown as FminOptions<unknown>;
  const space = compile<unknown>(opts.space);
  checkSearchSpace(space);
  const spaceJSON = spaceJSONOrUndefined(opts.space);
  const checkedPoints = (options.pointsToEvaluate ?? []).map((p, i) => checkAssignment(space, p, `pointsToEvaluate[${i}]`));
  const { trials, saveFile, seed } = openHistory(opts, { compiled: space, json: spaceJSON });
  const algo = options.algo ?? tpe.suggest;
  const maxEvals = options.maxEvals ?? Infinity;
  // Points to evaluate open a new search; a continued one goes on from its history.
  const points = trials.length === 0 ? checkedPoints : [];
  const tracker = options.tracker ?? (await openSearchTracker(opts));
  if (options.registerModel !== undefined && (options.tracker !== undefined || tracker === undefined)) {
    throw new HyperoptArgumentError("registerModel", "fmin: registerModel needs tracking to MLflow (the tracking option or MLFLOW_TRACKING_URI), not a tracker of your own", {
      expected: "tracking to MLflow's SQLite database or a tracking server",
      received: options.tracker !== undefined ? "a tracker of your own" : "no tracking",
    });
  }
  const executor = await executorFor(trials, options.fn);
  const progress = progressDisplay(options.showProgressbar, maxEvals);
  const stop = new SearchStop(executor.parallelism);
  const unwatch = stop.watch({
    timeout: options.timeout,
    signal: options.signal,
    handleSignals: options.handleSignals !== false,
    running: () => trials.trials.filter((t) => !isFinished(t)).length,
  });
  tracker?.startSearch({
    ...pick(opts, ["experiment", "runName"]),
    algorithm: { name: algorithmName(algo), settings: { ...(algo.settings ?? {}) } },
    seed,
    space: spaceJSON,
    settings: trackedSettings(opts, executor.parallelism),
    startTime: Date.now(),
  });
  const loop = new SearchLoop({
    space, algo, seed, maxEvals, points, trials, executor, stop, saveFile, tracker, progress,
    lossThreshold: options.lossThreshold,
    earlyStop: options.earlyStop,
    onTrial: opts.onTrial,
  });
  let failure: { error: unknown } | undefined;
  try {
    await loop.run();
  } catch (error) {
    failure = { error };
  } finally {
    unwatch();
    await executor.close();
  }
  progress?.finish(loop.progress.done, loop.progress.bestLoss);
  const reportSource = { source: "the search's MLflow parent run", trials: trials.trials, seed, space: spaceJSON, algorithm: { name: algorithmName(algo), settings: { ...(algo.settings ?? {}) } } };
  const registration = await endTracking(tracker, trials, failure, stop.reason, reportSource);
  if (failure !== undefined) throw failure.error;
  const bestTrial = trials.bestTrial;
  if (bestTrial === undefined) throw new AllTrialsFailed(trials, registration);
  const result: FminResult<InferParams<S>> = {
    best: { ...bestTrial.assignment },
    bestParams: bestTrial.params as InferParams<S>,
    bestLoss: bestTrial.loss as number,
    bestTrial: bestTrial as Trial<InferParams<S>>,
    trials,
    stopReason: stop.reason ?? "maxEvals",
  };
  if (registration instanceof ModelRegistrationError) registration.result = result;
  if (registration !== undefined) throw registration;
  return result;
}

/**
 * The tracker the options name (`tracking`, else `MLFLOW_TRACKING_URI`, else the store a resumed history came
 * from), or undefined when tracking is off. The tracker and its stores are loaded only by a tracked search.
 */
async function openSearchTracker(opts: FminOptions<unknown>): Promise<SearchTracker | undefined> {
  const origin = opts.trials === undefined ? undefined : originOf(opts.trials);
  if (trackingUriOf(opts.tracking ?? origin?.trackingUri) === undefined) return undefined;
  const { openTracker } = await import("../tracking/openTracker.js");
  return openTracker({ ...pick(opts, ["tracking", "experiment", "runName", "registerModel"]), ...(opts.trials ? { history: opts.trials } : {}) });
}

/**
 * The search's report as an artifact. Its recipe lets a tracker with a writer thread (SQLite) build the report
 * there, after fmin's result is ready. The report's code is loaded here, by a tracked search.
 */
async function reportArtifact(source: ReportSource): Promise<ArtifactMaker> {
  const { reportHtml } = await import("../report/html.js");
  return Object.assign(() => reportHtml(source), { recipe: { module: reportModule(), exportName: "reportHtml", args: [source] } });
}

/** Ends the tracker's records; what it returns is the error of a `registerModel` registration that failed. */
async function endTracking(tracker: SearchTracker | undefined, trials: Trials, failure: { error: unknown } | undefined, reason: StopReason | undefined, reportSource: ReportSource): Promise<unknown> {
  if (tracker === undefined) return undefined;
  const report = await reportArtifact(reportSource);
  const status: SearchEndStatus = failure !== undefined ? "failed" : reason === "cancelled" ? "killed" : "finished";
  const bestTrial = trials.bestTrial;
  return tracker.endSearch({
    status,
    ...(bestTrial ? { bestTrial, best: { ...bestTrial.assignment } } : {}),
    nTrials: trials.length,
    nFailed: trials.trials.filter((t) => t.status !== "ok").length,
    trials: trials.trials,
    ...(failure !== undefined ? { error: failure.error instanceof Error ? failure.error.message : String(failure.error) } : {}),
    artifacts: { "report.html": report },
    endTime: Date.now(),
  }).then(
    () => undefined,
    (error: unknown) => error,
  );
}

/** The module of `reportHtml`, as a file URL. */
function reportModule(): string {
  return pathToFileURL(moduleBeside(new URL("../report/", import.meta.url).href, "html")).href;
}

function algorithmName(algo: Algorithm): string {
  return algo.algorithmName ?? (algo.name || "custom");
}

/** The space's JSON form, or undefined when it holds values JSON cannot carry. */
function spaceJSONOrUndefined(space: unknown): unknown {
  try {
    return spaceToJSON(space);
  } catch {
    return undefined;
  }
}

/** The given keys of `options` that are set. */
function pick<K extends keyof FminOptions<unknown>>(options: FminOptions<unknown>, keys: readonly K[]): { [P in K]?: NonNullable<FminOptions<unknown>[P]> } {
  const out: { [P in K]?: NonNullable<FminOptions<unknown>[P]> } = {};
  for (const key of keys) if (options[key] !== undefined) out[key] = options[key] as NonNullable<FminOptions<unknown>[K]>;
  return out;
}
