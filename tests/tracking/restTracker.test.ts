import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fmin, hp } from "../../src/index.js";
import { MlflowTracker } from "../../src/tracking/mlflowTracker.js";
import { RestStore } from "../../src/tracking/mlflow/restStore.js";
import { expectFixtureRecorded } from "../support/expectRecorded.js";
import { MlflowTestServer } from "../support/mlflowServer.js";
import { fixtureSummary, fixtureTrials, runFixtureSearch, searchInfo } from "../support/searchFixture.js";

const FAST = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 2000 };
let spoolDir: string;
let warnings: string[];
let servers: MlflowTestServer[];

beforeEach(async () => {
  spoolDir = await mkdtemp(join(tmpdir(), "hyperopt-spool-"));
  warnings = [];
  servers = [];
});
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await rm(spoolDir, { recursive: true, force: true });
});

async function startServer(port?: number): Promise<MlflowTestServer> {
  const server = await new MlflowTestServer(port === undefined ? {} : { port }).start();
  servers.push(server);
  return server;
}

function tracker(url: string, options: { probeMs?: number } = {}): MlflowTracker {
  return new MlflowTracker(new RestStore(url, { credentials: {}, retry: FAST }), {
    warn: (m) => warnings.push(m),
    spoolDir,
    probeMs: options.probeMs ?? 20,
  });
}

async function freePort(): Promise<number> {
  const probe = await new MlflowTestServer().start();
  const port = probe.port;
  await probe.close();
  return port;
}

describe("MlflowTracker over REST", () => {
  it("records the search as a parent run with nested child runs, JSON requests only", async () => {
    const server = await startServer();
    await runFixtureSearch(tracker(server.url));
    expectFixtureRecorded(server);
    expect(warnings).toEqual([]);
    const experiment = server.experiments.find((e) => e.name === "iris-svm");
    expect(experiment).toBeDefined();
    for (const request of server.requests.filter((r) => r.method === "POST")) {
      expect(request.headers["content-type"]).toBe("application/json");
    }
  });

  it("retries 500s and 429s and records everything exactly once", async () => {
    const server = await startServer();
    server.faults.push(500, 429);
    await runFixtureSearch(tracker(server.url));
    expectFixtureRecorded(server);
    expect(warnings).toEqual([]);
    expect(server.requests.filter((r) => r.path.endsWith("get-by-name"))).toHaveLength(3);
  });

  it("records everything exactly once from a slow server", async () => {
    const server = await startServer();
    server.delayMs = 40;
    await runFixtureSearch(tracker(server.url));
    expectFixtureRecorded(server);
  });

  it("runs every trial of a search while the server has answered nothing yet, then records them all", async () => {
    const server = await startServer();
    let release = (): void => {};
    server.gate = new Promise<void>((resolve) => (release = resolve));
    let answeredDuringSearch: number | undefined;
    const maxEvals = 12;
    const result = await fmin({
      fn: (p) => p.x ** 2,
      space: { x: hp.uniform("x", -1, 1) },
      maxEvals,
      seed: 3,
      tracker: tracker(server.url),
      showProgressbar: false,
      handleSignals: false,
      onTrial: (_trial, trials) => {
        if (trials.length < maxEvals || answeredDuringSearch !== undefined) return;
        answeredDuringSearch = server.answered;
        release();
      },
    });
    expect(answeredDuringSearch).toBe(0);
    const children = [...server.runs.values()].filter((r) => r.info.run_name.startsWith("trial-"));
    expect(children.map((r) => r.info.run_name).sort()).toEqual(result.trials.trials.map((t) => `trial-${t.tid}`).sort());
    expect(warnings).toEqual([]);
  });

  it("reports a 400 once, drops only the refused entity, and records the rest exactly once", async () => {
    const server = new MlflowTestServer({ maxKeyLength: 28 });
    servers.push(await server.start());
    const trials = fixtureTrials();
    const first = trials[0];
    if (!first) throw new Error("fixture");
    first.params = { ...(first.params as object), a_key_longer_than_the_server_allows: 1 };
    await runFixtureSearch(tracker(server.url), trials);
    expectFixtureRecorded(server);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("a_key_longer_than_the_server_allows");
    expect(warnings[0]).toContain("INVALID_PARAMETER_VALUE");
  });

  it("splits big batches to the server's limits", async () => {
    const server = await startServer();
    const trials = fixtureTrials();
    const wide = Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`p${i}`, i]));
    const first = trials[0];
    if (!first) throw new Error("fixture");
    first.params = { ...(first.params as object), wide };
    first.metrics = Array.from({ length: 1500 }, (_, step) => ({ name: "curve", value: step / 10, step, timestamp: first.startTime + step }));
    await runFixtureSearch(tracker(server.url), trials);
    const run = server.runsNamed("trial-0")[0];
    expect(run?.params.size).toBe(256);
    expect(run?.metrics.filter((m) => m.key === "curve")).toHaveLength(1500);
    for (const request of server.requests.filter((r) => r.path.endsWith("log-batch"))) {
      const body = JSON.parse(request.body) as { params: unknown[]; metrics: unknown[]; tags: unknown[] };
      expect(body.params.length).toBeLessThanOrEqual(100);
      expect(body.metrics.length).toBeLessThanOrEqual(1000);
      expect(body.params.length + body.metrics.length + body.tags.length).toBeLessThanOrEqual(1000);
    }
    expect(warnings).toEqual([]);
  });

  it("spools while the server refuses connections and sends everything once it is up", async () => {
    const port = await freePort();
    const t = tracker(`http://127.0.0.1:${port}`);
    const trials = fixtureTrials();
    t.startSearch(searchInfo);
    for (const trial of trials) {
      t.trialStarted({ ...trial, status: "running", metrics: [] });
      for (const m of trial.metrics) t.trialMetric(trial.tid, m);
      t.trialFinished(trial);
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(t.spoolFile).toBeDefined();
    const server = await startServer(port);
    await t.endSearch(fixtureSummary(trials));
    expectFixtureRecorded(server);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/not answering/);
    expect((await readdir(spoolDir)).filter((f) => f.endsWith(".jsonl"))).toEqual([]);
  });

  it("keeps records in the spool when the server stays down and replays them on the next run", async () => {
    const port = await freePort();
    await runFixtureSearch(tracker(`http://127.0.0.1:${port}`));
    expect(warnings).toHaveLength(1);
    expect((await readdir(spoolDir)).filter((f) => f.endsWith(".pending.jsonl"))).toHaveLength(1);

    const server = await startServer(port);
    const second = tracker(server.url);
    second.startSearch({ ...searchInfo, runName: "search-2" });
    await second.endSearch({ ...fixtureSummary([]), bestTrial: undefined, nTrials: 0, nFailed: 0, trials: [] });
    expectFixtureRecorded(server);
    expect(server.runsNamed("search-2")).toHaveLength(1);
    expect((await readdir(spoolDir)).filter((f) => f.endsWith(".jsonl"))).toEqual([]);
    expect(warnings).toHaveLength(1);
  });
});
