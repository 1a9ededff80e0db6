import type { Trial } from "../trials/trial.js";
import type { ArtifactRecipe } from "./mlflow/artifactRecipe.js";

/**
 * Makes an artifact's text. With a `recipe` (plain data), a tracker whose writer has a thread of its own makes
 * it there instead, after `endSearch` resolved: the process stays alive until it is stored.
 */
export type ArtifactMaker = (() => string) & { recipe?: ArtifactRecipe };

/** What a tracker learns about a search before its first trial. */
export interface SearchInfo {
  experiment?: string;
  runName?: string;
  algorithm: { name: string; settings: Record<string, unknown> };
  seed: number;
  /** The space in its JSON form (`spaceToJSON`); undefined when it holds values JSON cannot carry. */
  space: unknown;
  /** fmin's settings (maxEvals, timeout, parallelism, ...), flat. */
  settings: Record<string, string | number | boolean>;
  /** Milliseconds since the epoch. */
  startTime: number;
}

export type SearchEndStatus = "finished" | "killed" | "failed";

export interface SearchSummary {
  status: SearchEndStatus;
  /** Best trial, when one succeeded. */
  bestTrial?: Trial;
  /** Hyperopt's form of the best point: label -> value, choice labels give indices. */
  best?: Record<string, number>;
  nTrials: number;
  nFailed: number;
  /** Every trial of the search (the `Trials` history, serialisable). */
  trials: readonly Trial[];
  /** Why the search failed, when status is `failed`. */
  error?: string;
  /** Files to keep with the search's record (path -> its text, made only when the tracker stores it), such as `report.html`. */
  artifacts?: Record<string, ArtifactMaker>;
  endTime: number;
}

/**
 * Records a search. fmin calls the first four synchronously and never waits on them, so an
 * implementation queues its I/O; `endSearch` flushes everything and resolves when it is stored.
 * A tracker never throws into the search: failures are reported by the tracker itself.
 */
export interface SearchTracker {
  startSearch(info: SearchInfo): void;
  trialStarted(trial: Trial): void;
  trialMetric(tid: number, metric: { name: string; value: number; step: number; timestamp: number }): void;
  trialFinished(trial: Trial): void;
  endSearch(summary: SearchSummary): Promise<void>;
}
