import type { Trial } from "../trials/trial.js";
import { messageOf, ModelRegistrationError } from "./mlflow/errors.js";
import type { ModelVersion } from "./mlflow/registry.js";
import { registerRunModel, type RegisterModelOptions } from "./mlflow/registerModel.js";
import type { TrackingStore } from "./mlflow/store.js";
import { TAG } from "./mlflow/tagKeys.js";

export interface BestTrialRuns {
  bestTrial: Trial | undefined;
  /** The best trial's child run, when this session created it. */
  childRunId: string | undefined;
  parentRunId: string | undefined;
}

/** The child run of trial `tid` under the parent (a trial of the search this one continued). */
async function earlierChildRun(store: TrackingStore, parentRunId: string, tid: number): Promise<string | undefined> {
  const parent = await store.getRun(parentRunId);
  const page = await store.searchRuns({
    experimentIds: [parent.info.experimentId],
    filter: `tags.mlflow.parentRunId = '${parentRunId}' AND tags.${TAG.tid} = '${tid}'`,
    maxResults: 1,
  });
  return page.runs[0]?.info.runId;
}

/**
 * Registers the best trial's `artifactPath` folder (a minimal `MLmodel` written first when it has none) as a
 * new version of the registered model. Fails with `ModelRegistrationError` when there is no successful trial,
 * its run was not stored, it logged no such folder, or the registry refuses.
 */
export async function registerBestTrial(store: TrackingStore, runs: BestTrialRuns, options: RegisterModelOptions): Promise<ModelVersion> {
  const name = JSON.stringify(options.name);
  const best = runs.bestTrial;
  if (best === undefined) throw new ModelRegistrationError(`registerModel: no trial succeeded, so nothing was registered as ${name}`);
  const where = `registerModel: the best trial (${best.tid}) was not registered as ${name}`;
  let runId = runs.childRunId;
  try {
    if (runId === undefined && runs.parentRunId !== undefined) runId = await earlierChildRun(store, runs.parentRunId, best.tid);
  } catch (error) {
    throw new ModelRegistrationError(`${where}: its run could not be found: ${messageOf(error)}`, { cause: error });
  }
  if (runId === undefined) throw new ModelRegistrationError(`${where}: its run was not recorded (see the tracking warnings)`);
  try {
    return await registerRunModel(store, runId, { ...options, writeMLmodel: true });
  } catch (error) {
    throw new ModelRegistrationError(`${where}: ${messageOf(error)}`, { cause: error });
  }
}
