import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startQueueWorker, type QueueWorker } from "../../../src/executors/queue/worker.js";
import { fmin, hp, QueueTrials, type Trial } from "../../../src/index.js";
import { spawnTs } from "../../support/processes.js";
import { RedisServer } from "../../support/redisServer.js";

const objectives = fileURLToPath(new URL("../../fixtures/queueObjectives.mjs", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "hyperopt-queue-driver-"));
let redis: RedisServer;
const workers: QueueWorker[] = [];
let queues = 0;

beforeAll(async () => {
  redis = await RedisServer.start({ appendonly: true });
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop("hand-back")));
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

const newQueue = (): string => `driver-${process.pid}-${queues++}`;
const file = (name: string): string => join(dir, `${queues}-${name}`);

async function worker(queue: string, exportName = "logged"): Promise<QueueWorker> {
  const w = await startQueueWorker({ module: objectives, export: exportName, redis: redis.url, queue, parallelism: 2, heartbeat: 0.5 });
  workers.push(w);
  return w;
}

/** Trial ids and worker pids, one line per start of a trial. */
function starts(log: string): { tid: number; pid: number }[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, "utf8").trim().split("\n").filter(Boolean).map((line) => {
    const [tid, pid] = line.split(" ").map(Number) as [number, number];
    return { tid, pid };
  });
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 25));
}

describe("QueueTrials: the driver stopped mid-search, with a real redis-server", { timeout: 30_000 }, () => {
  it("the driver killed mid-search and started again: what finished meanwhile is recorded from its result, not run again; exactly maxEvals trials", async () => {
    const queue = newQueue();
    const log = file("starts.log");
    const saveFile = file("search.jsonl");
    await worker(queue);
    const args = [redis.url, queue, saveFile, log, "8"];
    const first = spawnTs("fixtures/queueDriver.ts", args);
    await until(() => starts(log).length >= 4);
    first.child.kill("SIGKILL");
    await first.exited;
    await new Promise((r) => setTimeout(r, 900));
    const second = spawnTs("fixtures/queueDriver.ts", args);
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain("done 8");
    const saved = readFileSync(saveFile, "utf8").trim().split("\n").slice(1).map((l) => JSON.parse(l) as Trial);
    expect(saved.map((t) => t.tid).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(saved.map((t) => [t.tid, t.status, t.error?.message])).toEqual(saved.map((t) => [t.tid, "ok", undefined]));
    expect(starts(log).map((s) => s.tid).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it("SIGINT to the driver: waiting jobs removed, running ones cancelled, the search saved and ended cleanly; the worker serves on", async () => {
    const queue = newQueue();
    const log = file("starts.log");
    const saveFile = file("search.jsonl");
    await worker(queue);
    const driver = spawnTs("fixtures/queueDriver.ts", [redis.url, queue, saveFile, log, "40"]);
    await until(() => starts(log).length >= 4);
    driver.child.kill("SIGINT");
    expect(await driver.exited).toBe(0);
    const saved = readFileSync(saveFile, "utf8").trim().split("\n").slice(1).map((l) => JSON.parse(l) as Trial);
    expect(saved.filter((t) => t.status === "cancelled").length).toBeGreaterThan(0);
    expect(saved.every((t) => t.status === "ok" || t.status === "cancelled")).toBe(true);
    const bull = new Queue(`${queue}/queueObjectives#logged`, { connection: { host: "127.0.0.1", port: redis.port } });
    expect(await bull.getWaitingCount()).toBe(0);
    expect(await bull.getActiveCount()).toBe(0);
    await bull.close();
    const next = new QueueTrials({ redis: redis.url, queue, parallelism: 2, heartbeat: 0.5 });
    await fmin({ fn: { module: objectives, export: "logged" }, space: { x: hp.uniform("x", -2, 2), ms: 10, log }, maxEvals: 2, trials: next, showProgressbar: false });
    expect(next.statuses()).toEqual(["ok", "ok"]);
  });

});
