import { z } from "zod";
import { zodArgumentError } from "../errors.js";
import type { Assignment } from "../space/assignment.js";
import type { Trial, TrialStatus } from "./trial.js";

/** The serialised form of a search's history (the save file holds the same, one trial a line). */
export interface TrialsJSON {
  format: "hyperopt-ts.trials";
  version: 1;
  seed?: number;
  space?: unknown;
  trials: Trial[];
}

export interface TrialsOptions {
  /**
   * Trials run at once in this thread (default 1): for an async objective that waits on
   * something else (a remote job, a service, a subprocess).
   */
  parallelism?: number;
}

const wholeAtLeast1 = "a whole number >= 1";
const optionsSchema = z.strictObject({
  parallelism: z.number({ error: wholeAtLeast1 }).int(wholeAtLeast1).min(1, wholeAtLeast1).optional(),
});

/** How option errors name the option: `option "parallelism"`, or `options` for the object as a whole. */
export function optionName(path: string): string {
  return path === "options" ? "options" : `option "${path}"`;
}

/**
 * The full history of a search, Hyperopt's `Trials`: pass one to fmin to inspect it afterwards,
 * or to a later fmin to continue the search. `new Trials({ parallelism })` runs an async
 * objective's trials concurrently; `new Trials(trials)` starts from earlier trials.
 */
export class Trials {
  /** Every trial, in tid order. */
  readonly trials: Trial[] = [];
  /** How many trials run at once. */
  readonly parallelism: number;
  /** The seed of the search that made them; a continued search reuses it. */
  seed: number | undefined;
  /** The JSON form of the space they were drawn from. */
  space: unknown;

  constructor(init: TrialsOptions | readonly Trial[] = {}, trials: readonly Trial[] = []) {
    const options = Array.isArray(init) ? {} : init;
    const parsed = optionsSchema.safeParse(options);
    if (!parsed.success) throw zodArgumentError("Trials", parsed.error, options, optionName);
    this.parallelism = parsed.data.parallelism ?? 1;
    this.trials.push(...(Array.isArray(init) ? (init as readonly Trial[]) : trials));
  }

  get length(): number {
    return this.trials.length;
  }

  /** Id for the next trial. */
  nextTid(): number {
    const last = this.trials[this.trials.length - 1];
    return last === undefined ? 0 : last.tid + 1;
  }

  get statuses(): TrialStatus[] {
    return this.trials.map((t) => t.status);
  }

  /** Loss of each trial (undefined where it did not succeed). */
  get losses(): (number | undefined)[] {
    return this.trials.map((t) => t.loss);
  }

  /** The successful trial with the lowest loss (the earliest on a tie). */
  get bestTrial(): Trial | undefined {
    let best: Trial | undefined;
    for (const t of this.trials) if (t.status === "ok" && t.loss !== undefined && (best === undefined || t.loss < (best.loss as number))) best = t;
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
    return json;
  }

  static fromJSON(json: TrialsJSON): Trials {
    const trials = new Trials(json.trials);
    trials.seed = json.seed;
    trials.space = json.space;
    return trials;
  }
}
