import { readFileSync } from "node:fs";
import { Queue } from "bullmq";
import { describe, expect, it } from "vitest";
import { fmin, hp, QueueTrials, type Trial } from "../../../src/index.js";
import { spawnTs } from "../../support/processes.js";
import { queueObjectives, starts, until, useQueueHarness } from "../../support/queueHarness.js";

const harness = useQueueHarness("driver", { redis: { appendonly: true } });
const { newQueue, file, worker } = harness;

describe("QueueTrials: the driver stopped mid-search, with a real redis-server", { timeout: 30_000 }, () => {
  it("the driver killed mid-search and started again: what finished meanwhile is recorded from its result with its reports, not run again; exactly maxEvals trials", async () => {
    const queue = newQueue();
    const log = file("starts.log");
    const saveFile = file("search.jsonl");
    await worker(queue);
    const args = [harness.redis.url, queue, saveFile, log, "8"];
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
    // each report exactly once, whether the driver saw it while the trial ran or took it from the result
    expect(saved.map((t) => t.metrics.map((m) => [m.name, m.value]))).toEqual(saved.map((t) => [["x", (t.params as { x: number }).x]]));
    expect(starts(log).map((s) => s.tid).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it("SIGINT to the driver: waiting jobs removed, running ones cancelled, the search saved and ended cleanly; the worker serves on", async () => {
    const queue = newQueue();
    const log = file("starts.log");
    const saveFile = file("search.jsonl");
    await worker(queue);
    const driver = spawnTs("fixtures/queueDriver.ts", [harness.redis.url, queue, saveFile, log, "40"]);
    await until(() => starts(log).length >= 4);
    driver.child.kill("SIGINT");
    expect(await driver.exited).toBe(0);
    const saved = readFileSync(saveFile, "utf8").trim().split("\n").slice(1).map((l) => JSON.parse(l) as Trial);
    expect(saved.filter((t) => t.status === "cancelled").length).toBeGreaterThan(0);
    expect(saved.every((t) => t.status === "ok" || t.status === "cancelled")).toBe(true);
    const bull = new Queue(`${queue}/queueObjectives#logged`, { connection: { host: "127.0.0.1", port: harness.redis.port } });
    expect(await bull.getWaitingCount()).toBe(0);
    expect(await bull.getActiveCount()).toBe(0);
    await bull.close();
    const next = new QueueTrials({ redis: harness.redis.url, queue, parallelism: 2, heartbeat: 0.5 });
    await fmin({ fn: { module: queueObjectives, export: "logged" }, space: { x: hp.uniform("x", -2, 2), ms: 10, log }, maxEvals: 2, trials: next, showProgressbar: false });
    expect(next.statuses()).toEqual(["ok", "ok"]);
  });

});
