import type { Trials } from "../trials/trials.js";
import { parseTrackingUri } from "./mlflow/trackingUri.js";

/** Where a history read back with `resumeTrials` was recorded: its store and parent run. */
export interface RunOrigin {
  trackingUri: string;
  parentRunId: string;
  experimentId: string;
  /** The parent's params as stored; MLflow params cannot change, so a continued search keeps them. */
  params: Readonly<Record<string, string>>;
}

const origins = new WeakMap<Trials, RunOrigin>();

export function rememberOrigin(trials: Trials, origin: RunOrigin): void {
  origins.set(trials, origin);
}

export function originOf(trials: Trials): RunOrigin | undefined {
  return origins.get(trials);
}

/** Whether two tracking URIs name the same store (`sqlite:///x.db` and `sqlite:////<cwd>/x.db` do). */
export function sameStore(a: string, b: string): boolean {
  try {
    return JSON.stringify(parseTrackingUri(a)) === JSON.stringify(parseTrackingUri(b));
  } catch {
    return false;
  }
}
