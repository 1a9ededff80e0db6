import { describe, expect, it } from "vitest";
import { fmin, hp, QueueTrials, rand } from "../../../src/index.js";
import { cli } from "../../support/cli.js";
import { spawnTs } from "../../support/processes.js";
import { freePort } from "../../support/redisServer.js";
import { queueObjectives, starts, until, useQueueHarness } from "../../support/queueHarness.js";

const PASSWORD = "s3cr3t-pw";
const harness = useQueueHarness("worker-command", { redis: { password: PASSWORD } });

/** Runs `hyperopt-ts worker ...args` in this process. */
const command = (args: string[]) => cli("worker", ...args);

describe("hyperopt-ts worker", { timeout: 30_000 }, () => {
  it("exits with 2 on a bad command line, naming the flag, never printing the password", async () => {
    const badUrl = await command([queueObjectives, "--redis", `redis://user:${PASSWORD}@host:notaport`, "--queue", "q"]);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/--redis must be a redis:\/\/ or rediss:\/\/ URL \(not a URL\), got redis:\/\/user:\*\*\*@host:notaport/);
    expect(badUrl.stderr).not.toContain(PASSWORD);
    const emptyQueue = await command([queueObjectives, "--redis", harness.redis.url, "--queue", ""]);
    expect(emptyQueue).toMatchObject({ code: 2, stderr: expect.stringMatching(/--queue must be a non-empty queue name/) as unknown });
    expect((await command([queueObjectives, "--redis", harness.redis.url, "--queue", "q", "--parallelism", "0"])).stderr).toMatch(/--parallelism must be a whole number >= 1, got "0"/);
    expect((await command([queueObjectives, "--redis", harness.redis.url])).code).toBe(2);
  });

  it("is listed by --help, with its flags and exit codes", async () => {
    const help = await cli("worker", "--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: hyperopt-ts worker [options] <module>");
    expect(help.stdout).toMatch(/--memory-limit-mb <mb>/);
    expect(help.stdout).toContain("Exit codes: 0 stopped cleanly, 1 Redis cannot be reached, 2 bad command line");
  });

  it("exits with 2 on a module without the export, naming it", async () => {
    const missing = await command([queueObjectives, "--export", "absent", "--redis", harness.redis.url, "--queue", "q"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/must have a function as an export named "absent" \(--export absent\)/);
  });

  it("exits with 1 within 10 s when Redis cannot be reached, naming the URL without its password", async () => {
    const started = Date.now();
    const unreachable = await command([queueObjectives, "--redis", `redis://:${PASSWORD}@127.0.0.1:${await freePort()}`, "--queue", "q"]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/the Redis server at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ cannot be reached/);
    expect(unreachable.stderr).not.toContain(PASSWORD);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("on SIGINT hands its running trial back to the queue at once and exits with 130; on SIGTERM finishes it and exits with 0", async () => {
    const queue = `command-${process.pid}`;
    const log = harness.file("starts.log");
    const spawnWorker = () => spawnTs("../src/cli/main.ts", ["worker", queueObjectives, "--export", "logged", "--redis", harness.redis.url, "--queue", queue, "--heartbeat", "30"]);
    const interrupted = spawnWorker();
    await interrupted.waitFor("serving");
    expect(interrupted.output()).not.toContain(PASSWORD);
    const trials = new QueueTrials({ redis: harness.redis.url, queue, parallelism: 1, heartbeat: 0.5 });
    const space = { x: hp.uniform("x", -2, 2), ms: 1000, log };
    const search = fmin({ fn: { module: queueObjectives, export: "logged" }, space, algo: rand.suggest, maxEvals: 3, seed: 4, trials, showProgressbar: false });
    await until(() => starts(log).length === 1);
    interrupted.child.kill("SIGINT");
    expect(await interrupted.exited).toBe(130);

    const terminated = spawnWorker();
    await until(() => starts(log).length === 2);
    terminated.child.kill("SIGTERM");
    expect(await terminated.exited).toBe(0);
    await harness.worker(queue, { parallelism: 1, heartbeat: 1 });
    await search;

    expect(trials.statuses()).toEqual(["ok", "ok", "ok"]);
    const byTid = starts(log);
    expect(byTid.filter((s) => s.tid === 0).map((s) => s.pid)).toEqual([interrupted.child.pid, terminated.child.pid]);
    expect(trials.trials[0]?.result?.pid).toBe(terminated.child.pid);
    expect(trials.trials.slice(1).map((t) => t.result?.pid)).toEqual([process.pid, process.pid]);
    expect(interrupted.output() + terminated.output()).not.toContain(PASSWORD);
  });

  it("exits with 130 at once on a second SIGINT while the first one's hand-back waits on an unresponsive Redis", async () => {
    const queue = `second-sigint-${process.pid}`;
    const log = harness.file("second-sigint.log");
    const worker = spawnTs("../src/cli/main.ts", ["worker", queueObjectives, "--export", "logged", "--redis", harness.redis.url, "--queue", queue, "--heartbeat", "2"]);
    await worker.waitFor("serving");
    const trials = new QueueTrials({ redis: harness.redis.url, queue, parallelism: 1, heartbeat: 0.5 });
    const search = fmin({ fn: { module: queueObjectives, export: "logged" }, space: { x: hp.uniform("x", -2, 2), ms: 3000, log }, algo: rand.suggest, maxEvals: 1, seed: 4, trials, showProgressbar: false });
    await until(() => starts(log).length === 1);
    harness.redis.freeze();
    try {
      worker.child.kill("SIGINT");
      await worker.waitFor("send it again to exit at once");
      await new Promise((r) => setTimeout(r, 500));
      expect(worker.child.exitCode).toBeNull();
      const second = Date.now();
      worker.child.kill("SIGINT");
      expect(await worker.exited).toBe(130);
      expect(Date.now() - second).toBeLessThan(5000);
    } finally {
      harness.redis.thaw();
    }
    // The job's lock runs out after the dead worker's heartbeat (2 s); another worker then runs the trial.
    await harness.worker(queue, { parallelism: 1, heartbeat: 1 });
    await search;
    expect(trials.statuses()).toEqual(["ok"]);
    expect(starts(log).map((s) => s.pid)).toEqual([worker.child.pid, process.pid]);
  });
});
