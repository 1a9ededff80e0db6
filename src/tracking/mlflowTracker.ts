import type { Trial, TrialStatus } from "../trials/trial.js";
import { messageOf } from "./mlflow/errors.js";
import { flattenParams } from "./mlflow/flatten.js";
import { LIMITS } from "./mlflow/limits.js";
import type { TrackingOp } from "./mlflow/ops.js";
import { currentUser, sourceTags } from "./mlflow/sourceInfo.js";
import { defaultSpoolDir, Spool } from "./mlflow/spool.js";
import type { TrackingStore } from "./mlflow/store.js";
import { BEST_PARAM_PREFIX, METRIC, TAG } from "./mlflow/tagKeys.js";
import type { SearchEndStatus, SearchInfo, SearchSummary, SearchTracker } from "./tracker.js";
import type { KeyValue, Metric, RunStatus } from "./mlflow/types.js";
import { fitValue } from "./mlflow/validation.js";
import { artifactPathProblem } from "./mlflow/artifactPath.js";
import { artifactEntries } from "./mlflow/localArtifacts.js";
import { RecordedKeys } from "./recordedKeys.js";
import { registerBestTrial } from "./registerBest.js";
import type { ModelVersion } from "./mlflow/registry.js";
import type { RegisterModelOptions } from "./mlflow/registerModel.js";
import { RecordWriter, type WriterOptions } from "./writer.js";
import type { RecordSink } from "./recordSink.js";
import { ThreadedWriter } from "./threadedWriter.js";
import { SqliteStore } from "./mlflow/sqliteStore.js";

export interface MlflowTrackerOptions {
  /** Experiment name; defaults to `SearchInfo.experiment`, then "Default". */
  experiment?: string;
  /** Name of the parent run; defaults to `SearchInfo.runName`, then `hyperopt-<algorithm>-<start time>`. */
  runName?: string;
  /** Where warnings go; defaults to one line on stderr each. */
  warn?: (message: string) => void;
  /** Spool folder for a remote store; defaults to `.hyperopt-spool/<hash of the URI>`; `false` turns spooling off. */
  spoolDir?: string | false;
  /** How often to try an unreachable server again while spooling, in ms (default 5000). */
  probeMs?: number;
  /**
   * Continue the search recorded under this parent run (see `resumeTrials`): new trials become its children,
   * its params stay as they are (MLflow params cannot change), its best and counts are updated at the end.
   */
  resume?: { parentRunId: string; experimentId: string; params: Readonly<Record<string, string>> };
  /** After the search, register the best trial's model folder as a new version of a registered model. */
  registerModel?: Omit<RegisterModelOptions, "writeMLmodel">;
}

interface ChildRun {
  ref: string;
  paramsLogged: Map<string, string> | undefined;
  /** Reported metrics already queued, so `trial.metrics` at the end adds only the ones missing. */
  logged: Set<string>;
  reported: Set<string>;
  finished: boolean;
}

const RUN_STATUS: Record<Exclude<TrialStatus, "running">, RunStatus> = {
  ok: "FINISHED",
  fail: "FAILED",
  timeout: "FAILED",
  cancelled: "KILLED",
};

const SEARCH_STATUS: Record<SearchEndStatus, RunStatus> = { finished: "FINISHED", killed: "KILLED", failed: "FAILED" };

function metricId(m: { name: string; value: number; step: number; timestamp: number }): string {
  return `${m.name}\u0000${m.step}\u0000${m.timestamp}\u0000${m.value}`;
}

function warnToStderr(message: string): void {
  process.stderr.write(`hyperopt-ts tracking: ${message}\n`);
}

/**
 * Records a search in MLflow: a parent run for the search, a child run per trial. Every call only queues
 * records for the background writer and returns at once; `endSearch` resolves when all are stored (or spooled).
 * Nothing here throws into the search: problems become warnings.
 */
export class MlflowTracker implements SearchTracker {
  private readonly writer: RecordSink;
  private readonly session = Math.random().toString(36).slice(2, 10);
  private readonly warn: (message: string) => void;
  private readonly user = currentUser();
  private readonly warned = new Set<string>();
  private readonly keys = new RecordedKeys((message) => this.warnOnce(message));
  private readonly children = new Map<number, ChildRun>();
  private experimentRef: string | undefined;
  private parentRef: string | undefined;
  /** Params the parent run holds already (a continued search): they are not logged again. */
  private parentParams: ReadonlySet<string> = new Set();
  private space: unknown;
  private registered: ModelVersion | undefined;

  constructor(
    private readonly store: TrackingStore,
    private readonly options: MlflowTrackerOptions = {},
  ) {
    this.warn = options.warn ?? warnToStderr;
    const spool =
      store.remote && options.spoolDir !== false ? new Spool(options.spoolDir ?? defaultSpoolDir(store.uri), store.uri) : undefined;
    const writerOptions: WriterOptions = {
      warn: this.warn,
      sourceTags: sourceTags().catch(() => []),
      ...(spool ? { spool } : {}),
      ...(options.probeMs !== undefined ? { probeMs: options.probeMs } : {}),
    };
    this.writer = store instanceof SqliteStore ? new ThreadedWriter(store, writerOptions) : new RecordWriter(store, writerOptions);
  }

  /** The parent run's id, once the store has created it. */
  get parentRunId(): string | undefined {
    return this.parentRef === undefined ? undefined : this.writer.idOf(this.parentRef);
  }

  /** The model version `registerModel` registered, after `endSearch`. */
  get registeredVersion(): ModelVersion | undefined {
    return this.registered;
  }

  /** The spool file in use while the server is unreachable. */
  get spoolFile(): string | undefined {
    return this.writer.spoolFile;
  }

  private guard(what: string, body: () => void): void {
    try {
      body();
    } catch (error) {
      this.warn(`${what} was not recorded: ${messageOf(error)}`);
    }
  }

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.warn(message);
  }

  private key(raw: string): string {
    return this.keys.of(raw);
  }

  private tag(key: string, value: string): KeyValue {
    return { key, value: fitValue("tag", key, value, (m) => this.warnOnce(m)) };
  }

  private param(key: string, value: string): KeyValue {
    return { key, value: fitValue("param", key, value, (m) => this.warnOnce(m)) };
  }

  private metric(name: string, value: number, timestamp: number, step: number): Metric | undefined {
    if (!Number.isFinite(value)) {
      this.warnOnce(`metric ${JSON.stringify(name)} value ${String(value)} is not a finite number; not recorded`);
      return undefined;
    }
    return { key: this.key(name), value, timestamp: Math.max(0, Math.round(timestamp)), step: Math.round(step) };
  }

  private enqueue(op: TrackingOp): void {
    this.writer.enqueue(op);
  }

  startSearch(info: SearchInfo): void {
    this.guard("the search start", () => {
      this.space = info.space;
      const experiment = this.options.experiment ?? info.experiment ?? "Default";
      const runName =
        this.options.runName ?? info.runName ?? `hyperopt-${info.algorithm.name}-${new Date(info.startTime).toISOString()}`;
      this.experimentRef = `${this.session}:experiment`;
      this.parentRef = `${this.session}:search`;
      const resume = this.options.resume;
      if (resume) {
        this.writer.adopt(this.experimentRef, resume.experimentId);
        this.writer.adopt(this.parentRef, resume.parentRunId);
        this.parentParams = new Set(Object.keys(resume.params));
      } else {
        this.createParent(info, experiment, runName);
      }
      const params = this.newParentParams(Object.entries(info.settings).map(([k, v]) => this.param(this.key(k), String(v))));
      if (params.length > 0) this.enqueue({ kind: "logBatch", run: this.parentRef, metrics: [], params, tags: [] });
    });
  }

  private createParent(info: SearchInfo, experiment: string, runName: string): void {
    const parentRef = this.parentRef as string;
    const experimentRef = this.experimentRef as string;
    this.enqueue({ kind: "experiment", ref: experimentRef, name: experiment });
    this.enqueue({
      kind: "createRun",
      ref: parentRef,
      experiment: experimentRef,
      runName,
      startTime: info.startTime,
      userId: this.user,
      withSourceTags: true,
      tags: [
        this.tag(TAG.runName, runName),
        this.tag(TAG.user, this.user),
        this.tag(TAG.algorithm, info.algorithm.name),
        this.tag(TAG.algorithmSettings, JSON.stringify(info.algorithm.settings)),
        this.tag(TAG.seed, String(info.seed)),
        ...(info.space === undefined ? [] : [this.tag(TAG.space, JSON.stringify(info.space))]),
      ],
    });
  }

  private newParentParams(params: KeyValue[]): KeyValue[] {
    return params.filter((p) => !this.parentParams.has(p.key));
  }

  private child(tid: number, startTime: number): ChildRun {
    const existing = this.children.get(tid);
    if (existing) return existing;
    if (this.experimentRef === undefined) throw new Error("startSearch was not called");
    const child: ChildRun = { ref: `${this.session}:trial:${tid}`, paramsLogged: undefined, logged: new Set(), reported: new Set(), finished: false };
    this.children.set(tid, child);
    const runName = `trial-${tid}`;
    this.enqueue({
      kind: "createRun",
      ref: child.ref,
      experiment: this.experimentRef,
      runName,
      startTime,
      userId: this.user,
      ...(this.parentRef !== undefined ? { parent: this.parentRef } : {}),
      tags: [this.tag(TAG.runName, runName), this.tag(TAG.user, this.user), this.tag(TAG.tid, String(tid))],
    });
    return child;
  }

  private logTrialParams(child: ChildRun, trial: Trial): void {
    if (child.paramsLogged) return;
    child.paramsLogged = new Map();
    const params: KeyValue[] = [];
    for (const [rawKey, value] of flattenParams(trial.params)) {
      const p = this.param(this.key(rawKey), value);
      if (child.paramsLogged.has(p.key)) continue;
      child.paramsLogged.set(p.key, p.value);
      params.push(p);
    }
    const tags = [this.tag(TAG.assignment, JSON.stringify(trial.assignment))];
    const paramsJson = JSON.stringify(trial.params ?? null);
    if (paramsJson.length <= LIMITS.tagValueLength) tags.push({ key: TAG.params, value: paramsJson });
    this.enqueue({ kind: "logBatch", run: child.ref, metrics: [], params, tags });
  }

  trialStarted(trial: Trial): void {
    this.guard(`trial ${trial.tid} start`, () => {
      const child = this.child(trial.tid, trial.startTime);
      this.logTrialParams(child, trial);
    });
  }

  trialMetric(tid: number, metric: { name: string; value: number; step: number; timestamp: number }): void {
    this.guard(`metric ${JSON.stringify(metric.name)} of trial ${tid}`, () => {
      const child = this.child(tid, metric.timestamp);
      const id = metricId(metric);
      if (child.logged.has(id)) return;
      child.logged.add(id);
      const m = this.metric(metric.name, metric.value, metric.timestamp, metric.step);
      if (!m) return;
      child.reported.add(m.key);
      this.enqueue({ kind: "logBatch", run: child.ref, metrics: [m], params: [], tags: [] });
    });
  }

  trialFinished(trial: Trial): void {
    this.guard(`trial ${trial.tid} end`, () => this.finishTrial(trial));
  }

  private finishTrial(trial: Trial): void {
    if (trial.status === "running") return;
    const child = this.child(trial.tid, trial.startTime);
    if (child.finished) return;
    child.finished = true;
    this.logTrialParams(child, trial);
    const endTime = trial.endTime ?? Date.now();
    const metrics: Metric[] = [];
    const finalNames = new Set<string>();
    const add = (m: Metric | undefined): void => {
      if (!m) return;
      finalNames.add(m.key);
      metrics.push(m);
    };
    for (const reported of trial.metrics) {
      const id = metricId(reported);
      if (child.logged.has(id)) continue;
      child.logged.add(id);
      const m = this.metric(reported.name, reported.value, reported.timestamp, reported.step);
      if (m) child.reported.add(m.key);
      add(m);
    }
    if (trial.status === "ok" && trial.loss !== undefined) add(this.metric(METRIC.loss, trial.loss, endTime, 0));
    add(this.metric(METRIC.duration, Math.max(0, endTime - trial.startTime) / 1000, endTime, 0));
    const extras = trial.result ?? {};
    for (const [name, value] of Object.entries(extras.metrics ?? {})) {
      if (name === METRIC.loss || name === METRIC.duration) continue;
      add(this.metric(name, value, endTime, 0));
    }
    const params: KeyValue[] = [];
    for (const [rawKey, value] of Object.entries(extras.params ?? {})) {
      const p = this.param(this.key(rawKey), String(value));
      const earlier = child.paramsLogged?.get(p.key);
      if (earlier !== undefined) {
        if (earlier !== p.value) this.warnOnce(`trial ${trial.tid}: result param ${JSON.stringify(p.key)} differs from the trial's param; kept the trial's`);
        continue;
      }
      child.paramsLogged?.set(p.key, p.value);
      params.push(p);
    }
    const tags: KeyValue[] = Object.entries(extras.tags ?? {}).map(([k, v]) => this.tag(this.key(k), v));
    tags.push({ key: TAG.status, value: trial.status });
    tags.push({ key: TAG.reportedMetrics, value: JSON.stringify([...child.reported].sort()) });
    if (trial.error) {
      tags.push(this.tag(TAG.errorKind, trial.error.kind), this.tag(TAG.errorMessage, trial.error.message));
      if (trial.error.stack) tags.push(this.tag(TAG.errorStack, trial.error.stack));
    }
    if (trial.result !== undefined) {
      const resultJson = JSON.stringify(trial.result);
      if (resultJson !== undefined && resultJson.length <= LIMITS.tagValueLength) tags.push({ key: TAG.result, value: resultJson });
    }
    this.enqueue({ kind: "logBatch", run: child.ref, metrics, params, tags });
    for (const { path, file } of artifactEntries(extras.artifacts)) {
      const problem = artifactPathProblem(path);
      if (problem === undefined) this.enqueue({ kind: "artifact", run: child.ref, path, file });
      else this.warnOnce(`trial ${trial.tid}: artifact ${problem}; not recorded`);
    }
    this.enqueue({ kind: "updateRun", run: child.ref, status: RUN_STATUS[trial.status], endTime });
  }

  /**
   * Stores every queued record, then registers the best trial's model when `registerModel` asks for it.
   * Rejects only with `ModelRegistrationError`, when that registration fails.
   */
  async endSearch(summary: SearchSummary): Promise<void> {
    let registration: unknown;
    try {
      this.guard("the search end", () => this.recordEnd(summary));
      await this.writer.close();
      const register = this.options.registerModel;
      if (register !== undefined) {
        const best = summary.bestTrial;
        const child = best === undefined ? undefined : this.children.get(best.tid);
        const runs = { bestTrial: best, childRunId: child && this.writer.idOf(child.ref), parentRunId: this.parentRunId };
        await registerBestTrial(this.store, runs, register).then(
          (version) => (this.registered = version),
          (error: unknown) => (registration = error),
        );
      }
    } catch (error) {
      this.warn(`the search end was not recorded: ${messageOf(error)}`);
    } finally {
      await this.store.close().catch(() => undefined);
    }
    if (registration !== undefined) throw registration;
  }

  private recordEnd(summary: SearchSummary): void {
    if (this.parentRef === undefined) return;
    for (const trial of summary.trials) {
      if (trial.status !== "running" && this.children.has(trial.tid)) this.guard(`trial ${trial.tid} end`, () => this.finishTrial(trial));
    }
    for (const [tid, child] of this.children) {
      if (child.finished) continue;
      child.finished = true;
      this.warnOnce(`trial ${tid} was still running when the search ended; its run is marked KILLED`);
      this.enqueue({ kind: "updateRun", run: child.ref, status: "KILLED", endTime: summary.endTime });
    }
    const metrics: Metric[] = [];
    const push = (m: Metric | undefined): void => {
      if (m) metrics.push(m);
    };
    const bestLoss = summary.bestTrial?.loss;
    if (bestLoss !== undefined) push(this.metric(METRIC.bestLoss, bestLoss, summary.endTime, 0));
    push(this.metric(METRIC.nTrials, summary.nTrials, summary.endTime, 0));
    push(this.metric(METRIC.nFailed, summary.nFailed, summary.endTime, 0));
    const params = summary.bestTrial
      ? this.newParentParams(flattenParams(summary.bestTrial.params).map(([k, v]) => this.param(this.key(`${BEST_PARAM_PREFIX}${k}`), v)))
      : [];
    const tags: KeyValue[] = [];
    if (summary.best) tags.push(this.tag(TAG.best, JSON.stringify(summary.best)));
    if (summary.bestTrial) tags.push({ key: TAG.bestTid, value: String(summary.bestTrial.tid) });
    if (summary.error) tags.push(this.tag(TAG.errorMessage, summary.error));
    this.enqueue({ kind: "logBatch", run: this.parentRef, metrics, params, tags });
    this.enqueue({ kind: "artifact", run: this.parentRef, path: "trials.json", text: `${JSON.stringify(summary.trials, null, 2)}\n` });
    if (this.space !== undefined) {
      this.enqueue({ kind: "artifact", run: this.parentRef, path: "space.json", text: `${JSON.stringify(this.space, null, 2)}\n` });
    }
    const parent = this.parentRef;
    // What is queued goes to the writer before the artifacts are made: the report takes a while.
    this.writer.send();
    const made = Object.entries(summary.artifacts ?? {}).filter(([, make]) => make.recipe === undefined);
    for (const [path, make] of made) this.guard(`the artifact ${path}`, () => this.enqueue({ kind: "artifact", run: parent, path, text: make() }));
    this.enqueue({ kind: "updateRun", run: this.parentRef, status: SEARCH_STATUS[summary.status], endTime: summary.endTime });
    for (const [path, make] of Object.entries(summary.artifacts ?? {})) {
      if (make.recipe === undefined || this.writer.defer({ kind: "artifact", run: parent, path, recipe: make.recipe })) continue;
      this.guard(`the artifact ${path}`, () => this.enqueue({ kind: "artifact", run: parent, path, text: make() }));
    }
  }
}
