import type { Algorithm } from "../algorithms/algorithm.js";
import type { Executor } from "../executors/executor.js";
import type { Assignment } from "../space/assignment.js";
import { checkAssignment } from "../space/checkAssignment.js";
import type { CompiledSpace } from "../space/compile.js";
import { spaceEval } from "../space/spaceEval.js";
import type { SearchTracker } from "../tracking/tracker.js";
import { recordOutcome } from "../trials/record.js";
import type { SaveFile } from "../trials/saveFile.js";
import type { Trial } from "../trials/trial.js";
import type { Trials } from "../trials/trials.js";
import type { EarlyStopFn } from "./earlyStop.js";
import type { ProgressDisplay } from "./progress.js";
import { resumeTrials } from "./executorFor.js";
import type { SearchStop } from "./stop.js";

/** Everything the loop works with, decided before it starts. */
export interface SearchPlan {
  space: CompiledSpace;
  algo: Algorithm;
  seed: number;
  maxEvals: number;
  /** Points tried before the algorithm is asked, already checked against the space. */
  points: Assignment[];
  trials: Trials;
  executor: Executor;
  stop: SearchStop;
  saveFile?: SaveFile | undefined;
  tracker?: SearchTracker | undefined;
  progress?: ProgressDisplay | undefined;
  lossThreshold?: number | undefined;
  earlyStop?: EarlyStopFn | undefined;
  onTrial?: ((trial: Trial, trials: Trials) => void) | undefined;
}

/** Lets timers, I/O and signal handlers run, so that a search of synchronous trials can be stopped. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Longest stretch of milliseconds the loop runs trials without yielding to the event loop. */
const TIME_SLICE_MS = 2;

/**
 * Runs trials until a stop reason is set and none is in flight.
 *
 * Invariant: every trial in the history is either finished and recorded (save file, tracker,
 * progress, stop rules, onTrial, in that order, once) or running with its promise in `inFlight`;
 * at most `executor.parallelism` run at once, a trial starts only while no stop reason is set and
 * the history holds fewer than `maxEvals` trials; and once a trial ends, if `TIME_SLICE_MS` passed
 * since the loop last yielded to the event loop, it yields before the next trial starts, so a
 * timeout, an abort or a signal stops even a search of synchronous trials within one trial (or
 * one time slice of trials shorter than it).
 */
export class SearchLoop {
  private readonly inFlight = new Map<number, Promise<void>>();
  private finished: number;
  private bestLoss: number | undefined;
  private lastYield = performance.now();

  constructor(private readonly plan: SearchPlan) {
    this.finished = plan.trials.length;
    this.bestLoss = plan.trials.bestTrial?.loss;
  }

  /** Runs the search; on an error (a bad suggestion, a throwing callback) cancels the trials in flight, waits for them and rethrows. */
  async run(): Promise<void> {
    try {
      await this.resume();
      while (true) {
        this.startTrials();
        if (this.inFlight.size === 0) return;
        await Promise.race(this.inFlight.values());
        if (performance.now() - this.lastYield >= TIME_SLICE_MS) {
          await yieldToEventLoop();
          this.lastYield = performance.now();
        }
      }
    } catch (error) {
      this.plan.stop.stop("cancelled");
      await Promise.allSettled(this.inFlight.values());
      throw error;
    }
  }

  /** Trials finished so far, earlier searches' included, and the best loss among them. */
  get progress(): { done: number; bestLoss: number | undefined } {
    return { done: this.finished, bestLoss: this.bestLoss };
  }

  /** Trials a stopped driver of this search left on its queue are collected, not run again. */
  private async resume(): Promise<void> {
    const { executor, trials, points, space, tracker } = this.plan;
    for (const trial of await resumeTrials(executor, trials, (assignment) => spaceEval(space.space, assignment))) {
      points.shift();
      tracker?.trialStarted(trial);
      this.inFlight.set(trial.tid, this.runTrial(trial).finally(() => this.inFlight.delete(trial.tid)));
    }
  }

  private startTrials(): void {
    const { stop, executor, trials, maxEvals, points, algo, space, seed } = this.plan;
    while (stop.reason === undefined && this.inFlight.size < executor.parallelism) {
      if (trials.length >= maxEvals) return stop.stop("maxEvals");
      const tid = trials.nextTid();
      const next = points.shift() ?? algo({ space, trials: trials.trials, tid, seed });
      if (next === null) return stop.stop("exhausted");
      const assignment = checkAssignment(space, next, "suggestion");
      const trial: Trial = { tid, status: "running", assignment, params: spaceEval(space.space, assignment), startTime: Date.now(), metrics: [] };
      trials.trials.push(trial);
      this.plan.tracker?.trialStarted(trial);
      this.inFlight.set(tid, this.runTrial(trial).finally(() => this.inFlight.delete(tid)));
    }
  }

  private async runTrial(trial: Trial): Promise<void> {
    const steps = new Map<string, number>();
    const outcome = await this.plan.executor.run({
      tid: trial.tid,
      params: trial.params,
      assignment: trial.assignment,
      signal: this.plan.stop.signal,
      report: (name, value, step) => {
        const s = step ?? steps.get(name) ?? 0;
        steps.set(name, s + 1);
        const metric = { name, value, step: s, timestamp: Date.now() };
        trial.metrics.push(metric);
        this.plan.tracker?.trialMetric(trial.tid, metric);
      },
    });
    recordOutcome(trial, outcome, Date.now());
    this.record(trial);
  }

  private record(trial: Trial): void {
    const { saveFile, tracker, progress, stop, lossThreshold, earlyStop, onTrial, trials } = this.plan;
    saveFile?.append(trial);
    tracker?.trialFinished(trial);
    this.finished++;
    const loss = trial.status === "ok" ? trial.loss : undefined;
    if (loss !== undefined && (this.bestLoss === undefined || loss < this.bestLoss)) this.bestLoss = loss;
    progress?.update(this.finished, this.bestLoss);
    if (loss !== undefined && lossThreshold !== undefined && loss <= lossThreshold) stop.stop("lossThreshold");
    if (earlyStop?.(trials.trials)) stop.stop("earlyStop");
    onTrial?.(trial, trials);
  }
}
