import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { trackingSearch } from "../src/benchmark/trackingSearch.js";
import { fmin, rand, tpe, type Algorithm } from "../src/index.js";
import { reportHtml } from "../src/report/html.js";
import { openTracker } from "../src/tracking/openTracker.js";
import type { Trial } from "../src/trials/trial.js";
import { buildPackage, runFresh } from "./freshProcess.js";
import { writeResults } from "./writeResults.js";

/*
 * The cost of recording a search in MLflow: a 1000-trial search untracked, tracked to MLflow's SQLite
 * database (alternating, median of the repeats) and tracked to the file store (once), in the same run, and the
 * size each store takes per trial; the same with objectives that take time (2 and 10 ms); the first search of a
 * fresh process, untracked and tracked to SQLite (on the built package); then what the SQLite tracker costs the
 * search's own thread. Run with
 * `npm run bench:tracking` (`-- --repeats 7` for more repeats); `--write` overwrites
 * benchmarks/results/tracking.{json,md}.
 */

const TRIALS = 1000;
const repeatsFlag = process.argv.indexOf("--repeats");
const REPEATS = repeatsFlag === -1 ? 5 : Number(process.argv[repeatsFlag + 1]);
if (!Number.isInteger(REPEATS) || REPEATS < 1) throw new Error(`--repeats must be a whole number >= 1, got ${process.argv[repeatsFlag + 1]}`);

const { space, loss } = trackingSearch();

type Store = "untracked" | "sqlite" | "file";

interface Measured {
  seconds: number;
  /** CPU time of the whole process (every thread), in seconds. */
  cpu: number;
  /** The same until fmin resolved (without report.html, which the SQLite writer thread builds after). */
  cpuSearch: number;
  /** The files' sizes. */
  bytes: number;
  /** What they take on disk (allocated blocks). */
  disk: number;
  files: number;
}

function filesSize(paths: string[]): Omit<Measured, "seconds" | "cpu" | "cpuSearch"> {
  let bytes = 0;
  let disk = 0;
  for (const path of paths) {
    const stat = statSync(path);
    bytes += stat.size;
    disk += stat.blocks * 512;
  }
  return { bytes, disk, files: paths.length };
}

function filesUnder(path: string): string[] {
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Waits until the SQLite writer thread has stored report.html, which it builds after fmin resolved, so the next run starts on a quiet machine. */
async function reportWritten(artifacts: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  const written = (): boolean => filesUnder(artifacts).some((file) => file.endsWith("report.html") && readFileSync(file, "utf8").trimEnd().endsWith("</html>"));
  while (!written()) {
    if (Date.now() > deadline) throw new Error(`no report.html under ${artifacts} after 60 s`);
    await new Promise((done) => setTimeout(done, 10));
  }
}

/** A search's objective and length. */
interface Objective {
  fn: (p: Parameters<typeof loss>[0]) => number | Promise<number>;
  trials: number;
}

async function measure(store: Store, algo: Algorithm, seed: number, objective: Objective = { fn: loss, trials: TRIALS }): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), "hyperopt-bench-tracking-"));
  const tracking = store === "sqlite" ? `sqlite:///${join(dir, "mlflow.db")}` : store === "file" ? `file:${join(dir, "mlruns")}` : false;
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await fmin({ fn: objective.fn, space, algo, maxEvals: objective.trials, seed, tracking, experiment: "bench", showProgressbar: false, handleSignals: false });
    const seconds = (performance.now() - t0) / 1000;
    const atEnd = process.cpuUsage(cpu0);
    if (store === "sqlite") await reportWritten(join(dir, "mlruns"));
    const used = process.cpuUsage(cpu0);
    const cpu = (used.user + used.system) / 1e6;
    const cpuSearch = (atEnd.user + atEnd.system) / 1e6;
    if (store === "untracked") return { seconds, cpu, cpuSearch, bytes: 0, disk: 0, files: 0 };
    const database = store === "sqlite" ? [join(dir, "mlflow.db")] : [];
    return { seconds, cpu, cpuSearch, ...filesSize([...database, ...filesUnder(join(dir, "mlruns"))]) };
  } finally {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const algorithms: Array<[string, Algorithm]> = [
  ["tpe (default)", tpe.suggest],
  ["rand (no algorithm cost: the worst case)", rand.suggest],
];
const stores: Store[] = ["untracked", "sqlite", "file"];
const loadBefore = loadavg()[0] as number;
const json: Record<string, unknown> = { trials: TRIALS, repeats: REPEATS, node: process.version, cores: availableParallelism(), results: {} };
const lines = [
  "# Tracking benchmark",
  "",
  `A ${TRIALS}-trial search (3 to 4 parameters, an objective that returns at once), untracked and recorded to MLflow's`,
  `SQLite database (${REPEATS} repeats, alternating, medians) and to the file store (once: it is slow). Node ${process.version}.`,
  "Wall time is what the caller waits for `fmin`; CPU is the whole process's, every thread included (the SQLite",
  "writer thread works beside the search, and builds the parent's report.html after fmin resolved: the CPU time",
  "counts it, and the next run starts once it is stored). The extra CPU per trial is the same seed's difference until",
  "fmin resolved: the writer thread's work and what recording adds on the search's thread, report.html left out.",
  "",
  "| algorithm | untracked (s) | SQLite (s) | SQLite / untracked | same seed: SQLite / untracked, median [range] | CPU untracked (s) | CPU SQLite (s) | same seed: CPU SQLite − untracked until fmin resolved, per trial, median | file store (s) | file store / untracked |",
  "|---|---|---|---|---|---|---|---|---|---|",
];
let sizes: Record<Store, Measured> | undefined;
for (const [name, algo] of algorithms) {
  const times: Record<Store, number[]> = { untracked: [], sqlite: [], file: [] };
  const cpu: Record<Store, number[]> = { untracked: [], sqlite: [], file: [] };
  const cpuSearch: Record<Store, number[]> = { untracked: [], sqlite: [], file: [] };
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    for (const store of stores) {
      if (store === "file" && repeat > 0) continue;
      const m = await measure(store, algo, repeat);
      times[store].push(m.seconds);
      cpu[store].push(m.cpu);
      cpuSearch[store].push(m.cpuSearch);
      if (algo === tpe.suggest) sizes = { ...(sizes ?? ({} as Record<Store, Measured>)), [store]: m };
    }
  }
  const [base, sqlite, file] = stores.map((s) => median(times[s])) as [number, number, number];
  const [cpuBase, cpuSqlite] = stores.map((s) => median(cpu[s])) as [number, number];
  // Each repeat runs both with the same seed: the ratio per seed leaves out how much the seeds' searches differ.
  const paired = times.sqlite.map((t, i) => t / (times.untracked[i] as number));
  // What recording costs in CPU while the search runs, every thread included (the writer thread, the search's own extra work).
  const extraCpuUs = cpuSearch.sqlite.map((c, i) => ((c - (cpuSearch.untracked[i] as number)) * 1e6) / TRIALS);
  (json.results as Record<string, unknown>)[name] = {
    seconds: times,
    cpuSeconds: cpu,
    cpuSecondsUntilFminResolved: cpuSearch,
    medians: { untracked: base, sqlite, file, cpuUntracked: cpuBase, cpuSqlite },
    ratio: { sqlite: sqlite / base, file: file / base, sqlitePerSeed: paired },
    extraCpuPerTrialUs: { perSeed: extraCpuUs, median: median(extraCpuUs) },
  };
  const pairedCell = `${median(paired).toFixed(3)} [${Math.min(...paired).toFixed(3)}–${Math.max(...paired).toFixed(3)}]`;
  const cells = [base.toFixed(2), sqlite.toFixed(2), (sqlite / base).toFixed(3), pairedCell, cpuBase.toFixed(2), cpuSqlite.toFixed(2), `${median(extraCpuUs).toFixed(0)} µs`, file.toFixed(2), (file / base).toFixed(3)];
  lines.push(`| ${name} | ${cells.join(" | ")} |`);
}
if (sizes) {
  const perTrial = (m: Measured) => m.bytes / TRIALS;
  json.size = { sqlite: sizes.sqlite, file: sizes.file, bytesPerTrial: { sqlite: perTrial(sizes.sqlite), file: perTrial(sizes.file) } };
  lines.push(
    "",
    "## Size of the records (the tpe search)",
    "",
    "| store | files | bytes | bytes per trial | on disk | on disk per trial |",
    "|---|---|---|---|---|---|",
    ...(["sqlite", "file"] as const).map((store) => {
      const m = sizes?.[store] as Measured;
      const label = store === "sqlite" ? "SQLite (database + artifacts)" : "file store";
      return `| ${label} | ${m.files} | ${m.bytes} | ${perTrial(m).toFixed(0)} | ${m.disk} | ${(m.disk / TRIALS).toFixed(0)} |`;
    }),
  );
}
/** Keeps this thread busy for `ms` milliseconds, as an objective that computes. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

const slowObjectives: Array<[string, Objective]> = [
  ["waits 2 ms (async)", { fn: async (p) => { await new Promise((done) => setTimeout(done, 2)); return loss(p); }, trials: 500 }],
  ["computes 2 ms on the search's thread", { fn: (p) => { busy(2); return loss(p); }, trials: 500 }],
  ["computes 10 ms on the search's thread", { fn: (p) => { busy(10); return loss(p); }, trials: 200 }],
];
lines.push(
  "",
  "## Objectives that take time (tpe default)",
  "",
  `The same search with an objective that takes time, untracked and recorded to SQLite (${REPEATS} repeats, alternating, same seed per pair).`,
  "",
  "| objective | trials | untracked (s) | SQLite (s) | same seed: SQLite / untracked, median [range] |",
  "|---|---|---|---|---|",
);
const slow: Record<string, unknown> = {};
for (const [name, objective] of slowObjectives) {
  const runs: Record<"untracked" | "sqlite", number[]> = { untracked: [], sqlite: [] };
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    for (const store of ["untracked", "sqlite"] as const) runs[store].push((await measure(store, tpe.suggest, repeat, objective)).seconds);
  }
  const paired = runs.sqlite.map((t, i) => t / (runs.untracked[i] as number));
  slow[name] = { trials: objective.trials, seconds: runs, sqlitePerSeed: paired };
  lines.push(`| ${name} | ${objective.trials} | ${median(runs.untracked).toFixed(2)} | ${median(runs.sqlite).toFixed(2)} | ${median(paired).toFixed(3)} [${Math.min(...paired).toFixed(3)}–${Math.max(...paired).toFixed(3)}] |`);
}
json.slowObjectives = slow;

/**
 * One search of the benchmark in a fresh node process (benchmarks/freshTrackedSearch.mjs, on the built package),
 * in a temporary working directory, timed there; the process ends once report.html is stored.
 */
function freshSearch(store: "untracked" | "sqlite", seed: number): number {
  const dir = mkdtempSync(join(tmpdir(), "hyperopt-bench-tracking-fresh-"));
  try {
    return runFresh<{ seconds: number }>("freshTrackedSearch.mjs", [store, String(seed)], { cwd: dir }).seconds;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

buildPackage();
const freshRuns: Record<"untracked" | "sqlite", number[]> = { untracked: [], sqlite: [] };
for (let repeat = 0; repeat < REPEATS; repeat++) for (const store of ["untracked", "sqlite"] as const) freshRuns[store].push(freshSearch(store, repeat));
const freshPaired = freshRuns.sqlite.map((t, i) => t / (freshRuns.untracked[i] as number));
json.freshProcess = { seconds: freshRuns, sqlitePerSeed: freshPaired };
lines.push(
  "",
  "## The first search of a process (tpe default)",
  "",
  "The searches above run one after another in one process, so every SQLite search but the first finds the writer",
  "thread running (it stays for the next search). Here each search runs alone in a fresh node process on the built",
  `package, which starts the thread (and compiles its code) during the search (${REPEATS} pairs, alternating, same seed per pair).`,
  "",
  "| untracked (s) | SQLite (s) | same seed: SQLite / untracked, median [range] |",
  "|---|---|---|",
  `| ${median(freshRuns.untracked).toFixed(2)} | ${median(freshRuns.sqlite).toFixed(2)} | ${median(freshPaired).toFixed(3)} [${Math.min(...freshPaired).toFixed(3)}–${Math.max(...freshPaired).toFixed(3)}] |`,
);

interface SearchThreadCost {
  /** trialStarted + trialFinished, per trial. */
  perTrialUs: number;
  /** endSearch: the search's last records stored and the writer thread closed. */
  endSearchMs: number;
  /** Building report.html, which the writer thread does after endSearch resolved. */
  reportMs: number;
}

/**
 * What the SQLite tracker costs the search's thread: the trials of a finished search replayed through a fresh
 * tracker (its calls timed on their own, without any search around them), then its `endSearch`; and what
 * building the parent's report.html costs (on the writer thread).
 */
async function searchThreadCost(trials: readonly Trial[]): Promise<SearchThreadCost> {
  const dir = mkdtempSync(join(tmpdir(), "hyperopt-bench-tracking-"));
  try {
    const tracker = openTracker({ tracking: `sqlite:///${join(dir, "mlflow.db")}`, cwd: dir, experiment: "bench" });
    if (tracker === undefined) throw new Error("no tracker for an SQLite URI");
    tracker.startSearch({ algorithm: { name: "rand", settings: {} }, seed: 1, space: undefined, settings: { maxEvals: TRIALS }, startTime: Date.now() });
    const t0 = performance.now();
    for (const trial of trials) {
      tracker.trialStarted({ ...trial, status: "running" });
      tracker.trialFinished(trial);
    }
    const t1 = performance.now();
    const best = trials.reduce<Trial | undefined>((b, t) => (t.loss !== undefined && (b?.loss === undefined || t.loss < b.loss) ? t : b), undefined);
    await tracker.endSearch({ status: "finished", ...(best ? { bestTrial: best } : {}), nTrials: trials.length, nFailed: 0, trials, endTime: Date.now() });
    const t2 = performance.now();
    reportHtml({ source: "the benchmark", trials: [...trials], seed: 1 });
    return { perTrialUs: ((t1 - t0) * 1000) / trials.length, endSearchMs: t2 - t1, reportMs: performance.now() - t2 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const replayed = (await fmin({ fn: loss, space, algo: rand.suggest, maxEvals: TRIALS, seed: 1, tracking: false, showProgressbar: false, handleSignals: false })).trials.trials;
const costs: SearchThreadCost[] = [];
for (let repeat = 0; repeat < REPEATS; repeat++) costs.push(await searchThreadCost(replayed));
const cost = (key: keyof SearchThreadCost): number => median(costs.map((c) => c[key]));
json.searchThread = { runs: costs, medians: { perTrialUs: cost("perTrialUs"), endSearchMs: cost("endSearchMs"), reportMs: cost("reportMs") } };
lines.push(
  "",
  "## The search's thread (SQLite)",
  "",
  `The ${TRIALS} trials of a finished search replayed through an SQLite tracker, its calls timed on their own (${REPEATS} repeats, medians):`,
  "what recording costs the search's thread while the search runs, and at its end.",
  "",
  "| per trial (trialStarted + trialFinished) | endSearch (every record stored) | report.html built (on the writer thread, after) |",
  "|---|---|---|",
  `| ${cost("perTrialUs").toFixed(1)} µs | ${cost("endSearchMs").toFixed(0)} ms | ${cost("reportMs").toFixed(0)} ms |`,
);
const loadAfter = loadavg()[0] as number;
json.loadAverage = { before: loadBefore, after: loadAfter };
lines.push("", `Machine: ${availableParallelism()} cores; 1-minute load average ${loadBefore.toFixed(1)} before the run, ${loadAfter.toFixed(1)} after.`);
const text = `${lines.join("\n")}\n`;
console.log(text);
writeResults({ "tracking.md": text, "tracking.json": `${JSON.stringify(json, null, 1)}\n` });
