import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { describe, expect, it, vi } from "vitest";
import { fmin, hp, rand } from "../../src/index.js";
import { prepareEntry } from "../../src/executors/worker/transpile.js";
import type { TrackingOp } from "../../src/tracking/mlflow/ops.js";
import { SqliteStore } from "../../src/tracking/mlflow/sqliteStore.js";
import { ThreadedWriter } from "../../src/tracking/threadedWriter.js";
import { RecordWriter } from "../../src/tracking/writer.js";
import { useTempDir } from "../support/tempDir.js";
import { tsxImport } from "../support/processes.js";

const dir = useTempDir("sqlite-thread");

/** The fixture thread module, compiled as the writer's own is when running from the sources. */
async function fixtureEntry(name: string): Promise<string> {
  return (await prepareEntry(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)))).filename;
}

function trialOps(tid: number): TrackingOp[] {
  const ref = `trial:${tid}`;
  return [
    { kind: "createRun", ref, experiment: "experiment", parent: "search", runName: `trial-${tid}`, startTime: 1000 + tid, userId: "ann", tags: [{ key: "hyperopt.tid", value: String(tid) }] },
    { kind: "logBatch", run: ref, params: [{ key: "x", value: String(tid / 10) }], tags: [], metrics: [{ key: "loss", value: tid, timestamp: 2000 + tid, step: 0 }] },
    { kind: "updateRun", run: ref, status: "FINISHED", endTime: 3000 + tid },
  ];
}

const START: TrackingOp[] = [
  { kind: "experiment", ref: "experiment", name: "threaded" },
  { kind: "createRun", ref: "search", experiment: "experiment", runName: "search", startTime: 1000, userId: "ann", tags: [] },
];

interface Recorded {
  runs: Array<{ name: string; status: string; parent: string | null; loss: number | null; x: string | null }>;
}

function recorded(path: string): Recorded {
  const db = new Database(path, { readonly: true });
  try {
    const runs = db
      .prepare(
        `SELECT r.name, r.status,
           (SELECT value FROM tags t WHERE t.run_uuid = r.run_uuid AND t.key = 'mlflow.parentRunId') AS parent,
           (SELECT value FROM latest_metrics m WHERE m.run_uuid = r.run_uuid AND m.key = 'loss') AS loss,
           (SELECT value FROM params p WHERE p.run_uuid = r.run_uuid AND p.key = 'x') AS x
         FROM runs r ORDER BY r.start_time, r.name`,
      )
      .all() as Recorded["runs"];
    return { runs };
  } finally {
    db.close();
  }
}

function countRuns(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare("SELECT count(*) FROM runs").pluck().get() as number;
  } finally {
    db.close();
  }
}

function expectAllRecorded(path: string, parentRunId: string | undefined, trials: number): void {
  const { runs } = recorded(path);
  expect(runs).toHaveLength(trials + 1);
  expect(runs[0]).toMatchObject({ name: "search", status: "RUNNING", parent: null });
  expect(runs.slice(1)).toEqual(Array.from({ length: trials }, (_, tid) => ({ name: `trial-${tid}`, status: "FINISHED", parent: parentRunId, loss: tid, x: String(tid / 10) })));
}

describe("the SQLite writer thread", () => {
  it("stops mid-search: what it committed stays, the records it had not finished are stored from the search's thread, each once, with a warning", async () => {
    const path = join(dir(), "mlflow.db");
    const store = new SqliteStore(path, "sqlite:///mlflow.db", { artifactRoot: join(dir(), "mlruns") });
    const warnings: string[] = [];
    const entry = await fixtureEntry("stoppingWriterThread.ts");
    const writer = new ThreadedWriter(store, { warn: (m) => warnings.push(m), sourceTags: Promise.resolve([]) }, () => Promise.resolve(entry));
    for (const op of [...START, ...trialOps(0)]) writer.enqueue(op);
    writer.send();
    for (const op of trialOps(1)) writer.enqueue(op);
    writer.send();
    await vi.waitFor(() => expect(countRuns(path)).toBe(3), { timeout: 5000 });
    for (let tid = 2; tid < 8; tid++) {
      for (const op of trialOps(tid)) writer.enqueue(op);
      writer.send();
    }
    await writer.close();
    expect(warnings).toEqual([expect.stringMatching(/^the SQLite writer thread stopped \(it exited with code 7\); the \d+ records it had not stored are stored from the search's thread$/)]);
    expect(writer.idOf("search")).toMatch(/^[0-9a-f]{32}$/);
    expectAllRecorded(path, writer.idOf("search"), 8);
    await store.close();
  });

  it("that cannot start leaves every record to the search's thread, with a warning naming why", async () => {
    const path = join(dir(), "mlflow.db");
    const store = new SqliteStore(path, "sqlite:///mlflow.db", { artifactRoot: join(dir(), "mlruns") });
    const warnings: string[] = [];
    const entry = await fixtureEntry("failingWriterThread.ts");
    const writer = new ThreadedWriter(store, { warn: (m) => warnings.push(m), sourceTags: Promise.resolve([]), batchMs: 0 }, () => Promise.resolve(entry));
    for (const op of [...START, ...trialOps(0), ...trialOps(1), ...trialOps(2)]) writer.enqueue(op);
    await writer.close();
    expect(warnings).toEqual([expect.stringMatching(/^the SQLite writer thread stopped \(.*the writer thread could not start.*\); the 11 records it had not stored are stored from the search's thread$/)]);
    expectAllRecorded(path, writer.idOf("search"), 3);
    await store.close();
  });

  it("reports the run ids it created and stores everything queued before close resolves", async () => {
    const path = join(dir(), "mlflow.db");
    const store = new SqliteStore(path, "sqlite:///mlflow.db", { artifactRoot: join(dir(), "mlruns") });
    const warnings: string[] = [];
    const writer = new ThreadedWriter(store, { warn: (m) => warnings.push(m), sourceTags: Promise.resolve([{ key: "mlflow.source.type", value: "LOCAL" }]) });
    for (const op of START) writer.enqueue(op);
    for (let tid = 0; tid < 50; tid++) for (const op of trialOps(tid)) writer.enqueue(op);
    expect(writer.idOf("search")).toBeUndefined();
    await writer.close();
    expect(warnings).toEqual([]);
    expect(writer.idOf("experiment")).toBe("1");
    expectAllRecorded(path, writer.idOf("search"), 50);
    await store.close();
  });
});

describe("the SQLite writer thread shared by the searches of a process", () => {
  function storeIn(name: string): SqliteStore {
    mkdirSync(join(dir(), name), { recursive: true });
    return new SqliteStore(join(dir(), name, "mlflow.db"), "sqlite:///mlflow.db", { artifactRoot: join(dir(), name, "mlruns") });
  }

  /** The sessions each writer thread opened (fixture recordingWriterThread), by thread id. */
  function opensByThread(folder: string): Map<string, number> {
    const byThread = new Map<string, number>();
    for (const file of readdirSync(folder)) {
      const thread = file.split("-")[0] as string;
      byThread.set(thread, (byThread.get(thread) ?? 0) + 1);
    }
    return byThread;
  }

  it("serves the searches of a process one after another, and gives searches that run at the same time a thread each", async () => {
    const opens = join(dir(), "opens");
    mkdirSync(opens);
    vi.stubEnv("WRITER_OPENS_DIR", opens);
    const entry = await fixtureEntry("recordingWriterThread.ts");
    const stores = ["a", "b", "c", "d", "e"].map(storeIn);
    const writerOf = (store: SqliteStore): ThreadedWriter => new ThreadedWriter(store, { warn: (m) => expect.fail(m), sourceTags: Promise.resolve([]) }, () => Promise.resolve(entry));
    /** Records the trials of each writer's search, then waits until its thread is done with it too (after close resolved). */
    const run = async (writers: ThreadedWriter[], trials: number): Promise<void> => {
      for (let tid = 0; tid < trials; tid++) for (const writer of writers) for (const op of [...(tid === 0 ? START : []), ...trialOps(tid)]) writer.enqueue(op);
      await Promise.all(writers.map((writer) => writer.close()));
      await Promise.all(writers.map((writer) => writer.sessionEnded));
    };
    const [sa, sb, sc, sd, se] = stores as [SqliteStore, SqliteStore, SqliteStore, SqliteStore, SqliteStore];
    const a = writerOf(sa);
    await run([a], 3);
    const b = writerOf(sb);
    await run([b], 5);
    expect([...opensByThread(opens).values()]).toEqual([2]);
    const [c, d] = [writerOf(sc), writerOf(sd)];
    await run([c, d], 20);
    expect([...opensByThread(opens).values()].sort()).toEqual([1, 3]);
    const e = writerOf(se);
    await run([e], 2);
    expect([...opensByThread(opens).values()].reduce((x, y) => x + y)).toBe(5);
    expect(opensByThread(opens).size).toBe(2);
    for (const [i, [writer, trials]] of ([[a, 3], [b, 5], [c, 20], [d, 20], [e, 2]] as const).entries()) expectAllRecorded(stores[i]!.path, writer.idOf("search"), trials);
    expect(c.idOf("search")).not.toBe(d.idOf("search"));
    await Promise.all(stores.map((store) => store.close()));
    vi.unstubAllEnvs();
  });

  it("that cannot open one search's database leaves that search to its own thread and serves the next one", async () => {
    const opens = join(dir(), "opens");
    mkdirSync(opens);
    vi.stubEnv("WRITER_OPENS_DIR", opens);
    const entry = await fixtureEntry("recordingWriterThread.ts");
    const good = storeIn("good");
    const gone = storeIn("gone");
    const warnings: string[] = [];
    // A store whose path the thread cannot open, while its own connection (to "gone") stays usable for the fallback.
    const failing = new ThreadedWriter(Object.assign(Object.create(gone) as SqliteStore, { path: join(dir(), "no-such-folder", "mlflow.db") }), { warn: (m) => warnings.push(m), sourceTags: Promise.resolve([]) }, () => Promise.resolve(entry));
    for (const op of [...START, ...trialOps(0)]) failing.enqueue(op);
    await failing.close();
    const working = new ThreadedWriter(good, { warn: (m) => expect.fail(m), sourceTags: Promise.resolve([]) }, () => Promise.resolve(entry));
    for (const op of [...START, ...trialOps(0)]) working.enqueue(op);
    await working.close();
    expect(warnings).toEqual([expect.stringMatching(/^the SQLite writer thread stopped \(the database could not be opened there: .*\); the 5 records it had not stored are stored from the search's thread$/)]);
    expectAllRecorded(gone.path, failing.idOf("search"), 1);
    expectAllRecorded(good.path, working.idOf("search"), 1);
    expect([...opensByThread(opens).values()]).toEqual([2]);
    await Promise.all([good.close(), gone.close()]);
    vi.unstubAllEnvs();
  });

  it("stops: the search it served falls back to its own thread, and the next search starts a new writer thread", async () => {
    const entry = await fixtureEntry("stoppingWriterThread.ts");
    const stores = ["a", "b", "c"].map(storeIn);
    const warnings: string[] = [];
    const options = { warn: (m: string) => warnings.push(m), sourceTags: Promise.resolve([]) };
    const [a, b] = stores.slice(0, 2).map((store) => new ThreadedWriter(store, options, () => Promise.resolve(entry))) as [ThreadedWriter, ThreadedWriter];
    for (let tid = 0; tid < 4; tid++) {
      for (const writer of [a, b]) {
        for (const op of [...(tid === 0 ? START : []), ...trialOps(tid)]) writer.enqueue(op);
        writer.send();
      }
    }
    await Promise.all([a.close(), b.close()]);
    expect(warnings).toEqual([expect.stringMatching(/it exited with code 7/), expect.stringMatching(/it exited with code 7/)]);
    const c = new ThreadedWriter(stores[2]!, options, () => Promise.resolve(entry));
    for (const op of [...START, ...trialOps(0)]) c.enqueue(op);
    c.send();
    await c.close();
    expect(warnings).toHaveLength(2);
    expectAllRecorded(stores[0]!.path, a.idOf("search"), 4);
    expectAllRecorded(stores[1]!.path, b.idOf("search"), 4);
    expectAllRecorded(stores[2]!.path, c.idOf("search"), 1);
    await Promise.all(stores.map((store) => store.close()));
  });

  it("lets the process end when its searches are done, though the thread stays for a next one", () => {
    const fixture = fileURLToPath(new URL("../fixtures/twoTrackedSearches.ts", import.meta.url));
    execFileSync(process.execPath, ["--import", tsxImport, fixture], { cwd: dir(), timeout: 60_000, stdio: "pipe" });
    const db = new Database(join(dir(), "mlflow.db"), { readonly: true });
    const runs = db.prepare("SELECT count(*) FROM runs r JOIN experiments e ON r.experiment_id = e.experiment_id WHERE e.name = 'twice'").pluck().get();
    db.close();
    expect(runs).toBe(12);
  });
});

describe("an artifact left to the SQLite writer thread (report.html)", () => {
  it("is made and stored by the thread after close resolved, which keeps the thread until it is stored", async () => {
    const path = join(dir(), "mlflow.db");
    const store = new SqliteStore(path, "sqlite:///mlflow.db", { artifactRoot: join(dir(), "mlruns") });
    const warnings: string[] = [];
    const writer = new ThreadedWriter(store, { warn: (m) => warnings.push(m), sourceTags: Promise.resolve([]) });
    for (const op of [...START, ...trialOps(0)]) writer.enqueue(op);
    writer.send();
    await vi.waitFor(() => expect(writer.idOf("search")).toBeDefined(), { timeout: 10_000 });
    const gate = join(dir(), "gate");
    const recipe = { module: new URL("../fixtures/gatedArtifact.ts", import.meta.url).href, exportName: "gatedText", args: [gate, "<html>made later</html>"] };
    expect(writer.defer({ kind: "artifact", run: "search", path: "report.html", recipe })).toBe(true);
    await writer.close();
    const report = join(dir(), "mlruns", "1", writer.idOf("search") as string, "artifacts", "report.html");
    expectAllRecorded(path, writer.idOf("search"), 1);
    expect(existsSync(report)).toBe(false);
    writeFileSync(gate, "");
    await vi.waitFor(() => expect(readFileSync(report, "utf8")).toBe("<html>made later</html>"), { timeout: 10_000 });
    expect(warnings).toEqual([]);
    await store.close();
  });

  it("that cannot be sent to the thread is refused, so the tracker makes it itself", async () => {
    const store = new SqliteStore(join(dir(), "mlflow.db"), "sqlite:///mlflow.db", { artifactRoot: join(dir(), "mlruns") });
    const writer = new ThreadedWriter(store, { warn: () => {}, sourceTags: Promise.resolve([]) });
    for (const op of START) writer.enqueue(op);
    writer.send();
    await vi.waitFor(() => expect(writer.idOf("search")).toBeDefined(), { timeout: 10_000 });
    const recipe = { module: new URL("../fixtures/gatedArtifact.ts", import.meta.url).href, exportName: "gatedText", args: [() => "a function cannot cross a thread"] };
    expect(writer.defer({ kind: "artifact", run: "search", path: "report.html", recipe })).toBe(false);
    await writer.close();
    await store.close();
  });

  it("is fmin's report of an SQLite search: its parent run gets report.html with every trial", async () => {
    const result = await fmin({
      fn: async (p) => {
        await new Promise((done) => setTimeout(done, 5));
        return p.x ** 2;
      },
      space: { x: hp.uniform("x", -1, 1) },
      algo: rand.suggest,
      maxEvals: 60,
      seed: 3,
      tracking: "sqlite:///mlflow.db",
      showProgressbar: false,
      handleSignals: false,
    });
    const reports = (): string[] =>
      readdirSync(join(dir(), "mlruns"), { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith("report.html"))
        .map((f) => readFileSync(join(dir(), "mlruns", f), "utf8"));
    await vi.waitFor(() => expect(reports()).toEqual([expect.stringContaining("</html>")]), { timeout: 20_000 });
    expect(reports()[0]).toContain('data-chart="parallel"');
    expect(reports()[0]).toContain(`"tid":${result.trials.length - 1}`);
  });
});

describe("a batch of records committed to SQLite", () => {
  it("in which the database refuses one record loses only that record: the rest of the batch is stored", async () => {
    const path = join(dir(), "mlflow.db");
    const store = new SqliteStore(path, "sqlite:///mlflow.db", { artifactRoot: join(dir(), "mlruns") });
    const warnings: string[] = [];
    const writer = new RecordWriter(store, { warn: (m) => warnings.push(m), sourceTags: Promise.resolve([]), batchMs: 0 });
    const refused: TrackingOp = { kind: "logBatch", run: "trial:1", params: [{ key: "x", value: "changed" }], tags: [{ key: "kept", value: "yes" }], metrics: [] };
    for (const op of [...START, ...trialOps(0), ...trialOps(1), refused, ...trialOps(2)]) writer.enqueue(op);
    await writer.close();
    expect(warnings).toEqual([expect.stringMatching(/^dropped "x" for run [0-9a-f]{32}: INVALID_PARAMETER_VALUE: param "x" already has value "0.1"; a param cannot change$/)]);
    expectAllRecorded(path, writer.idOf("search"), 3);
    const db = new Database(path, { readonly: true });
    expect(db.prepare("SELECT value FROM tags WHERE key = 'kept' AND run_uuid = ?").pluck().get(writer.idOf("trial:1"))).toBe("yes");
    db.close();
    await store.close();
  });

  it("takes text artifacts with it, so the search's last records commit once; artifacts copied from files are stored on their own", async () => {
    const path = join(dir(), "mlflow.db");
    const store = new SqliteStore(path, "sqlite:///mlflow.db", { artifactRoot: join(dir(), "mlruns") });
    const transactions = vi.spyOn(store, "inTransaction");
    const warnings: string[] = [];
    const writer = new RecordWriter(store, { warn: (m) => warnings.push(m), sourceTags: Promise.resolve([]), batchMs: 0 });
    writeFileSync(join(dir(), "weights.txt"), "0.5");
    const ending: TrackingOp[] = [
      { kind: "artifact", run: "search", path: "trials.json", text: "[]\n" },
      { kind: "artifact", run: "search", path: "space.json", text: "{}\n" },
      { kind: "updateRun", run: "trial:0", status: "KILLED", endTime: 4000 },
      { kind: "artifact", run: "search", path: "model", file: join(dir(), "weights.txt") },
      { kind: "updateRun", run: "search", status: "FINISHED", endTime: 5000 },
    ];
    for (const op of [...START, ...trialOps(0), ...ending]) writer.enqueue(op);
    await writer.close();
    expect(warnings).toEqual([]);
    expect(transactions).toHaveBeenCalledTimes(2);
    const artifacts = join(dir(), "mlruns", "1", writer.idOf("search") as string, "artifacts");
    expect(readFileSync(join(artifacts, "trials.json"), "utf8")).toBe("[]\n");
    expect(readFileSync(join(artifacts, "space.json"), "utf8")).toBe("{}\n");
    expect(readFileSync(join(artifacts, "model"), "utf8")).toBe("0.5");
    expect(recorded(path).runs.map((run) => [run.name, run.status])).toEqual([["search", "FINISHED"], ["trial-0", "KILLED"]]);
    await store.close();
  });

  it("with a text artifact the store refuses loses only that artifact", async () => {
    const path = join(dir(), "mlflow.db");
    const store = new SqliteStore(path, "sqlite:///mlflow.db", { artifactRoot: join(dir(), "mlruns") });
    const warnings: string[] = [];
    const writer = new RecordWriter(store, { warn: (m) => warnings.push(m), sourceTags: Promise.resolve([]), batchMs: 0 });
    const refused: TrackingOp = { kind: "artifact", run: "search", path: "../outside.json", text: "{}" };
    for (const op of [...START, ...trialOps(0), refused, ...trialOps(1)]) writer.enqueue(op);
    await writer.close();
    expect(warnings).toEqual([expect.stringMatching(/^dropped artifact "\.\.\/outside\.json": INVALID_PARAMETER_VALUE: artifact path/)]);
    expectAllRecorded(path, writer.idOf("search"), 2);
    expect(existsSync(join(dir(), "mlruns", "1", "outside.json"))).toBe(false);
    await store.close();
  });
});
