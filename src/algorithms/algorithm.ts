import type { Assignment } from "../space/assignment.js";
import type { CompiledSpace } from "../space/compile.js";
import type { Trial } from "../trials/trial.js";

/** What an algorithm is asked: one new point for trial `tid`. */
export interface SuggestRequest {
  space: CompiledSpace;
  /**
   * Every trial so far in creation order, finished and running alike (running ones have status
   * `running` and no loss), including the points already suggested in this round.
   */
  trials: readonly Trial[];
  /** Id of the trial the suggestion is for. */
  tid: number;
  /** The search's seed. */
  seed: number;
}

/**
 * A search algorithm: pure and synchronous, so the same space, history, tid and seed give the
 * same suggestion. Returns `null` when it has nothing left to suggest (an exhausted grid).
 */
export interface Algorithm {
  (request: SuggestRequest): Assignment | null;
  /** Shown in progress, tracking and benchmark tables. */
  readonly algorithmName?: string;
  /** The settings the algorithm was configured with, for records. */
  readonly settings?: Readonly<Record<string, unknown>>;
}

/** Gives a suggest function its name and settings. */
export function defineAlgorithm(
  name: string,
  settings: Readonly<Record<string, unknown>>,
  suggest: (request: SuggestRequest) => Assignment | null,
): Algorithm {
  return Object.assign((request: SuggestRequest) => suggest(request), { algorithmName: name, settings });
}
