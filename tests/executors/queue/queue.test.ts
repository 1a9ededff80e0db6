import { describe, expect, it } from "vitest";
import { QueueConnectionError } from "../../../src/executors/queue/redisUrl.js";
import { startQueueWorker } from "../../../src/executors/queue/worker.js";
import { fmin, hp, HyperoptArgumentError, QueueTrials, rand } from "../../../src/index.js";
import { freePort } from "../../support/redisServer.js";
import { queueObjectives, until, useQueueHarness } from "../../support/queueHarness.js";

const space = { x: hp.uniform("x", -2, 2) };
const harness = useQueueHarness("search", { worker: { export: "default", heartbeat: 1 } });
const { newQueue, worker } = harness;

describe("QueueTrials", { timeout: 20_000 }, () => {
  it("runs a search on two workers: exactly maxEvals trials, the same losses as inline, reports on the way", async () => {
    const queue = newQueue();
    await worker(queue);
    await worker(queue);
    const trials = new QueueTrials({ redis: harness.redis.url, queue, parallelism: 4, heartbeat: 1 });
    const result = await fmin({ fn: queueObjectives, space, algo: rand.suggest, maxEvals: 12, seed: 7, trials, showProgressbar: false });
    const inline = await fmin({ fn: (p) => p.x ** 2, space, algo: rand.suggest, maxEvals: 12, seed: 7, showProgressbar: false });
    expect(trials.trials.map((t) => t.tid)).toEqual([...Array(12).keys()]);
    expect(trials.losses()).toEqual(inline.trials.losses());
    expect(result.bestLoss).toBe(inline.bestLoss);
    for (const t of trials.trials) expect(t.metrics.map((m) => [m.name, m.value])).toEqual([["half", (t.loss as number) / 2]]);
  });

  it("fails a trial whose result the loop would refuse, with the same reason", async () => {
    const queue = newQueue();
    await worker(queue, { export: "nan" });
    const trials = new QueueTrials({ redis: harness.redis.url, queue, parallelism: 1, heartbeat: 1 });
    await expect(fmin({ fn: { module: queueObjectives, export: "nan" }, space, maxEvals: 1, trials, showProgressbar: false })).rejects.toThrow(/all 1 trials failed/);
    expect(trials.trials[0]?.error).toMatchObject({ kind: "invalid-result" });
    expect(trials.trials[0]?.error?.message).toMatch(/the objective returned NaN/);
  });

  it("leaves a job for another objective to a worker started with it", async () => {
    const queue = newQueue();
    await worker(queue, { export: "nan" });
    const trials = new QueueTrials({ redis: harness.redis.url, queue, parallelism: 2, heartbeat: 1 });
    const search = fmin({ fn: queueObjectives, space: { ...space, ms: 0 }, algo: rand.suggest, maxEvals: 2, seed: 1, trials, showProgressbar: false });
    await new Promise((r) => setTimeout(r, 500));
    expect(trials.statuses()).toEqual(["running", "running"]);
    await worker(queue);
    await search;
    expect(trials.statuses()).toEqual(["ok", "ok"]);
  });

  it("on the search's signal removes waiting jobs and stops running ones (cancelled); the workers serve on", async () => {
    const queue = newQueue();
    await worker(queue, { export: "slow", parallelism: 2 });
    const controller = new AbortController();
    const trials = new QueueTrials({ redis: harness.redis.url, queue, parallelism: 4, heartbeat: 1 });
    const search = fmin({ fn: { module: queueObjectives, export: "slow" }, space, maxEvals: 8, trials, signal: controller.signal, showProgressbar: false });
    await until(() => trials.trials.filter((t) => t.metrics.length > 0).length === 2);
    controller.abort();
    await expect(search).rejects.toThrow(/all 4 trials failed/);
    expect(trials.statuses()).toEqual(["cancelled", "cancelled", "cancelled", "cancelled"]);
    const messages = trials.trials.map((t) => t.error?.message);
    expect(messages.filter((m) => m === "the search was stopped before the trial started")).toHaveLength(2);
    expect(messages.filter((m) => m === "the search was stopped while the trial ran")).toHaveLength(2);
    const next = new QueueTrials({ redis: harness.redis.url, queue, parallelism: 2, heartbeat: 1, timeout: 0.3 });
    await expect(fmin({ fn: { module: queueObjectives, export: "slow" }, space, maxEvals: 2, trials: next, showProgressbar: false })).rejects.toThrow(/all 2 trials failed/);
    expect(next.statuses()).toEqual(["timeout", "timeout"]);
  });

  it("refuses a malformed Redis URL without printing its password, and an empty queue name", () => {
    const bad = () => new QueueTrials({ redis: "redis://user:s3cr3t@host:notaport", queue: "q" });
    expect(bad).toThrow(HyperoptArgumentError);
    expect(bad).toThrow(/option "redis" must be a redis:\/\/ or rediss:\/\/ URL/);
    try {
      bad();
    } catch (error) {
      expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain("s3cr3t");
    }
    expect(() => new QueueTrials({ redis: "http://host:6379", queue: "q" })).toThrow(/neither redis: nor rediss:/);
    expect(() => new QueueTrials({ redis: harness.redis.url, queue: "" })).toThrow(/option "queue" must be a non-empty queue name/);
    expect(() => new QueueTrials({ redis: harness.redis.url, queue: "q", parallelism: 0 })).toThrow(/option "parallelism"/);
    expect(() => new QueueTrials({ redis: harness.redis.url, queue: "q", heartbeet: 1 } as never)).toThrow(HyperoptArgumentError);
  });

  it("fails within 10 s, naming the URL without its password, when Redis cannot be reached", async () => {
    const url = `redis://user:s3cr3t@127.0.0.1:${await freePort()}`;
    const started = Date.now();
    const failure = fmin({ fn: queueObjectives, space, maxEvals: 1, trials: new QueueTrials({ redis: url, queue: "q" }), showProgressbar: false });
    await expect(failure).rejects.toThrow(QueueConnectionError);
    await expect(failure).rejects.toThrow(/the Redis server at redis:\/\/user:\*\*\*@127\.0\.0\.1:\d+ cannot be reached/);
    await failure.catch((error: Error) => expect(error.message).not.toContain("s3cr3t"));
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("refuses a worker whose module lacks the export, naming it", async () => {
    await expect(startQueueWorker({ module: queueObjectives, export: "absent", redis: harness.redis.url, queue: "q", parallelism: 1, heartbeat: 1 })).rejects.toThrow(
      /export named "absent".*--export absent/,
    );
  });
});
