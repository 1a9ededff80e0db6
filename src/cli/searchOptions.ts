import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Algorithm } from "../algorithms/algorithm.js";
import { anneal } from "../algorithms/anneal.js";
import { grid, gridSpace } from "../algorithms/grid.js";
import { rand } from "../algorithms/rand.js";
import { tpe } from "../algorithms/tpe/tpe.js";
import { HyperoptArgumentError } from "../errors.js";
import type { FminOptions } from "../search/options.js";
import { spaceFromJSON } from "../space/json.js";
import { QueueTrials } from "../trials/queueTrials.js";
import type { Trials } from "../trials/trials.js";
import { WorkerTrials } from "../trials/workerTrials.js";
import { CliError } from "./exit.js";
import type { SearchConfig, SearchFile } from "./searchFile.js";

/** Command-line flags that override the search file; paths in them are relative to the working directory. */
export interface RunFlags {
  objective?: string;
  export?: string;
  maxEvals?: number;
  seed?: number;
  trialsSaveFile?: string;
  /** A URI, `true` for the default store, `false` (--no-tracking) for none. */
  tracking?: string | boolean;
  experiment?: string;
  parallelism?: number;
}

/** fmin's options for a search file and its flags, tracker aside. */
export type SearchOptions = Omit<FminOptions<unknown>, "tracker"> & { algo: Algorithm };

/** "space.lr.options[0]" -> ["space", "lr", "options", 0] */
function pathOf(argument: string): (string | number)[] {
  return argument.split(/\.|(?=\[)/).map((part) => (/^\[\d+\]$/.test(part) ? Number(part.slice(1, -1)) : part));
}

/** Runs `build`, turning the argument errors it throws into config errors at the line of the key they name. */
function atKey<T>(file: SearchFile, key: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof HyperoptArgumentError)) throw error;
    const path = error.argument.startsWith(key) ? pathOf(error.argument) : [key];
    throw new CliError(`search file ${file.path}${file.lineOf(path)}: ${key}: ${error.message}`);
  }
}

function algorithmOf(file: SearchFile, algo: SearchConfig["algo"]): Algorithm {
  const { name, ...settings } = typeof algo === "object" ? algo : { name: algo ?? (file.config.grid ? "grid" : "tpe") };
  const hasSettings = Object.keys(settings).length > 0;
  return atKey(file, "algo", () => {
    switch (name) {
      case "tpe":
        return hasSettings ? tpe.configure(settings) : tpe.suggest;
      case "anneal":
        return hasSettings ? anneal.configure(settings) : anneal.suggest;
      case "grid":
        return hasSettings ? grid.configure(settings) : grid.suggest;
      case "rand":
        if (hasSettings) throw new HyperoptArgumentError("algo", `rand takes no settings, got ${Object.keys(settings).join(", ")}`);
        return rand.suggest;
    }
  });
}

function spaceOf(file: SearchFile): unknown {
  const { space, grid: plain } = file.config;
  if (space !== undefined && plain !== undefined) throw new CliError(`search file ${file.path}${file.lineOf(["grid"])}: give either space or grid, not both`);
  if (plain !== undefined) return atKey(file, "grid", () => gridSpace(plain));
  if (space === undefined) throw new CliError(`search file ${file.path}: no space; give space (the JSON form of a space) or grid (lists of values)`);
  return atKey(file, "space", () => spaceFromJSON(space, "space"));
}

function objectiveOf(file: SearchFile, flags: RunFlags): FminOptions<unknown>["fn"] {
  const given = flags.objective !== undefined ? resolve(flags.objective) : file.config.objective !== undefined ? resolve(file.dir, file.config.objective) : undefined;
  if (given === undefined) throw new CliError(`search file ${file.path}: no objective; give objective: in the file or --objective <module>`);
  if (!existsSync(given)) throw new CliError(`objective: module ${given} does not exist`);
  const name = flags.export ?? file.config.export;
  return name === undefined ? given : { module: given, export: name };
}

/** Where the trials run: on a queue's workers, on worker threads, or (no history given) inline. */
function historyOf(file: SearchFile, parallelism: number | undefined): { trials?: Trials } {
  const { queue, threads } = file.config;
  if (queue !== undefined) {
    const { name, ...rest } = queue;
    return { trials: atKey(file, "queue", () => new QueueTrials({ ...rest, queue: name, ...(parallelism !== undefined ? { parallelism } : {}) })) };
  }
  if ((parallelism ?? 1) > 1 || threads !== undefined) {
    return { trials: atKey(file, threads !== undefined ? "threads" : "parallelism", () => new WorkerTrials({ parallelism: parallelism ?? threads ?? 1, ...(threads !== undefined ? { threads } : {}) })) };
  }
  return {};
}

/** The search a search file and its flags describe, as fmin's options. */
export function searchOptions(file: SearchFile, flags: RunFlags): SearchOptions {
  const config = file.config;
  const space = spaceOf(file);
  const algo = algorithmOf(file, config.algo);
  const maxEvals = flags.maxEvals ?? config.maxEvals;
  if (maxEvals === undefined && config.timeout === undefined && algo.algorithmName !== "grid") {
    throw new CliError(`search file ${file.path}: no maxEvals; give maxEvals (or --max-evals) or a timeout, or search a grid`);
  }
  const parallelism = flags.parallelism ?? config.parallelism;
  const trialsSaveFile = flags.trialsSaveFile !== undefined ? resolve(flags.trialsSaveFile) : config.trialsSaveFile !== undefined ? resolve(file.dir, config.trialsSaveFile) : undefined;
  // As MLflow records by default: MLFLOW_TRACKING_URI, else ./mlflow.db (or ./mlruns holding a file store).
  const tracking = flags.tracking ?? config.tracking ?? true;
  const experiment = flags.experiment ?? config.experiment;
  const seed = flags.seed ?? config.seed;
  return {
    fn: objectiveOf(file, flags),
    space,
    algo,
    ...(maxEvals !== undefined ? { maxEvals } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(config.timeout !== undefined ? { timeout: config.timeout } : {}),
    ...historyOf(file, parallelism),
    ...(trialsSaveFile !== undefined ? { trialsSaveFile } : {}),
    tracking,
    ...(experiment !== undefined ? { experiment } : {}),
    ...(config.runName !== undefined ? { runName: config.runName } : {}),
    ...(config.registerModel !== undefined ? { registerModel: config.registerModel } : {}),
  };
}
