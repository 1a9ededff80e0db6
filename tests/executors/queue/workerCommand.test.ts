import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startQueueWorker, type QueueWorker } from "../../../src/executors/queue/worker.js";
import { fmin, hp, QueueTrials, rand } from "../../../src/index.js";
import { cli } from "../../support/cli.js";
import { spawnTs } from "../../support/processes.js";
import { freePort, RedisServer } from "../../support/redisServer.js";

const objectives = fileURLToPath(new URL("../../fixtures/queueObjectives.mjs", import.meta.url));
const PASSWORD = "s3cr3t-pw";
const dir = mkdtempSync(join(tmpdir(), "hyperopt-worker-command-"));
let redis: RedisServer;
const workers: QueueWorker[] = [];

beforeAll(async () => {
  redis = await RedisServer.start({ password: PASSWORD });
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop("hand-back")));
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `hyperopt-ts worker ...args` in this process. */
const command = (args: string[]) => cli("worker", ...args);

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

describe("hyperopt-ts worker", { timeout: 30_000 }, () => {
  it("exits with 2 on a bad command line, naming the flag, never printing the password", async () => {
    const badUrl = await command([objectives, "--redis", `redis://user:${PASSWORD}@host:notaport`, "--queue", "q"]);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/--redis must be a redis:\/\/ or rediss:\/\/ URL \(not a URL\), got redis:\/\/user:\*\*\*@host:notaport/);
    expect(badUrl.stderr).not.toContain(PASSWORD);
    const emptyQueue = await command([objectives, "--redis", redis.url, "--queue", ""]);
    expect(emptyQueue).toMatchObject({ code: 2, stderr: expect.stringMatching(/--queue must be a non-empty queue name/) as unknown });
    expect((await command([objectives, "--redis", redis.url, "--queue", "q", "--parallelism", "0"])).stderr).toMatch(/--parallelism must be a whole number >= 1, got "0"/);
    expect((await command([objectives, "--redis", redis.url])).code).toBe(2);
  });

  it("is listed by --help, with its flags and exit codes", async () => {
    const help = await cli("worker", "--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: hyperopt-ts worker [options] <module>");
    expect(help.stdout).toMatch(/--memory-limit-mb <mb>/);
    expect(help.stdout).toContain("Exit codes: 0 stopped cleanly, 1 Redis cannot be reached, 2 bad command line");
  });

  it("exits with 2 on a module without the export, naming it", async () => {
    const missing = await command([objectives, "--export", "absent", "--redis", redis.url, "--queue", "q"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/must have a function as an export named "absent" \(--export absent\)/);
  });

  it("exits with 1 within 10 s when Redis cannot be reached, naming the URL without its password", async () => {
    const started = Date.now();
    const unreachable = await command([objectives, "--redis", `redis://:${PASSWORD}@127.0.0.1:${await freePort()}`, "--queue", "q"]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/the Redis server at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+ cannot be reached/);
    expect(unreachable.stderr).not.toContain(PASSWORD);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("on SIGINT hands its running trial back to the queue at once and exits with 130; on SIGTERM finishes it and exits with 0", async () => {
    const queue = `command-${process.pid}`;
    const log = join(dir, "starts.log");
    const spawnWorker = () => spawnTs("../src/cli/main.ts", ["worker", objectives, "--export", "logged", "--redis", redis.url, "--queue", queue, "--heartbeat", "30"]);
    const interrupted = spawnWorker();
    await interrupted.waitFor("serving");
    expect(interrupted.output()).not.toContain(PASSWORD);
    const trials = new QueueTrials({ redis: redis.url, queue, parallelism: 1, heartbeat: 0.5 });
    const space = { x: hp.uniform("x", -2, 2), ms: 1000, log };
    const search = fmin({ fn: { module: objectives, export: "logged" }, space, algo: rand.suggest, maxEvals: 3, seed: 4, trials, showProgressbar: false });
    await until(() => starts(log).length === 1);
    interrupted.child.kill("SIGINT");
    expect(await interrupted.exited).toBe(130);

    const terminated = spawnWorker();
    await until(() => starts(log).length === 2);
    terminated.child.kill("SIGTERM");
    expect(await terminated.exited).toBe(0);
    workers.push(await startQueueWorker({ module: objectives, export: "logged", redis: redis.url, queue, parallelism: 1, heartbeat: 1 }));
    await search;

    expect(trials.statuses()).toEqual(["ok", "ok", "ok"]);
    const byTid = starts(log);
    expect(byTid.filter((s) => s.tid === 0).map((s) => s.pid)).toEqual([interrupted.child.pid, terminated.child.pid]);
    expect(trials.trials[0]?.result?.pid).toBe(terminated.child.pid);
    expect(trials.trials.slice(1).map((t) => t.result?.pid)).toEqual([process.pid, process.pid]);
    expect(interrupted.output() + terminated.output()).not.toContain(PASSWORD);
  });
});
