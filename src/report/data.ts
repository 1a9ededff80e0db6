import type { Trial, TrialStatus } from "../trials/trial.js";
import { paramColumns, type ParamColumn } from "./columns.js";
import { paramImportance } from "./importance.js";

/** What the report says about the search beside its trials. */
export interface ReportSource {
  /** Where the trials came from: a save file's path, or a tracking URI and run. */
  source: string;
  trials: readonly Trial[];
  seed?: number;
  /** The JSON form of the space (`spaceToJSON`). */
  space?: unknown;
  /** The algorithm and its settings, when recorded. */
  algorithm?: { name: string; settings: Record<string, unknown> };
}

/** One trial as the page embeds it. */
export interface ReportTrial {
  tid: number;
  status: TrialStatus;
  loss: number | null;
  /** Hyperopt's form: label -> value for the active labels, choice labels give option indices. */
  params: Record<string, number>;
  /** Seconds the trial took, when it ended. */
  duration: number | null;
  error: string | null;
}

export interface ReportSettings {
  source: string;
  algorithm: { name: string; settings: Record<string, unknown> } | null;
  seed: number | null;
  space: unknown;
  counts: { total: number; ok: number; failed: number };
  /** First trial's start and last trial's end (ms since the epoch), and the seconds between. */
  time: { start: number | null; end: number | null; seconds: number | null };
}

/** The data behind a report, embedded in the page as JSON (`<script id="report-data">`). */
export interface ReportData {
  params: ParamColumn[];
  trials: ReportTrial[];
  /** Label -> share of the loss's variance its main effect explains (fANOVA; the shares sum to 1). */
  importance: Record<string, number>;
  settings: ReportSettings;
}

function reportTrial(trial: Trial): ReportTrial {
  return {
    tid: trial.tid,
    status: trial.status,
    loss: trial.status === "ok" && trial.loss !== undefined ? trial.loss : null,
    params: { ...trial.assignment },
    duration: trial.endTime === undefined ? null : (trial.endTime - trial.startTime) / 1000,
    error: trial.error?.message ?? null,
  };
}

/** The report's data: the finished trials, the parameters as columns, their importance and the settings. */
export function reportData(source: ReportSource): ReportData {
  const trials = source.trials.filter((t) => t.status !== "running").sort((a, b) => a.tid - b.tid);
  const params = paramColumns(source.space, trials);
  const ok = trials.filter((t) => t.status === "ok").length;
  const starts = trials.map((t) => t.startTime);
  const ends = trials.flatMap((t) => (t.endTime === undefined ? [] : [t.endTime]));
  const start = starts.length ? starts.reduce((a, b) => Math.min(a, b)) : null;
  const end = ends.length ? ends.reduce((a, b) => Math.max(a, b)) : null;
  return {
    params,
    trials: trials.map(reportTrial),
    importance: paramImportance(params, trials, source.seed === undefined ? {} : { seed: source.seed }),
    settings: {
      source: source.source,
      algorithm: source.algorithm ?? null,
      seed: source.seed ?? null,
      space: source.space ?? null,
      counts: { total: trials.length, ok, failed: trials.length - ok },
      time: { start, end, seconds: start !== null && end !== null ? (end - start) / 1000 : null },
    },
  };
}
