import type { Trial } from "../trials/trial.js";
import { cellValue, paramColumns } from "./columns.js";

type Cell = string | number | boolean | null;

/** A search's trials as a table (Hyperopt's `trials.trials`, Optuna's `trials_dataframe`). */
export interface TrialTable {
  /** tid, status, loss, start, seconds, one column per parameter (its label), error. */
  columns: string[];
  /** One row per finished trial, in tid order; null where a parameter was inactive or a value is missing. */
  rows: Cell[][];
}

/** The table of a search's finished trials, parameters as columns in the space's order. */
export function trialTable(trials: readonly Trial[], spaceJSON: unknown): TrialTable {
  const finished = trials.filter((t) => t.status !== "running").sort((a, b) => a.tid - b.tid);
  const params = paramColumns(spaceJSON, finished);
  return {
    columns: ["tid", "status", "loss", "start", "seconds", ...params.map((p) => p.label), "error"],
    rows: finished.map((t) => [
      t.tid,
      t.status,
      t.loss ?? null,
      new Date(t.startTime).toISOString(),
      t.endTime === undefined ? null : (t.endTime - t.startTime) / 1000,
      ...params.map((p) => cellValue(p, t.assignment)),
      t.error?.message ?? null,
    ]),
  };
}
