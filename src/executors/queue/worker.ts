import { DelayedError, QueueEvents, UnrecoverableError, WaitingError, Worker, type Job } from "bullmq";
import { HyperoptArgumentError } from "../../errors.js";
import type { TrialOutcome } from "../executor.js";
import { loadObjective, objectiveRef, type ObjectiveModule } from "../objectiveSource.js";
import { WorkerPoolExecutor } from "../worker/pool.js";
import { bullQueueName, CANCEL_EVENT, jobDataSchema, objectiveIdentity, outcomeForQueue, type QueueReport } from "./protocol.js";
import { checkRedis, redisOptions } from "./redisUrl.js";

export interface QueueWorkerOptions {
  /** The objective's module (a path or URL) and export, the same as the driver's `fn`. */
  module: string | URL;
  export: string;
  redis: string;
  queue: string;
  /** Trials this worker runs at once. */
  parallelism: number;
  /** Threads of its local pool (default `parallelism`). */
  threads?: number;
  /** Seconds a trial may run here (a job's own lower timeout wins). */
  timeout?: number;
  memoryLimitMb?: number;
  /** Seconds of a job's lock: a worker that stops renewing it (killed) loses its jobs to the others after this. */
  heartbeat: number;
  /** Seconds a stopped trial has to return before its thread is terminated (default 1). */
  gracePeriod?: number;
}

/** A running worker process's queue side. */
export interface QueueWorker {
  /** The BullMQ queue it serves: the queue's name and the objective's identity. */
  readonly queueName: string;
  /**
   * Stops taking jobs. `finish`: lets the running trials end and returns their results;
   * `hand-back`: stops them and puts their jobs back in the queue at once, for another worker.
   */
  stop(how: "finish" | "hand-back"): Promise<void>;
}

/** Seconds within which Redis must answer when the worker starts. */
const CONNECT_SECONDS = 8;

async function checkExport(source: ObjectiveModule, name: string): Promise<void> {
  try {
    await loadObjective(source);
  } catch (cause) {
    if (!(cause instanceof HyperoptArgumentError)) throw cause;
    throw new HyperoptArgumentError("export", `worker: ${cause.message.replace(/^fn: /, "")} (--export ${name})`, { cause });
  }
}

/**
 * Serves the queue's trials for one objective on a local worker-thread pool, so that timeouts,
 * out-of-memory and crashes stay within their trial here too. A job whose data is not a trial
 * fails; a job for another objective is put back with a delay for a worker that has it.
 */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const source = { module: options.module, export: options.export };
  const identity = objectiveIdentity(objectiveRef(source));
  await checkRedis(options.redis, CONNECT_SECONDS);
  await checkExport(source, options.export);
  const pool = new WorkerPoolExecutor(source, {
    parallelism: options.parallelism, gracePeriod: options.gracePeriod ?? 1,
    ...(options.threads === undefined ? {} : { threads: options.threads }),
    ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
    ...(options.memoryLimitMb === undefined ? {} : { memoryLimitMb: options.memoryLimitMb }),
  });
  let handingBack = false;

  const processor = async (job: Job, token: string | undefined, signal?: AbortSignal): Promise<TrialOutcome> => {
    const data = jobDataSchema.safeParse(job.data);
    if (!data.success) throw new UnrecoverableError(`the job is not a hyperopt-ts trial: ${data.error.issues[0]?.message ?? "malformed"}`);
    const { tid, params, assignment, objective, timeout } = data.data;
    if (objective.module !== identity.module || objective.export !== identity.export) {
      await job.moveToDelayed(Date.now() + options.heartbeat * 1000, token);
      throw new DelayedError();
    }
    const reports: QueueReport[] = [];
    const outcome = await pool.run({
      tid, params, assignment, signal: signal ?? new AbortController().signal,
      report: (name, value, step) => {
        const report = { name, value, ...(step === undefined ? {} : { step }) };
        reports.push(report);
        void job.updateProgress({ ...report, seq: reports.length - 1 }).catch(() => {});
      },
      ...(timeout === undefined ? {} : { timeout }),
    });
    // Handed back only when it was stopped for it: a result that arrived first is kept.
    if (handingBack && outcome.kind === "failed" && outcome.status === "cancelled") {
      await job.moveToWait(token);
      throw new WaitingError();
    }
    return outcomeForQueue(outcome, reports);
  };

  const connection = redisOptions(options.redis);
  const queueName = bullQueueName(options.queue, objectiveRef(source));
  const worker = new Worker(queueName, processor, {
    connection, concurrency: options.parallelism, lockDuration: options.heartbeat * 1000, stalledInterval: options.heartbeat * 1000, maxStalledCount: 3,
  });
  const events = new QueueEvents(queueName, { connection });
  // Errors while Redis is away: BullMQ reconnects and the jobs' locks say who still holds them.
  worker.on("error", () => {});
  events.on("error", () => {});
  (events as unknown as { on(event: string, listener: (args: { jobId?: unknown }) => void): void }).on(CANCEL_EVENT, ({ jobId }) => {
    if (typeof jobId === "string") worker.cancelJob(jobId, "the search was stopped");
  });
  await Promise.all([worker.waitUntilReady(), events.waitUntilReady()]);

  let stopped: Promise<void> | undefined;
  return {
    queueName,
    stop(how) {
      // A hand-back may follow a finish that is still waiting for its trials.
      if (how === "hand-back" && !handingBack) {
        handingBack = true;
        worker.cancelAllJobs("the worker is stopping");
      }
      stopped ??= (async () => {
        await worker.close();
        await Promise.all([events.close(), pool.close()]);
      })();
      return stopped;
    },
  };
}
