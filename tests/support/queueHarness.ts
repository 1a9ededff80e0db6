import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll } from "vitest";
import { startQueueWorker, type QueueWorker, type QueueWorkerOptions } from "../../src/executors/queue/worker.js";
import { RedisServer, type RedisServerOptions } from "./redisServer.js";

/** The objectives the queue tests' workers serve (tests/fixtures/queueObjectives.mjs). */
export const queueObjectives = fileURLToPath(new URL("../fixtures/queueObjectives.mjs", import.meta.url));

/** Trial ids and worker pids, one line per start of a trial, from an objective's start log. */
export function starts(log: string): { tid: number; pid: number }[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, "utf8").trim().split("\n").filter(Boolean).map((line) => {
    const [tid, pid] = line.split(" ").map(Number) as [number, number];
    return { tid, pid };
  });
}

export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 25));
}

export interface QueueHarness {
  /** The test file's redis-server (started before its tests, stopped after them). */
  readonly redis: RedisServer;
  /** A queue name no other test of the file uses. */
  newQueue(): string;
  /** A path in the file's temporary folder, distinct per queue. */
  file(name: string): string;
  /** Starts an in-process worker on `queue` serving the queue objectives (stopped after the file's tests). */
  worker(queue: string, options?: Partial<QueueWorkerOptions>): Promise<QueueWorker>;
}

/** A real redis-server, a temporary folder and in-process workers for one test file, all cleaned up after it. */
export function useQueueHarness(name: string, settings: { redis?: RedisServerOptions; worker?: Partial<QueueWorkerOptions> } = {}): QueueHarness {
  const dir = mkdtempSync(join(tmpdir(), `hyperopt-queue-${name}-`));
  const workers: QueueWorker[] = [];
  let redis: RedisServer | undefined;
  let queues = 0;
  beforeAll(async () => {
    redis = await RedisServer.start(settings.redis);
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop("hand-back")));
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const harness: QueueHarness = {
    get redis(): RedisServer {
      if (redis === undefined) throw new Error("the redis-server starts before the file's tests");
      return redis;
    },
    newQueue: () => `${name}-${process.pid}-${queues++}`,
    file: (file) => join(dir, `${queues}-${file}`),
    async worker(queue, options = {}) {
      const w = await startQueueWorker({ module: queueObjectives, export: "logged", redis: harness.redis.url, queue, parallelism: 2, heartbeat: 0.5, ...settings.worker, ...options });
      workers.push(w);
      return w;
    },
  };
  return harness;
}
