import { z } from "zod";
import { invalidArgument, parseArgument } from "../errors.js";
import type { TrialResult } from "../executors/result.js";
import type { Assignment } from "../space/assignment.js";
import type { SpaceShape } from "../space/shape.js";
import { lossOf, type Trial, type TrialStatus } from "./trial.js";
import { spaceShapeSchema, trialSchema } from "./trialSchema.js";
import { wholeNumber } from "../optionSchemas.js";

/** The serialised form of a search's history (the save file holds the same, one trial a line). */
export interface TrialsJSON {
  format: "hyperopt-ts.trials";
  version: 1;
  seed?: number;
  space?: unknown;
  /** The space's shape, recorded when the space has no JSON form. */
  spaceShape?: SpaceShape;
  trials: Trial[];
}

/** Hyperopt's `status` values of a trial's result. */
export const STATUS_OK = "ok";
export const STATUS_FAIL = "fail";

/** One entry of `Trials.results`: what the objective returned, with the trial's status and loss. */
export type ResultEntry = Omit<TrialResult, "status" | "loss"> & { status: TrialStatus; loss: number | undefined };

const trialsJSONSchema = z.object({
  format: z.literal("hyperopt-ts.trials", { error: '"hyperopt-ts.trials"' }),
  version: z.literal(1, { error: "1" }),
  seed: z.number({ error: "an integer" }).int("an integer").optional(),
  space: z.unknown().optional(),
  spaceShape: spaceShapeSchema.optional(),
  trials: z.array(trialSchema, { error: "an array of trial records" }),
});

export interface TrialsOptions {
  /**
   * Trials run at once in this thread (default 1): for an async objective that waits on
   * something else (a remote job, a service, a subprocess).
   */
  parallelism?: number;
}

const optionsSchema = z.strictObject({
  parallelism: wholeNumber(1).optional(),
});

/** How option errors name an option in their message: `option "parallelism"`. */
export function optionName(path: string): string {
  return `option "${path}"`;
}

/**
 * The full history of a search, Hyperopt's `Trials`: pass one to fmin to inspect it afterwards,
 * or to a later fmin to continue the search. `new Trials({ parallelism })` runs an async
 * objective's trials concurrently; `new Trials(trials)` starts from earlier trials.
 */
export class Trials {
  /** Every trial, in tid order. */
  readonly trials: Trial[] = [];
  /** The seed of the search that made them; a continued search reuses it. */
  seed: number | undefined;
  /** The JSON form of the space they were drawn from. */
  space: unknown;
  /** The space's shape, kept when the space has no JSON form (see `SpaceShape`). */
  spaceShape: SpaceShape | undefined;

  /** How many trials run at once. */
  readonly parallelism: number;

  constructor(init: TrialsOptions | readonly Trial[] = {}, trials: readonly Trial[] = []) {
    // Anything but an options object is taken for the trials, as `new Trials(trials)` always was.
    const isOptions = typeof init === "object" && init !== null && !Array.isArray(init);
    const records = isOptions ? trials : init;
    if (!Array.isArray(records)) throw invalidArgument("Trials", "trials", "an array of trial records", records);
    const options = isOptions ? init : {};
    this.parallelism = parseArgument("Trials", optionsSchema, options, { label: optionName }).parallelism ?? 1;
    this.trials.push(...(records as readonly Trial[]));
  }

  get length(): number {
    return this.trials.length;
  }

  /** Id for the next trial. */
  nextTid(): number {
    const last = this.trials[this.trials.length - 1];
    return last === undefined ? 0 : last.tid + 1;
  }

  /** Hyperopt's `trials.statuses()`: each trial's status. */
  statuses(): TrialStatus[] {
    return this.trials.map((t) => t.status);
  }

  /** Hyperopt's `trials.losses()`: each trial's loss (undefined where it did not succeed). */
  losses(): (number | undefined)[] {
    return this.trials.map((t) => t.loss);
  }

  /** Hyperopt's `trials.results`: what each trial's objective returned, with the trial's status and loss (undefined unless it succeeded). */
  get results(): ResultEntry[] {
    return this.trials.map((t) => ({ ...t.result, status: t.status, loss: t.loss }));
  }

  /** Hyperopt's `trials.vals`: label -> the values it took, in trial order, over the trials where it was active. */
  get vals(): Record<string, number[]> {
    const out: Record<string, number[]> = {};
    for (const t of this.trials) for (const [label, value] of Object.entries(t.assignment)) (out[label] ??= []).push(value);
    return out;
  }

  /** The successful trial with the lowest loss (the earliest on a tie); a NaN loss never wins. */
  get bestTrial(): Trial | undefined {
    let best: Trial | undefined;
    for (const t of this.trials) if (lossOf(t) < Infinity && (best === undefined || lossOf(t) < lossOf(best))) best = t;
    return best;
  }

  /** Hyperopt's `trials.argmin`: the best trial's assignment (choice labels give indices). */
  get argmin(): Assignment | undefined {
    const best = this.bestTrial;
    return best === undefined ? undefined : { ...best.assignment };
  }

  toJSON(): TrialsJSON {
    const json: TrialsJSON = { format: "hyperopt-ts.trials", version: 1, trials: this.trials };
    if (this.seed !== undefined) json.seed = this.seed;
    if (this.space !== undefined) json.space = this.space;
    if (this.spaceShape !== undefined) json.spaceShape = this.spaceShape;
    return json;
  }

  /** The history a `toJSON` form holds; refuses a malformed one (a NaN or null loss included), naming the field. */
  static fromJSON(json: TrialsJSON): Trials {
    const parsed = parseArgument("Trials.fromJSON", trialsJSONSchema, json, { argument: "json", root: "json", label: (path) => (path === "json" ? path : `json.${path}`) });
    const trials = new Trials(parsed.trials as Trial[]);
    trials.seed = parsed.seed;
    trials.space = parsed.space;
    trials.spaceShape = parsed.spaceShape as SpaceShape | undefined;
    return trials;
  }
}
