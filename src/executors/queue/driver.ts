import { Job, Queue, QueueEvents, QueueEventsProducer } from "bullmq";
import type { Executor, ResumedTrial, TrialJob, TrialOutcome } from "../executor.js";
import { objectiveRef, type ObjectiveModule, type ObjectiveRef } from "../objectiveSource.js";
import {
  bullQueueName, CANCEL_EVENT, jobDataSchema, jobIdOf, objectiveIdentity, outcomeSchema, progressSchema, searchIdOf, type QueueJobData,
} from "./protocol.js";
import { checkRedis, redactRedisUrl, redisOptions } from "./redisUrl.js";

/** What the driver needs to know about the queue (QueueTrials validates it). */
export interface QueueSettings {
  redis: string;
  queue: string;
  parallelism: number;
  /** Seconds between checks on the jobs in flight. */
  heartbeat: number;
  timeout?: number;
  searchId?: string;
}

/** Seconds within which Redis must answer when the search starts. */
const CONNECT_SECONDS = 8;
/** Finished jobs stay in Redis this long (seconds), for a driver that was down when they ended. */
const KEEP_FINISHED = 7 * 24 * 3600;
const WAITING = new Set(["waiting", "delayed", "prioritized", "waiting-children"]);

interface Pending {
  id: string;
  job: TrialJob;
  data: QueueJobData;
  resolve: (outcome: TrialOutcome) => void;
  onAbort: () => void;
  cancelling: boolean;
  cancelTimer?: NodeJS.Timeout;
  /** How many of the trial's reports (numbered from 0) have reached the job. */
  reported: number;
}

interface Connection {
  queue: Queue;
  events: QueueEvents;
  producer: QueueEventsProducer;
  searchId: string;
}

const cancelled = (message: string): TrialOutcome => ({ kind: "failed", status: "cancelled", error: { message, kind: "cancelled" } });

/**
 * The driver's side of the queue: each trial becomes a BullMQ job that a `hyperopt-ts worker`
 * runs; its outcome comes back with the job (queue events, with a check on every job in flight
 * each heartbeat in case an event was missed while Redis was away), and its reports as job
 * progress. Finished jobs are kept for a week, so that a driver restarted on the same search
 * collects what finished while it was down.
 */
export class QueueExecutor implements Executor {
  readonly parallelism: number;
  private readonly objective: ObjectiveRef;
  private readonly name: string;
  private connection: Promise<Connection> | undefined;
  private readonly pending = new Map<string, Pending>();
  private readonly finished = new Set<string>();
  private poller: NodeJS.Timeout | undefined;

  constructor(source: ObjectiveModule, private readonly settings: QueueSettings, private readonly search: () => { seed: number | undefined; space: unknown }) {
    this.parallelism = settings.parallelism;
    this.objective = objectiveRef(source);
    this.name = bullQueueName(settings.queue, this.objective);
  }

  private connect(): Promise<Connection> {
    this.connection ??= this.open();
    return this.connection;
  }

  private async open(): Promise<Connection> {
    await checkRedis(this.settings.redis, CONNECT_SECONDS);
    const connection = redisOptions(this.settings.redis);
    const queue = new Queue(this.name, { connection });
    const events = new QueueEvents(this.name, { connection });
    const producer = new QueueEventsProducer(this.name, { connection });
    // Errors while Redis is away: the clients reconnect, and the heartbeat check catches up.
    queue.on("error", () => {});
    events.on("error", () => {});
    producer.on("error", () => {});
    events.on("completed", ({ jobId, returnvalue }) => this.onFinished(jobId, returnvalue));
    events.on("failed", ({ jobId, failedReason }) => this.onFailed(jobId, failedReason));
    events.on("progress", ({ jobId, data }) => this.onProgress(jobId, data));
    await events.waitUntilReady();
    this.poller = setInterval(() => void this.checkAll(), this.settings.heartbeat * 1000);
    this.poller.unref();
    const { seed, space } = this.search();
    void this.warnWithoutWorkers(queue);
    return { queue, events, producer, searchId: this.settings.searchId ?? searchIdOf(seed, space) };
  }

  private async warnWithoutWorkers(queue: Queue): Promise<void> {
    try {
      if ((await queue.getWorkersCount()) > 0) return;
    } catch {
      return;
    }
    const { module, export: name } = objectiveIdentity(this.objective);
    process.stderr.write(
      `hyperopt-ts: no worker serves the queue "${this.settings.queue}" for the objective ${module}#${name} yet; start one with\n` +
        `  npx hyperopt-ts worker <path to ${module}> --redis ${redactRedisUrl(this.settings.redis)} --queue ${this.settings.queue}${name === "default" ? "" : ` --export ${name}`}\n`,
    );
  }

  async run(job: TrialJob): Promise<TrialOutcome> {
    if (job.signal.aborted) return cancelled("the search was stopped before the trial started");
    const { searchId } = await this.connect();
    const data: QueueJobData = {
      search: searchId, tid: job.tid, assignment: job.assignment, params: job.params, objective: objectiveIdentity(this.objective),
      ...(this.settings.timeout === undefined ? {} : { timeout: this.settings.timeout }),
    };
    return new Promise((resolve) => {
      const id = jobIdOf(searchId, job.tid);
      const pending: Pending = { id, job, data, resolve, cancelling: false, reported: 0, onAbort: () => void this.cancel(pending) };
      this.pending.set(id, pending);
      job.signal.addEventListener("abort", pending.onAbort);
      void this.submit(pending);
    });
  }

  /** Adds the job (a no-op when a job of that id is in the queue already), then looks whether it has ended. */
  private async submit(pending: Pending): Promise<void> {
    const { queue } = await this.connect();
    try {
      await queue.add("trial", pending.data, { jobId: pending.id, attempts: 1, removeOnComplete: { age: KEEP_FINISHED }, removeOnFail: { age: KEEP_FINISHED } });
    } catch (error) {
      const message = `the trial could not be queued: ${error instanceof Error ? error.message : String(error)}`;
      this.settle(pending, { kind: "failed", status: "fail", error: { message, kind: "invalid-params" } });
      return;
    }
    // A failed look is made again at the next heartbeat.
    await this.check(pending).catch(() => {});
  }

  private async checkAll(): Promise<void> {
    await Promise.all([...this.pending.values()].map((p) => this.check(p).catch(() => {})));
  }

  /** Settles a job that has ended; re-queues one Redis lost; removes a waiting one the search no longer wants. */
  private async check(pending: Pending): Promise<void> {
    const { queue } = await this.connect();
    const job = await Job.fromId(queue, pending.id);
    if (job === undefined) {
      if (pending.cancelling) this.settle(pending, cancelled("the search was stopped before the trial started"));
      else if (this.pending.get(pending.id) === pending) await this.submit(pending);
      return;
    }
    const state = await job.getState();
    // Read again once it has ended: the job may have ended between the two reads above.
    const ended = state === "completed" || state === "failed" ? ((await Job.fromId(queue, pending.id)) ?? job) : job;
    if (state === "completed") this.onFinished(pending.id, ended.returnvalue);
    else if (state === "failed") this.onFailed(pending.id, ended.failedReason);
    else if (pending.cancelling && WAITING.has(state)) await this.removeWaiting(pending, job);
  }

  private async removeWaiting(pending: Pending, job: Job): Promise<boolean> {
    try {
      await job.remove();
    } catch {
      return false;
    }
    this.settle(pending, cancelled("the search was stopped before the trial started"));
    return true;
  }

  /**
   * The search stopped: a waiting job is removed, a running one is asked to stop and reports
   * `cancelled`. Unconfirmed after two heartbeats and 10 s (no worker, no Redis), the trial is
   * recorded as cancelled here.
   */
  private async cancel(pending: Pending): Promise<void> {
    pending.cancelling = true;
    const wait = 2 * this.settings.heartbeat + 10;
    pending.cancelTimer = setTimeout(() => this.settle(pending, cancelled(`the search was stopped while the trial ran; no worker confirmed the stop within ${wait}s`)), wait * 1000);
    try {
      const { queue, producer } = await this.connect();
      const job = await Job.fromId(queue, pending.id);
      if (job !== undefined && WAITING.has(await job.getState()) && (await this.removeWaiting(pending, job))) return;
      if (this.pending.get(pending.id) === pending) await producer.publishEvent({ eventName: CANCEL_EVENT, jobId: pending.id });
    } catch {
      // Redis is away: the heartbeat check removes the job if it still waits, the timer ends the wait.
    }
  }

  private onFinished(id: string, returnvalue: unknown): void {
    const pending = this.pending.get(id);
    if (pending === undefined) return;
    const value = typeof returnvalue === "string" ? safeJSON(returnvalue) : returnvalue;
    const parsed = outcomeSchema.safeParse(value);
    if (parsed.success) {
      const { reports = [], ...outcome } = parsed.data;
      for (const report of reports.slice(pending.reported)) pending.job.report(report.name, report.value, report.step);
      this.settle(pending, outcome as TrialOutcome);
    } else this.settle(pending, { kind: "failed", status: "fail", error: { message: "the worker's answer is not a trial outcome", kind: "invalid-result" } });
  }

  private onFailed(id: string, reason: string): void {
    const pending = this.pending.get(id);
    if (pending === undefined) return;
    this.settle(pending, { kind: "failed", status: "fail", error: { message: `the queue gave the trial up: ${reason}`, kind: "crashed" } });
  }

  /**
   * A report while the trial runs, taken in order: one that comes after a missed one (an event
   * lost while Redis was away) waits for the job's return value, which holds them all. An
   * unnumbered report (a worker that returns none) is taken as it comes.
   */
  private onProgress(id: string, data: unknown): void {
    const pending = this.pending.get(id);
    const report = progressSchema.safeParse(data);
    if (pending === undefined || !report.success) return;
    const { seq, name, value, step } = report.data;
    if (seq !== undefined && seq !== pending.reported) return;
    if (seq !== undefined) pending.reported++;
    pending.job.report(name, value, step);
  }

  private settle(pending: Pending, outcome: TrialOutcome): void {
    if (this.pending.get(pending.id) !== pending) return;
    this.pending.delete(pending.id);
    clearTimeout(pending.cancelTimer);
    pending.job.signal.removeEventListener("abort", pending.onAbort);
    this.finished.add(pending.id);
    pending.resolve(outcome);
  }

  async resume(known: ReadonlySet<number>): Promise<ResumedTrial[]> {
    const { queue, searchId } = await this.connect();
    const jobs = await queue.getJobs(["active", "waiting", "delayed", "prioritized", "completed", "failed"]);
    const found = new Map<number, ResumedTrial>();
    for (const job of jobs) {
      const data = jobDataSchema.safeParse(job?.data);
      if (!data.success || data.data.search !== searchId || known.has(data.data.tid)) continue;
      found.set(data.data.tid, { tid: data.data.tid, assignment: data.data.assignment });
    }
    return [...found.values()].sort((a, b) => a.tid - b.tid);
  }

  /** Removes the jobs whose outcome the search has collected, and closes the connections (within a few seconds if Redis is away). */
  async close(): Promise<void> {
    clearInterval(this.poller);
    const connection = await this.connection?.catch(() => undefined);
    if (connection === undefined) return;
    const { queue, events, producer } = connection;
    const removeCollected = Promise.all([...this.finished].map((id) => queue.remove(id).catch(() => 0)));
    await Promise.race([removeCollected, new Promise((r) => setTimeout(r, 3000).unref())]);
    await Promise.race([Promise.all([events.close(), producer.close(), queue.close()]), new Promise((r) => setTimeout(r, 3000).unref())]);
  }
}

function safeJSON(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
