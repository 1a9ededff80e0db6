import type { SearchInfo, SearchSummary, SearchTracker } from "../../src/tracking/tracker.js";
import type { Trial } from "../../src/trials/trial.js";

export const T0 = 1_700_000_000_000;

export const searchInfo: SearchInfo = {
  experiment: "iris-svm",
  runName: "search-1",
  algorithm: { name: "tpe", settings: { nStartupJobs: 2, gamma: 0.25 } },
  seed: 42,
  space: { lr: { kind: "loguniform", label: "lr" } },
  settings: { maxEvals: 3, parallelism: 1 },
  startTime: T0,
};

/** Three finished trials: an ok one with reported metrics and extras, a failed one, an ok best one. */
export function fixtureTrials(): Trial[] {
  return [
    {
      tid: 0,
      status: "ok",
      assignment: { lr: 0.01, model: 0 },
      params: { lr: 0.01, model: { kind: "svm", C: 2.5 }, layers: [8, 16] },
      loss: 0.5,
      result: { loss: 0.5, metrics: { accuracy: 0.9 }, params: { note: "first" }, tags: { phase: "warmup" } },
      startTime: T0 + 1000,
      endTime: T0 + 3500,
      metrics: [
        { name: "val_loss", value: 0.8, step: 0, timestamp: T0 + 1500 },
        { name: "val_loss", value: 0.6, step: 1, timestamp: T0 + 2500 },
      ],
    },
    {
      tid: 1,
      status: "fail",
      assignment: { lr: 0.1, model: 1 },
      params: { lr: 0.1, model: { kind: "tree", depth: 4 }, layers: [] },
      error: { kind: "exception", message: "diverged" },
      startTime: T0 + 4000,
      endTime: T0 + 4200,
      metrics: [],
    },
    {
      tid: 2,
      status: "ok",
      assignment: { lr: 0.001, model: 0 },
      params: { lr: 0.001, model: { kind: "svm", C: 0.5 }, layers: [32] },
      loss: 0.25,
      startTime: T0 + 5000,
      endTime: T0 + 6000,
      metrics: [],
    },
  ];
}

export function fixtureSummary(trials: Trial[]): SearchSummary {
  return {
    status: "finished",
    bestTrial: trials[2],
    best: { lr: 0.001, model: 0 },
    nTrials: trials.length,
    nFailed: 1,
    trials,
    endTime: T0 + 7000,
  };
}

/** Drives a tracker the way fmin does: start, per trial started / reported / finished, end. */
export async function runFixtureSearch(tracker: SearchTracker, trials: Trial[] = fixtureTrials()): Promise<Trial[]> {
  tracker.startSearch(searchInfo);
  for (const trial of trials) {
    tracker.trialStarted({ ...trial, status: "running", metrics: [] });
    for (const m of trial.metrics) tracker.trialMetric(trial.tid, m);
    tracker.trialFinished(trial);
  }
  await tracker.endSearch(fixtureSummary(trials));
  return trials;
}
