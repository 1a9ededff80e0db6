import { z } from "zod";
import { invalidArgument, zodArgumentError } from "../errors.js";
import { redactRedisUrl, redisUrlProblem } from "../executors/queue/redisUrl.js";
import type { QueueSettings } from "../executors/queue/driver.js";
import type { Trial } from "./trial.js";
import { optionName, Trials } from "./trials.js";
import { heartbeatSeconds, positiveSeconds, wholeNumber } from "../optionSchemas.js";

export interface QueueTrialsOptions {
  /** The Redis server: `redis://[user:password@]host[:port][/db]`, or `rediss://` for TLS. */
  redis: string;
  /** The queue's name; workers started with `--queue` of the same name serve it. */
  queue: string;
  /** Trials in flight at once across all workers (default 8). */
  parallelism?: number;
  /** Seconds a trial may run on its worker before it ends with status "timeout" (default: the worker's own limit). */
  timeout?: number;
  /** Seconds between the driver's checks on its jobs (default 5); a stop not confirmed by a worker within 2 heartbeats + 10 s is recorded as cancelled. */
  heartbeat?: number;
  /** Names this search's jobs (default: derived from its seed and space, so that a restarted driver finds them again). */
  searchId?: string;
}

const optionsSchema = z.strictObject({
  redis: z.string({ error: "a redis:// or rediss:// URL" }),
  queue: z.string({ error: "a queue name" }).regex(/^[^:\s]+$/, "a non-empty queue name without spaces or colons"),
  parallelism: wholeNumber(1).optional(),
  timeout: positiveSeconds.optional(),
  heartbeat: heartbeatSeconds.optional(),
  searchId: z.string({ error: "a name" }).regex(/^[\w.-]+$/, "a name of letters, digits, '.', '_' or '-'").optional(),
});

/**
 * A history whose trials run as jobs on a BullMQ queue in Redis, served by `hyperopt-ts worker`
 * processes on any machine. fmin keeps the history, the algorithm, the save file and the
 * tracker; `fn` names the objective's module and export, which the workers must have been
 * started with.
 */
export class QueueTrials extends Trials {
  readonly settings: QueueSettings;

  constructor(options: QueueTrialsOptions, trials: readonly Trial[] = []) {
    const input = typeof options === "object" && options !== null && typeof options.redis === "string" ? { ...options, redis: redactRedisUrl(options.redis) } : options;
    const parsed = optionsSchema.safeParse(options);
    if (!parsed.success) throw zodArgumentError("QueueTrials", parsed.error, input, { label: optionName, schema: optionsSchema });
    const problem = redisUrlProblem(parsed.data.redis);
    if (problem !== undefined) throw invalidArgument("QueueTrials", 'option "redis"', `a redis:// or rediss:// URL (${problem})`, redactRedisUrl(parsed.data.redis));
    const parallelism = parsed.data.parallelism ?? 8;
    super({ parallelism }, trials);
    this.settings = {
      redis: parsed.data.redis,
      queue: parsed.data.queue,
      parallelism,
      heartbeat: parsed.data.heartbeat ?? 5,
      ...(parsed.data.timeout === undefined ? {} : { timeout: parsed.data.timeout }),
      ...(parsed.data.searchId === undefined ? {} : { searchId: parsed.data.searchId }),
    };
  }
}
