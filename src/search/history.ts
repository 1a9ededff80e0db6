import { randomInt } from "node:crypto";
import { HyperoptArgumentError } from "../errors.js";
import { SaveFile } from "../trials/saveFile.js";
import { isFinished } from "../trials/trial.js";
import { Trials } from "../trials/trials.js";

/** What fmin was given to start from: a history, a save file, a seed. */
export interface HistorySource {
  trials?: Trials | undefined;
  trialsSaveFile?: string | undefined;
  seed?: number | undefined;
}

/** The history a search records into, the save file that mirrors it, and the search's seed. */
export interface OpenedHistory {
  trials: Trials;
  saveFile: SaveFile | undefined;
  seed: number;
}

/**
 * Opens the history a search continues: the given Trials, or the save file's. Trials that never
 * finished (running or cancelled when an earlier search stopped) are dropped so they run again.
 * Refuses a save file over a different space and a seed other than the continued search's.
 * The save file, when given, is rewritten to hold exactly the opened history.
 */
export function openHistory(source: HistorySource, spaceJSON: unknown): OpenedHistory {
  const saveFile = source.trialsSaveFile === undefined ? undefined : new SaveFile(source.trialsSaveFile);
  const trials = source.trials ?? new Trials();
  if (saveFile?.exists()) loadSaveFile(trials, saveFile, spaceJSON);
  dropUnfinished(trials);
  const seed = seedOf(trials, source.seed);
  trials.seed = seed;
  trials.space = spaceJSON;
  saveFile?.writeAll(trials);
  return { trials, saveFile, seed };
}

function loadSaveFile(trials: Trials, saveFile: SaveFile, spaceJSON: unknown): void {
  if (trials.length > 0) {
    throw new HyperoptArgumentError("trials", "fmin: give either a non-empty trials or a trialsSaveFile that exists, not both", {
      expected: "an empty Trials beside an existing save file",
      received: `a Trials holding ${trials.length} trials`,
    });
  }
  const saved = saveFile.read();
  if (saved.space !== undefined && spaceJSON !== undefined && JSON.stringify(saved.space) !== JSON.stringify(spaceJSON)) {
    throw new HyperoptArgumentError("trialsSaveFile", `fmin: ${saveFile.path} holds a search over a different space`, {
      expected: "a save file of a search over the same space",
      received: saveFile.path,
    });
  }
  trials.trials.push(...saved.trials);
  trials.seed = saved.seed;
  trials.space = saved.space;
}

function dropUnfinished(trials: Trials): void {
  const finished = trials.trials.filter((t) => isFinished(t) && t.status !== "cancelled");
  if (finished.length === trials.length) return;
  trials.trials.length = 0;
  trials.trials.push(...finished);
}

/** A continued search keeps its seed; a new one takes the given seed or a random one. */
function seedOf(trials: Trials, seed: number | undefined): number {
  if (trials.length === 0 || trials.seed === undefined) return seed ?? randomInt(2 ** 31);
  if (seed !== undefined && seed !== trials.seed) {
    throw new HyperoptArgumentError("seed", `fmin: seed ${seed} differs from the seed ${trials.seed} of the search being continued`, {
      expected: `${trials.seed} or no seed`,
      received: String(seed),
    });
  }
  return trials.seed;
}
