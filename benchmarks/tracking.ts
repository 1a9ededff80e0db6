import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fmin, hp, rand, tpe, type Algorithm } from "../src/index.js";
import { writeResults } from "./writeResults.js";

/*
 * The cost of recording a search in MLflow: a 1000-trial search untracked, tracked to MLflow's SQLite
 * database (alternating, median of the repeats) and tracked to the file store (once), in the same run, and the
 * size each store takes per trial. Run with `npm run bench:tracking`; `--write` overwrites
 * benchmarks/results/tracking.{json,md}.
 */

const TRIALS = 1000;
const REPEATS = 3;

const space = {
  lr: hp.loguniform("lr", Math.log(1e-4), Math.log(1e-1)),
  layers: hp.quniform("layers", 1, 6, 1),
  model: hp.choice("model", [{ kind: "svm", C: hp.loguniform("C", -5, 5) }, { kind: "tree", depth: hp.randint("depth", 2, 12) }]),
};
type Params = { lr: number; layers: number; model: { kind: string; C?: number; depth?: number } };
const loss = (p: Params): number => (Math.log10(p.lr) + 2.5) ** 2 + (p.layers - 3) ** 2 / 10 + (p.model.kind === "svm" ? Math.abs(Math.log(p.model.C ?? 1)) / 5 : 0.3);

type Store = "untracked" | "sqlite" | "file";

interface Measured {
  seconds: number;
  /** The files' sizes. */
  bytes: number;
  /** What they take on disk (allocated blocks). */
  disk: number;
  files: number;
}

function filesSize(paths: string[]): Omit<Measured, "seconds"> {
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

async function measure(store: Store, algo: Algorithm, seed: number): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), "hyperopt-bench-tracking-"));
  const tracking = store === "sqlite" ? `sqlite:///${join(dir, "mlflow.db")}` : store === "file" ? `file:${join(dir, "mlruns")}` : false;
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    const t0 = performance.now();
    await fmin({ fn: loss, space, algo, maxEvals: TRIALS, seed, tracking, experiment: "bench", showProgressbar: false, handleSignals: false });
    const seconds = (performance.now() - t0) / 1000;
    if (store === "untracked") return { seconds, bytes: 0, disk: 0, files: 0 };
    const database = store === "sqlite" ? [join(dir, "mlflow.db")] : [];
    return { seconds, ...filesSize([...database, ...filesUnder(join(dir, "mlruns"))]) };
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
  "",
  "| algorithm | untracked (s) | SQLite (s) | SQLite / untracked | file store (s) | file store / untracked |",
  "|---|---|---|---|---|---|",
];
let sizes: Record<Store, Measured> | undefined;
for (const [name, algo] of algorithms) {
  const times: Record<Store, number[]> = { untracked: [], sqlite: [], file: [] };
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    for (const store of stores) {
      if (store === "file" && repeat > 0) continue;
      const m = await measure(store, algo, repeat);
      times[store].push(m.seconds);
      if (algo === tpe.suggest) sizes = { ...(sizes ?? ({} as Record<Store, Measured>)), [store]: m };
    }
  }
  const [base, sqlite, file] = stores.map((s) => median(times[s])) as [number, number, number];
  (json.results as Record<string, unknown>)[name] = { seconds: times, medians: { untracked: base, sqlite, file }, ratio: { sqlite: sqlite / base, file: file / base } };
  lines.push(`| ${name} | ${base.toFixed(2)} | ${sqlite.toFixed(2)} | ${(sqlite / base).toFixed(3)} | ${file.toFixed(2)} | ${(file / base).toFixed(3)} |`);
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
const loadAfter = loadavg()[0] as number;
json.loadAverage = { before: loadBefore, after: loadAfter };
lines.push("", `Machine: ${availableParallelism()} cores; 1-minute load average ${loadBefore.toFixed(1)} before the run, ${loadAfter.toFixed(1)} after.`);
const text = `${lines.join("\n")}\n`;
console.log(text);
writeResults({ "tracking.md": text, "tracking.json": `${JSON.stringify(json, null, 1)}\n` });
