import type { Command } from "commander";
import { z } from "zod";
import { HyperoptArgumentError } from "../errors.js";
import { QueueConnectionError, redactRedisUrl, redisUrlProblem } from "../executors/queue/redisUrl.js";
import type { QueueWorker } from "../executors/queue/worker.js";
import { HEARTBEAT_EXPECTED, MAX_HEARTBEAT_SECONDS, SECONDS_EXPECTED } from "../optionSchemas.js";
import { CliError, EXIT } from "./exit.js";

/** Exit code when Redis cannot be reached. */
const UNREACHABLE = 1;

const whole = z.coerce.number().int().min(1);
const positive = z.coerce.number().positive().finite();
const optionsSchema = z.object({
  redis: z.string(),
  queue: z.string().regex(/^[^:\s]+$/),
  parallelism: whole,
  threads: whole.optional(),
  timeout: positive.optional(),
  memoryLimitMb: z.coerce.number().min(16).finite().optional(),
  export: z.string().min(1),
  heartbeat: positive.max(MAX_HEARTBEAT_SECONDS),
});
const EXPECTED: Record<string, string> = {
  queue: "a non-empty queue name without spaces or colons",
  parallelism: "a whole number >= 1",
  threads: "a whole number from 1 to --parallelism",
  timeout: SECONDS_EXPECTED,
  memoryLimitMb: "a number of MB >= 16",
  export: "an export name",
  heartbeat: HEARTBEAT_EXPECTED,
};
const flag = (key: string): string => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

type WorkerCommandOptions = z.infer<typeof optionsSchema>;

/** Checks the command line; the message of what is wrong, naming the flag, the expectation and the value. */
function parseOptions(raw: Record<string, unknown>): WorkerCommandOptions | string {
  const parsed = optionsSchema.safeParse(raw);
  if (!parsed.success) {
    const key = String(parsed.error.issues[0]?.path[0] ?? "");
    return `${flag(key)} must be ${EXPECTED[key] ?? "valid"}, got ${JSON.stringify(raw[key])}`;
  }
  const problem = redisUrlProblem(parsed.data.redis);
  if (problem !== undefined) return `--redis must be a redis:// or rediss:// URL (${problem}), got ${redactRedisUrl(parsed.data.redis)}`;
  if (parsed.data.threads !== undefined && parsed.data.threads > parsed.data.parallelism) return `--threads must be ${EXPECTED.threads}, got ${parsed.data.threads}`;
  return parsed.data;
}

/**
 * Signals: SIGTERM lets the running trials finish (a second one hands them back); SIGINT hands
 * them back to the queue at once and exits with 130 (a second one exits at once).
 */
function onSignals(worker: QueueWorker): void {
  let terms = 0;
  let ints = 0;
  process.on("SIGTERM", () => {
    terms++;
    process.stderr.write(`hyperopt-ts worker: SIGTERM: ${terms === 1 ? "finishing the running trials, taking no new ones" : "handing the running trials back"}\n`);
    void worker.stop(terms === 1 ? "finish" : "hand-back").then(() => process.exit(EXIT.finished));
  });
  process.on("SIGINT", () => {
    if (++ints > 1) process.exit(EXIT.interrupted);
    process.stderr.write("hyperopt-ts worker: SIGINT: handing the running trials back to the queue; send it again to exit at once\n");
    void worker.stop("hand-back").then(() => process.exit(EXIT.interrupted));
  });
}

async function serve(module: string, options: WorkerCommandOptions): Promise<void> {
  let worker: QueueWorker;
  try {
    const { startQueueWorker } = await import("../executors/queue/worker.js");
    worker = await startQueueWorker({
      module, export: options.export, redis: options.redis, queue: options.queue, parallelism: options.parallelism, heartbeat: options.heartbeat,
      ...(options.threads === undefined ? {} : { threads: options.threads }),
      ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
      ...(options.memoryLimitMb === undefined ? {} : { memoryLimitMb: options.memoryLimitMb }),
    });
  } catch (error) {
    if (error instanceof HyperoptArgumentError) throw new CliError(`hyperopt-ts worker: ${error.message}`, EXIT.usage);
    if (error instanceof QueueConnectionError) throw new CliError(`hyperopt-ts worker: ${error.message}`, UNREACHABLE);
    throw error;
  }
  onSignals(worker);
  process.stderr.write(
    `hyperopt-ts worker: serving "${worker.queueName}" on ${redactRedisUrl(options.redis)}, ${options.parallelism} trial(s) at once; Ctrl-C hands running trials back\n`,
  );
}

/**
 * `hyperopt-ts worker <module> --redis URL --queue NAME ...`: serves a QueueTrials search's
 * trials until a signal stops it. Exit codes: 0 after a clean stop, 1 when Redis cannot be
 * reached, 2 for a bad command line (a module without the export included), 130 when interrupted.
 */
export function register(program: Command): void {
  program
    .command("worker")
    .description("serve the trials of a QueueTrials search for one objective, from a BullMQ queue in Redis")
    .argument("<module>", "the objective's module (a path), as the driver's fn")
    .requiredOption("--redis <url>", "the Redis server: redis://[user:password@]host[:port][/db], or rediss:// for TLS")
    .requiredOption("--queue <name>", "the queue's name, as the driver's QueueTrials({ queue })")
    .option("--export <name>", "the objective's export", "default")
    .option("--parallelism <n>", "trials run at once", "1")
    .option("--threads <n>", "worker threads they share (default: parallelism)")
    .option("--timeout <seconds>", "seconds a trial may run here")
    .option("--memory-limit-mb <mb>", "heap limit of each worker thread")
    .option("--heartbeat <seconds>", "seconds of a job's lock: the trials of a worker that dies go back to the queue after this", "10")
    .addHelpText(
      "after",
      "\nSIGTERM lets the running trials finish (a second one hands them back); SIGINT hands them back to the queue at once.\n" +
        "Exit codes: 0 stopped cleanly, 1 Redis cannot be reached, 2 bad command line (a module without the export included), 130 interrupted.",
    )
    .action(async (module: string, raw: Record<string, unknown>) => {
      const options = parseOptions(raw);
      if (typeof options === "string") throw new CliError(`hyperopt-ts worker: ${options}`, EXIT.usage);
      await serve(module, options);
    });
}
