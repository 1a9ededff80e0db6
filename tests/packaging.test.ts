import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..");

interface PackResult {
  filename: string;
  files: { path: string }[];
}

/** Node 20.19 and 22.12 are the first releases that load ES modules with `require()` unflagged. */
function requiresEsm(version: string): boolean {
  const [major = 0, minor = 0] = version.slice(1).split(".").map(Number);
  return major >= 23 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19);
}

/**
 * Installs the tarball into `project` as npm lays it out: the package unpacked in node_modules, and
 * beside it each dependency the packed package.json declares (linked from this repository's
 * node_modules, so nothing is downloaded). A dependency the package imports but does not declare is
 * missing there, as it would be for a user.
 */
function installTarball(tarball: string, project: string): void {
  const modules = join(project, "node_modules");
  mkdirSync(modules, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", modules]);
  renameSync(join(modules, "package"), join(modules, "hyperopt-ts"));
  const manifest = JSON.parse(readFileSync(join(modules, "hyperopt-ts", "package.json"), "utf8")) as { dependencies?: Record<string, string> };
  for (const name of Object.keys(manifest.dependencies ?? {})) {
    mkdirSync(dirname(join(modules, name)), { recursive: true });
    symlinkSync(join(root, "node_modules", name), join(modules, name), "dir");
  }
}

/** Runs a file of the scratch project with this Node, without tracking from the environment. */
function runIn(project: string, file: string): string {
  const env = { ...process.env };
  delete env.MLFLOW_TRACKING_URI;
  delete env.NODE_OPTIONS;
  return execFileSync(process.execPath, [file], { cwd: project, env, encoding: "utf8" });
}

const objective = "export default (params) => (params.x - 1) ** 2;\n";

const esmConsumer = `
import { fmin, hp, rand, WorkerTrials } from "hyperopt-ts";
import { publicProblems } from "hyperopt-ts/benchmark";
const space = { x: hp.uniform("x", -3, 3) };
const inline = await fmin({ fn: (p) => (p.x - 1) ** 2, space, algo: rand.suggest, maxEvals: 5, seed: 1, showProgressbar: false });
const trials = new WorkerTrials({ parallelism: 1 });
const threaded = await fmin({ fn: new URL("./objective.mjs", import.meta.url), space, algo: rand.suggest, maxEvals: 2, seed: 1, trials, showProgressbar: false });
console.log(JSON.stringify([inline.trials.trials.map((t) => t.status), threaded.trials.trials.map((t) => t.status), typeof inline.best.x, publicProblems().length > 0]));
`;

const cjsConsumer = `
const { fmin, hp, rand } = require("hyperopt-ts");
const { MlflowClient } = require("hyperopt-ts/tracking");
const { spaceToJSON } = require("hyperopt-ts/space");
fmin({ fn: (p) => (p.x - 1) ** 2, space: { x: hp.uniform("x", -3, 3) }, algo: rand.suggest, maxEvals: 3, seed: 1, showProgressbar: false })
  .then((r) => console.log(JSON.stringify([r.trials.trials.map((t) => t.status), typeof r.best.x, typeof MlflowClient, typeof spaceToJSON])));
`;

const trackedConsumer = `
import { readdirSync } from "node:fs";
import { fmin, hp, rand } from "hyperopt-ts";
import { MlflowClient } from "hyperopt-ts/tracking";
const warnings = [];
const write = process.stderr.write.bind(process.stderr);
process.stderr.write = (chunk, ...rest) => (warnings.push(String(chunk)), write(chunk, ...rest));
await fmin({ fn: (p) => (p.x - 1) ** 2, space: { x: hp.uniform("x", -3, 3) }, algo: rand.suggest, maxEvals: 6, seed: 1, showProgressbar: false, tracking: "sqlite:///mlflow.db", experiment: "packed" });
const client = new MlflowClient("sqlite:///mlflow.db");
const runs = await client.searchRuns({ experimentIds: [await client.experimentId("packed")] });
await client.close();
const compiled = readdirSync(new URL("./node_modules/hyperopt-ts/dist/tracking/", import.meta.url)).filter((f) => f.endsWith(".hyperopt.mjs"));
console.log(JSON.stringify([runs.map((r) => r.info.status), runs.filter((r) => r.data.tags["mlflow.parentRunId"]).length, warnings, compiled]));
process.on("exit", () => console.log(JSON.stringify(readdirSync("mlruns", { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith("report.html")).length)));
`;

describe("the published package", { timeout: 30_000 }, () => {
  let scratch = "";
  let packed: PackResult;

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), "hyperopt-pack-"));
    const out = execFileSync("npm", ["pack", "--json", "--pack-destination", scratch], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    packed = (JSON.parse(out) as PackResult[])[0] as PackResult;
    const project = join(scratch, "project");
    installTarball(join(scratch, packed.filename), project);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "scratch", private: true }));
    writeFileSync(join(project, "objective.mjs"), objective);
    writeFileSync(join(project, "use.mjs"), esmConsumer);
    writeFileSync(join(project, "use.cjs"), cjsConsumer);
    writeFileSync(join(project, "tracked.mjs"), trackedConsumer);
  }, 120_000);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("holds the compiled code, its declarations, the licence and the README (prepack builds it)", () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["dist/index.js", "dist/index.d.ts", "dist/executors/worker/entry.js", "dist/tracking/writerThread.js", "LICENSE", "README.md", "package.json"]));
  });

  it("holds every file its exports map and its bin point at", () => {
    const paths = new Set(packed.files.map((f) => f.path));
    const manifest = JSON.parse(readFileSync(join(scratch, "project", "node_modules", "hyperopt-ts", "package.json"), "utf8")) as {
      exports: Record<string, Record<string, string>>;
      bin?: Record<string, string>;
    };
    const targets = [...Object.values(manifest.exports).flatMap((conditions) => Object.values(conditions)), ...Object.values(manifest.bin ?? {})];
    expect(targets.length).toBeGreaterThan(1);
    expect(targets.map((t) => t.replace(/^\.\//, "")).filter((t) => !paths.has(t))).toEqual([]);
  });

  it("ships no source maps (their sources do not ship), no TypeScript sources and no tests", () => {
    const paths = packed.files.map((f) => f.path);
    const unwanted = (p: string): boolean => p.endsWith(".map") || (p.endsWith(".ts") && !p.endsWith(".d.ts")) || /^(src|tests|examples|\.ci)\//.test(p);
    expect(paths.filter(unwanted)).toEqual([]);
  });

  it("runs a search, inline and on a worker thread, and reads the shipped benchmark suite, when imported from a project that installed the tarball", () => {
    const out = runIn(join(scratch, "project"), "use.mjs");
    expect(JSON.parse(out)).toEqual([["ok", "ok", "ok", "ok", "ok"], ["ok", "ok"], "number", true]);
  });

  it("records a search to MLflow's SQLite database through its writer thread, loaded from dist without compiling anything; report.html is stored before the process exits", () => {
    const [records, reports] = runIn(join(scratch, "project"), "tracked.mjs").trim().split("\n");
    expect(JSON.parse(records as string)).toEqual([Array(7).fill("FINISHED"), 6, [], []]);
    expect(JSON.parse(reports as string)).toBe(1);
  });

  it("runs its hyperopt-ts bin from the installed package: a config of lists as a grid search, then the report", () => {
    const project = join(scratch, "project");
    const bin = join(project, "node_modules", "hyperopt-ts", (JSON.parse(readFileSync(join(project, "node_modules", "hyperopt-ts", "package.json"), "utf8")) as { bin: Record<string, string> }).bin["hyperopt-ts"] as string);
    writeFileSync(join(project, "config.yaml"), "x: [0, 1, 2]\n");
    const run = (...args: string[]): string => execFileSync(process.execPath, [bin, ...args], { cwd: project, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    expect(run("run", "config.yaml", "--objective", "./objective.mjs", "--trials-save-file", "search.jsonl")).toMatch(/^best loss: 0 \(trial 1; 3 trials, 0 failed; stopped: exhausted\)/);
    expect(run("report", "search.jsonl", "-o", "report.html")).toMatch(/report\.html \(3 trials\)/);
    expect(readFileSync(join(project, "report.html"), "utf8")).toContain('data-chart="parallel"');
  });

  it.runIf(requiresEsm(process.version))("runs a search, and loads the subpath exports, with require() on Node 20.19+ / 22.12+", () => {
    const out = runIn(join(scratch, "project"), "use.cjs");
    expect(JSON.parse(out)).toEqual([["ok", "ok", "ok"], "number", "function", "function"]);
  });
});
