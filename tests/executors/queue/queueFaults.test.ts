import { describe, expect, it } from "vitest";
import { fmin, hp, QueueTrials, rand } from "../../../src/index.js";
import { spawnTs } from "../../support/processes.js";
import { queueObjectives, starts, until, useQueueHarness } from "../../support/queueHarness.js";

const harness = useQueueHarness("faults", { redis: { appendonly: true } });
const { newQueue, file, worker } = harness;

describe("QueueTrials faults, with a real redis-server", { timeout: 30_000 }, () => {
  it("a worker killed mid-trial: its trial returns to the queue once its lock lapses, runs elsewhere, and is recorded once", async () => {
    const queue = newQueue();
    const log = file("starts.log");
    const killed = spawnTs("../src/cli/main.ts", ["worker", queueObjectives, "--export", "logged", "--redis", harness.redis.url, "--queue", queue, "--heartbeat", "0.5"]);
    await killed.waitFor("serving");
    const trials = new QueueTrials({ redis: harness.redis.url, queue, parallelism: 1, heartbeat: 0.5 });
    const search = fmin({ fn: { module: queueObjectives, export: "logged" }, space: { x: hp.uniform("x", -2, 2), ms: 1500, log }, algo: rand.suggest, maxEvals: 2, seed: 2, trials, showProgressbar: false });
    await until(() => starts(log).length === 1);
    killed.child.kill("SIGKILL");
    await killed.exited;
    await worker(queue);
    await search;
    expect(trials.trials.map((t) => [t.tid, t.status])).toEqual([[0, "ok"], [1, "ok"]]);
    expect(starts(log).filter((s) => s.tid === 0).map((s) => s.pid)).toEqual([killed.child.pid, process.pid]);
    expect(trials.trials[0]?.result?.pid).toBe(process.pid);
  });

  it("Redis restarted mid-search: the driver and the workers reconnect and nothing is lost", async () => {
    const queue = newQueue();
    const log = file("starts.log");
    await worker(queue);
    const trials = new QueueTrials({ redis: harness.redis.url, queue, parallelism: 2, heartbeat: 0.5 });
    const search = fmin({ fn: { module: queueObjectives, export: "logged" }, space: { x: hp.uniform("x", -2, 2), ms: 300, log }, algo: rand.suggest, maxEvals: 8, seed: 3, trials, showProgressbar: false });
    await until(() => trials.statuses().filter((s) => s === "ok").length >= 2);
    await harness.redis.restart();
    await search;
    expect(trials.trials.map((t) => t.tid)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(trials.statuses().every((s) => s === "ok")).toBe(true);
  });

  it("fmin's timeout: waiting jobs removed, running ones cancelled, the search ends cleanly", async () => {
    const queue = newQueue();
    await worker(queue, { export: "slow" });
    const trials = new QueueTrials({ redis: harness.redis.url, queue, parallelism: 4, heartbeat: 0.5 });
    await expect(fmin({ fn: { module: queueObjectives, export: "slow" }, space: { x: hp.uniform("x", -2, 2) }, maxEvals: 10, trials, timeout: 1.5, showProgressbar: false })).rejects.toThrow(/all 4 trials failed/);
    expect(trials.statuses()).toEqual(["cancelled", "cancelled", "cancelled", "cancelled"]);
  });
});
