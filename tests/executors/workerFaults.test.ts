import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { WorkerPoolExecutor } from "../../src/executors/worker/pool.js";
import { AllTrialsFailed, fmin, hp, WorkerTrials, type Trial, type WorkerTrialsOptions } from "../../src/index.js";
import type { TrialJob } from "../../src/executors/executor.js";
import { tempDir } from "../support/tempDir.js";

const space = { x: hp.uniform("x", -2, 2) };
const faults = new URL("../fixtures/faults.ts", import.meta.url);

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 20));
}

async function search(exportName: string, maxEvals: number, options: WorkerTrialsOptions = {}): Promise<Trial[]> {
  const trials = new WorkerTrials({ parallelism: 2, ...options });
  await fmin({ fn: { module: faults, export: exportName }, space, maxEvals, seed: 11, trials, showProgressbar: false });
  return trials.trials;
}

function expectOthersOk(trials: Trial[]): void {
  expect(trials.slice(1).map((t) => t.status)).toEqual(trials.slice(1).map(() => "ok"));
}

describe("WorkerTrials faults", { timeout: 30_000 }, () => {
  it("fails a trial whose objective throws, with its message and stack, and goes on", async () => {
    const trials = await search("throwsOnEven", 6);
    expect(trials.map((t) => t.status)).toEqual(["fail", "ok", "fail", "ok", "fail", "ok"]);
    const error = trials[0]?.error;
    expect(error).toMatchObject({ kind: "exception", message: "trial 0 is even" });
    expect(error?.stack).toMatch(/RangeError: trial 0 is even\n\s+at throwsOnEven/);
  });

  it("fails NaN, Infinity and malformed results with what was expected", async () => {
    const trials = await search("badResults", 4);
    expect(trials.map((t) => [t.status, t.error?.kind])).toEqual([
      ["fail", "invalid-result"],
      ["fail", "invalid-result"],
      ["fail", "invalid-result"],
      ["ok", undefined],
    ]);
    expect(trials[0]?.error?.message).toMatch(/returned NaN; expected a finite number/);
    expect(trials[1]?.error?.message).toMatch(/returned Infinity; expected a finite number/);
    expect(trials[2]?.error?.message).toMatch(/invalid loss|loss "high"/);
  });

  it("fails a result that cannot be cloned to the main thread, saying so", async () => {
    await expect(search("returnsFunction", 2)).rejects.toThrow(AllTrialsFailed);
    const trials = new WorkerTrials({ parallelism: 2 });
    await fmin({ fn: { module: faults, export: "returnsFunction" }, space, maxEvals: 2, trials, showProgressbar: false }).catch(() => {});
    expect(trials.trials[0]?.error).toMatchObject({ kind: "invalid-result" });
    expect(trials.trials[0]?.error?.message).toMatch(/cannot be sent from the worker thread .*could not be cloned/);
  });

  it("times out a trial that ignores its signal, terminates its worker, and goes on with a fresh one", async () => {
    const trials = await search("spinsOnFirst", 4, { parallelism: 1, timeout: 0.3, gracePeriod: 0.1 });
    expect(trials[0]).toMatchObject({ status: "timeout", error: { kind: "timeout" } });
    expect(trials[0]?.error?.message).toMatch(/exceeded its timeout of 0.3s; its worker was terminated/);
    expectOthersOk(trials);
  });

  it("times out a trial that honours its signal without terminating its worker", async () => {
    const trials = await search("waitsOnFirst", 4, { timeout: 0.3, gracePeriod: 30 });
    expect(trials[0]).toMatchObject({ status: "timeout", error: { kind: "timeout", message: "the trial exceeded its timeout of 0.3s" } });
    expectOthersOk(trials);
  });

  it("lets a trial run out a timeout beyond setTimeout's 2^31 − 1 ms limit", async () => {
    const trials = await search("sleepsBriefly", 3, { timeout: 30 * 86_400, gracePeriod: 30 * 86_400 });
    expect(trials.map((t) => t.status)).toEqual(["ok", "ok", "ok"]);
  });

  it("fails a trial whose worker calls process.exit, and goes on with a fresh worker", async () => {
    const trials = await search("exitsOnFirst", 4, { parallelism: 1 });
    expect(trials[0]).toMatchObject({ status: "fail", error: { kind: "crashed" } });
    expect(trials[0]?.error?.message).toMatch(/exited with code 3/);
    expectOthersOk(trials);
  });

  it("fails a trial whose callback throws an uncaught exception while it runs, and goes on", async () => {
    const trials = await search("throwsInCallbackOnFirst", 4, { parallelism: 1 });
    expect(trials[0]).toMatchObject({ status: "fail", error: { kind: "crashed" } });
    expect(trials[0]?.error?.message).toMatch(/uncaught exception in a callback it started: Error: thrown in a timer callback/);
    expectOthersOk(trials);
  });

  it("survives a worker that dies while idle, after its trial returned", async () => {
    const executor = new WorkerPoolExecutor({ module: faults, export: "throwsAfterReturningOnFirst" }, { parallelism: 1, gracePeriod: 1 });
    const job = (tid: number): TrialJob => ({ tid, params: { x: 3 }, assignment: { x: 3 }, signal: new AbortController().signal, report: () => {} });
    try {
      expect(await executor.run(job(0))).toEqual({ kind: "returned", value: 9 });
      await new Promise((r) => setTimeout(r, 300));
      expect(await executor.run(job(1))).toEqual({ kind: "returned", value: 9 });
    } finally {
      await executor.close();
    }
  });

  it("fails the search when the objective module throws as it is imported", async () => {
    const fn = new URL("../fixtures/throwsOnImport.ts", import.meta.url);
    await expect(fmin({ fn, space, maxEvals: 2, trials: new WorkerTrials({ parallelism: 1 }), showProgressbar: false })).rejects.toThrow(
      /fn: the objective module .*throwsOnImport.ts failed to load in a worker thread: no data set here/,
    );
  });

  it("fails a trial whose params cannot be sent to a worker", async () => {
    const trials = new WorkerTrials({ parallelism: 1 });
    const withFunction = { f: hp.choice("f", [{ fn: () => 1 }]) };
    await expect(fmin({ fn: { module: faults, export: "throwsOnEven" }, space: withFunction, maxEvals: 1, trials, showProgressbar: false })).rejects.toThrow(AllTrialsFailed);
    expect(trials.trials[0]?.error).toMatchObject({ kind: "invalid-params" });
    expect(trials.trials[0]?.error?.message).toMatch(/params cannot be sent to a worker thread/);
  });

  it("fails a trial that runs out of memory as out-of-memory; the process survives, the pool goes on", async () => {
    const trials = await search("eatsMemoryOnFirst", 4, { parallelism: 1, memoryLimitMb: 32 });
    expect(trials[0]).toMatchObject({ status: "fail", error: { kind: "out-of-memory" } });
    expect(trials[0]?.error?.message).toMatch(/ran out of memory \(memoryLimitMb 32\)/);
    expectOthersOk(trials);
  });

  it("on the search's timeout cancels the running trials and saves them", async () => {
    const file = join(tempDir("workers"), "trials.jsonl");
    const trials = new WorkerTrials({ parallelism: 3, gracePeriod: 0.2 });
    const result = await fmin({
      fn: { module: faults, export: "slowAfterFirst" }, space, maxEvals: 10, seed: 4, trials, timeout: 4, trialsSaveFile: file, showProgressbar: false,
    });
    expect(result.stopReason).toBe("timeout");
    expect(trials.trials[0]?.status).toBe("ok");
    const rest = trials.trials.slice(1);
    expect(rest.length).toBeGreaterThan(0);
    expect(rest.map((t) => t.status)).toEqual(rest.map(() => "cancelled"));
    expect(rest[0]?.error?.kind).toBe("cancelled");
    expect(rest[0]?.error?.message).toMatch(/^the search was stopped (while the trial ran|before the trial started)$/);
    const saved = readFileSync(file, "utf8").trim().split("\n").slice(1).map((l) => JSON.parse(l) as Trial);
    expect(saved.map((t) => [t.tid, t.status]).sort()).toEqual(trials.trials.map((t) => [t.tid, t.status]).sort());
  });

  it("terminates a cancelled trial that ignores its signal after the grace period", async () => {
    const controller = new AbortController();
    const trials = new WorkerTrials({ parallelism: 2, gracePeriod: 0.1 });
    const done = fmin({ fn: { module: faults, export: "ignoresAbortOnFirst" }, space, trials, signal: controller.signal, showProgressbar: false });
    await until(() => (trials.trials[0]?.metrics.length ?? 0) > 0 && trials.statuses().includes("ok"));
    controller.abort();
    const result = await done;
    expect(result.stopReason).toBe("cancelled");
    expect(trials.trials[0]).toMatchObject({ status: "cancelled", error: { kind: "cancelled" } });
    expect(trials.trials[0]?.error?.message).toMatch(/worker was terminated after a grace period of 0.1s/);
  });

  it("cancels a trial whose objective was not called yet, saying so", async () => {
    const controller = new AbortController();
    const trials = new WorkerTrials({ parallelism: 1 });
    const fn = new URL("../fixtures/slowToImport.ts", import.meta.url);
    const done = fmin({ fn, space, maxEvals: 3, trials, signal: controller.signal, showProgressbar: false });
    await until(() => trials.length === 1);
    controller.abort();
    await expect(done).rejects.toThrow(AllTrialsFailed);
    expect(trials.trials.map((t) => t.status)).toEqual(["cancelled"]);
    expect(trials.trials[0]?.error).toEqual({ kind: "cancelled", message: "the search was stopped before the trial started" });
  });

  it("records results that arrive after the stop was requested", async () => {
    const controller = new AbortController();
    const trials = new WorkerTrials({ parallelism: 3, gracePeriod: 30 });
    const done = fmin({ fn: { module: faults, export: "finishesWhenAborted" }, space, maxEvals: 10, trials, signal: controller.signal, showProgressbar: false });
    await until(() => trials.length === 3 && trials.trials.every((t) => t.metrics.length > 0));
    controller.abort();
    const result = await done;
    expect(result.stopReason).toBe("cancelled");
    expect(trials.statuses()).toEqual(["ok", "ok", "ok"]);
    expect(trials.losses().every((l) => typeof l === "number")).toBe(true);
  });
});
