import type { Assignment } from "../space/assignment.js";
import { trialResultSchema, type TrialError } from "../executors/result.js";
import type { Trial, TrialStatus } from "../trials/trial.js";
import { Trials } from "../trials/trials.js";
import { searchAllRuns } from "./mlflow/client.js";
import { openStore } from "./mlflow/openStore.js";
import type { RestStoreOptions } from "./mlflow/restStore.js";
import type { TrackingStore } from "./mlflow/store.js";
import { METRIC, TAG } from "./mlflow/tagKeys.js";
import type { Run } from "./mlflow/types.js";
import { rememberOrigin } from "./runOrigin.js";

const STATUS_OF_RUN: Record<string, TrialStatus> = { FINISHED: "ok", FAILED: "fail", KILLED: "cancelled", RUNNING: "running", SCHEDULED: "running" };
const TRIAL_STATUSES: readonly TrialStatus[] = ["running", "ok", "fail", "timeout", "cancelled"];

/** The value a JSON text holds, or undefined when it is missing or not JSON (tags written by hand). */
export function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Nested params from the flat `a.b.0` keys, used when the `hyperopt.params` tag is missing (values stay strings). */
function unflatten(flat: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split(".");
    let node = out;
    for (const part of parts.slice(0, -1)) {
      const next = node[part];
      node[part] = next !== null && typeof next === "object" ? next : {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts[parts.length - 1] ?? key] = value;
  }
  return out;
}

async function trialOfRun(store: TrackingStore, run: Run): Promise<Trial> {
  const { tags, metrics } = run.data;
  const tid = Number(tags[TAG.tid] ?? /^trial-(\d+)$/.exec(run.info.runName)?.[1] ?? NaN);
  const recorded = tags[TAG.status] as TrialStatus | undefined;
  const status = recorded !== undefined && TRIAL_STATUSES.includes(recorded) ? recorded : (STATUS_OF_RUN[run.info.status] ?? "running");
  const assignment = (parseJson(tags[TAG.assignment]) ?? {}) as Assignment;
  const paramsTag = tags[TAG.params];
  const params = paramsTag !== undefined ? parseJson(paramsTag) : unflatten(run.data.params);
  const reported = (parseJson(tags[TAG.reportedMetrics]) ?? []) as string[];
  const histories = await Promise.all(reported.map((key) => store.getMetricHistory(run.info.runId, key)));
  const trial: Trial = {
    tid,
    status,
    assignment,
    params,
    startTime: run.info.startTime,
    metrics: histories
      .flat()
      .map((m) => ({ name: m.key, value: m.value, step: m.step, timestamp: m.timestamp }))
      .sort((a, b) => a.timestamp - b.timestamp || a.step - b.step),
  };
  if (run.info.endTime !== null) trial.endTime = run.info.endTime;
  const loss = metrics[METRIC.loss];
  if (status === "ok" && loss !== undefined) trial.loss = loss;
  const result = trialResultSchema.safeParse(parseJson(tags[TAG.result]));
  if (result.success) trial.result = result.data;
  const kind = tags[TAG.errorKind];
  if (kind !== undefined) {
    const error: TrialError = { kind, message: tags[TAG.errorMessage] ?? "" };
    const stack = tags[TAG.errorStack];
    if (stack !== undefined) error.stack = stack;
    trial.error = error;
  }
  return trial;
}

/** The trials of a search from the child runs of its parent run, in tid order. */
export async function trialsFromStore(store: TrackingStore, parentRunId: string): Promise<Trial[]> {
  return trialsOfParent(store, await store.getRun(parentRunId));
}

async function trialsOfParent(store: TrackingStore, parent: Run): Promise<Trial[]> {
  const runs = await searchAllRuns(store, {
    experimentIds: [parent.info.experimentId],
    filter: `tags.mlflow.parentRunId = '${parent.info.runId}'`,
    maxResults: 1000,
  });
  const trials = await Promise.all(runs.map((run) => trialOfRun(store, run)));
  return trials.sort((a, b) => a.tid - b.tid);
}

/**
 * Rebuilds the `Trial` records of a search logged by `MlflowTracker`, e.g. to resume it: tid, status, assignment,
 * params, loss, result, error, times and reported metrics.
 */
export async function trialsFromRun(trackingUri: string, parentRunId: string, options: RestStoreOptions = {}): Promise<Trial[]> {
  const store = openStore(trackingUri, options);
  try {
    return await trialsFromStore(store, parentRunId);
  } finally {
    await store.close();
  }
}

/**
 * A search logged by `MlflowTracker` as a `Trials` history with its seed and space, ready to be passed to fmin
 * to continue the search. Tracked to the same store (fmin's `tracking` left out, or the same URI), the
 * continuation goes on under the same parent run and logs only its new trials.
 */
export async function resumeTrials(trackingUri: string, parentRunId: string, options: RestStoreOptions = {}): Promise<Trials> {
  const store = openStore(trackingUri, options);
  try {
    const parent = await store.getRun(parentRunId);
    const trials = new Trials(await trialsOfParent(store, parent));
    const seed = Number(parent.data.tags[TAG.seed]);
    if (Number.isInteger(seed)) trials.seed = seed;
    trials.space = parseJson(parent.data.tags[TAG.space]);
    rememberOrigin(trials, { trackingUri, parentRunId, experimentId: parent.info.experimentId, params: { ...parent.data.params } });
    return trials;
  } finally {
    await store.close();
  }
}
