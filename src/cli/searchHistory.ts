import { existsSync } from "node:fs";
import { HyperoptArgumentError } from "../errors.js";
import type { ReportSource } from "../report/data.js";
import { openStore } from "../tracking/mlflow/openStore.js";
import type { TrackingStore } from "../tracking/mlflow/store.js";
import { redactUri } from "../tracking/mlflow/trackingUri.js";
import { TAG } from "../tracking/mlflow/tagKeys.js";
import { parseJson, trialsFromStore } from "../tracking/trialsFromRun.js";
import { messageOf } from "../tracking/mlflow/errors.js";
import { SaveFile } from "../trials/saveFile.js";
import { CliError } from "./exit.js";

/** Where a recorded search is: a save file, or an MLflow parent run. */
type SearchLocation = { saveFile: string } | { tracking: string; run: string };


function readSaveFile(path: string): ReportSource {
  if (!existsSync(path)) throw new CliError(`save file ${path}: no such file`);
  let saved;
  try {
    saved = new SaveFile(path).read();
  } catch (error) {
    if (error instanceof HyperoptArgumentError) throw new CliError(error.message);
    throw error;
  }
  return {
    source: path,
    trials: saved.trials,
    ...(saved.seed !== undefined ? { seed: saved.seed } : {}),
    ...(saved.space !== undefined ? { space: saved.space } : {}),
  };
}

async function readTrackedSearch(uri: string, runId: string): Promise<ReportSource> {
  const shown = redactUri(uri);
  let store: TrackingStore;
  try {
    store = openStore(uri);
  } catch (error) {
    throw new CliError(`--tracking ${shown}: ${messageOf(error)}`);
  }
  try {
    const parent = await store.getRun(runId).catch((error: unknown) => {
      throw new CliError(`--run ${runId}: cannot read the run from ${shown}: ${messageOf(error)}`);
    });
    const tags = parent.data.tags;
    const seed = Number(tags[TAG.seed]);
    const space = parseJson(tags[TAG.space]);
    const name = tags[TAG.algorithm];
    const settings = parseJson(tags[TAG.algorithmSettings]);
    return {
      source: `${shown} run ${runId}`,
      trials: await trialsFromStore(store, runId),
      ...(Number.isInteger(seed) ? { seed } : {}),
      ...(space !== undefined ? { space } : {}),
      ...(name !== undefined ? { algorithm: { name, settings: typeof settings === "object" && settings !== null ? (settings as Record<string, unknown>) : {} } } : {}),
    };
  } finally {
    await store.close();
  }
}

/** The trials and recorded settings of a search, from its save file or its MLflow parent run. */
export async function readSearchHistory(location: SearchLocation): Promise<ReportSource> {
  return "saveFile" in location ? readSaveFile(location.saveFile) : readTrackedSearch(location.tracking, location.run);
}

/** The location a command's `<save-file>` argument or `--tracking` and `--run` flags name. */
export function searchLocation(saveFile: string | undefined, flags: { tracking?: string; run?: string }): SearchLocation {
  if (saveFile !== undefined) {
    if (flags.tracking !== undefined || flags.run !== undefined) throw new CliError("give either a save file or --tracking and --run, not both");
    return { saveFile };
  }
  if (flags.tracking === undefined || flags.run === undefined) throw new CliError("give a save file, or --tracking <uri> and --run <parent-run-id>");
  return { tracking: flags.tracking, run: flags.run };
}
