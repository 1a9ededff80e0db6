import { randomInt } from "node:crypto";
import { HyperoptArgumentError } from "../errors.js";
import { compile, type CompiledSpace } from "../space/compile.js";
import { spaceFromJSON } from "../space/json.js";
import { spaceShape, type SpaceShape } from "../space/shape.js";
import { spaceEval } from "../space/spaceEval.js";
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

/** The space being searched: compiled, and its JSON form when it has one. */
export interface SearchedSpace {
  compiled: CompiledSpace;
  json: unknown;
}

/**
 * Opens the history a search continues: the given Trials, or the save file's. Trials that never
 * finished (running or cancelled when an earlier search stopped) are dropped so they run again;
 * the params of the others are rebuilt from the live space and their assignments (stored params
 * lose what JSON cannot hold, such as functions among choice options). Refuses a history over a
 * different space and a seed other than the continued search's. The save file, when given, is
 * rewritten to hold exactly the opened history.
 */
export function openHistory(source: HistorySource, space: SearchedSpace): OpenedHistory {
  const saveFile = source.trialsSaveFile === undefined ? undefined : new SaveFile(source.trialsSaveFile);
  const trials = source.trials ?? new Trials();
  if (saveFile?.exists()) loadSaveFile(trials, saveFile);
  const where = saveFile?.exists() ? "trialsSaveFile" : "trials";
  checkSameSpace(trials, space, where);
  dropUnfinished(trials);
  rebuildParams(trials, space.compiled, where);
  const seed = seedOf(trials, source.seed);
  trials.seed = seed;
  trials.space = space.json;
  trials.spaceShape = space.json === undefined ? spaceShape(space.compiled) : undefined;
  saveFile?.writeAll(trials);
  return { trials, saveFile, seed };
}

function loadSaveFile(trials: Trials, saveFile: SaveFile): void {
  if (trials.length > 0) {
    throw new HyperoptArgumentError("trials", "fmin: give either a non-empty trials or a trialsSaveFile that exists, not both", {
      expected: "an empty Trials beside an existing save file",
      received: `a Trials holding ${trials.length} trials`,
    });
  }
  const saved = saveFile.read();
  trials.trials.push(...saved.trials);
  trials.seed = saved.seed;
  trials.space = saved.space;
  trials.spaceShape = saved.spaceShape;
}

/** Compares the space the history recorded (its JSON form, else its shape) with the live one. */
function checkSameSpace(trials: Trials, space: SearchedSpace, where: string): void {
  if (trials.length === 0) return;
  const same =
    trials.space !== undefined && space.json !== undefined
      ? JSON.stringify(trials.space) === JSON.stringify(space.json)
      : sameShape(recordedShape(trials), spaceShape(space.compiled));
  if (!same) {
    throw new HyperoptArgumentError(where, `fmin: ${where} holds a search over a different space`, {
      expected: "the history of a search over the same space",
      received: "a history over another space",
    });
  }
}

function recordedShape(trials: Trials): SpaceShape | undefined {
  if (trials.spaceShape !== undefined) return trials.spaceShape;
  if (trials.space === undefined) return undefined;
  try {
    return spaceShape(compile(spaceFromJSON(trials.space)));
  } catch {
    return undefined;
  }
}

function sameShape(recorded: SpaceShape | undefined, live: SpaceShape): boolean {
  return recorded === undefined || JSON.stringify(recorded) === JSON.stringify(live);
}

/** Params from the live space, so that values JSON cannot carry come back on resume. */
function rebuildParams(trials: Trials, space: CompiledSpace, where: string): void {
  for (const trial of trials.trials) {
    try {
      trial.params = spaceEval(space.space, trial.assignment);
    } catch (cause) {
      throw new HyperoptArgumentError(where, `fmin: trial ${trial.tid} of ${where} does not fit the space: ${(cause as Error).message}`, {
        cause,
        expected: "trials whose assignments fit the space",
        received: JSON.stringify(trial.assignment),
      });
    }
  }
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
