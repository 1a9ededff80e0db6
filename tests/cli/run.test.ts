import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, folderWith, TUTORIAL_CONFIG, TUTORIAL_OBJECTIVE } from "../support/cli.js";

const savedTrials = (file: string): { tid: number; status: string; loss?: number }[] =>
  readFileSync(file, "utf8").trim().split("\n").slice(1).map((l) => JSON.parse(l) as { tid: number; status: string; loss?: number });

const QUADRATIC = `export default (p) => (p.x - 1) ** 2 + (p.opt === "b" ? 0 : 1);\n`;

const SEARCH_YAML = `objective: ./objective.mjs
space:
  x: { dist: uniform, label: x, low: -5, high: 5 }
  opt: { dist: choice, label: opt, options: [a, b] }
algo: { name: tpe, nStartupJobs: 5 }
maxEvals: 12
seed: 3
trialsSaveFile: search.jsonl
`;

describe("hyperopt-ts run", () => {
  it("runs the tutorials' plain config of lists as a grid search with --objective", async () => {
    const dir = folderWith({ "config.yaml": TUTORIAL_CONFIG, "objective.mjs": TUTORIAL_OBJECTIVE });
    const save = join(dir, "search.jsonl");
    const r = await cli("run", join(dir, "config.yaml"), "--objective", join(dir, "objective.mjs"), "--trials-save-file", save);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^best loss: 0\.16 \(trial 0; 8 trials, 0 failed; stopped: exhausted\)/);
    expect(r.stdout).toContain('"optimizer": "adam"');
    expect(savedTrials(save)).toHaveLength(8);
    expect(r.stderr).toContain("trial 7 loss 1.82 | 8 done | best loss 0.16\n");
  });

  it("runs a YAML search file: objective and save file relative to it, space in JSON form, algorithm settings, seed", async () => {
    const dir = folderWith({ "search.yaml": SEARCH_YAML, "objective.mjs": QUADRATIC });
    const r = await cli("run", join(dir, "search.yaml"));
    expect(r.code).toBe(0);
    const trials = savedTrials(join(dir, "search.jsonl"));
    expect(trials).toHaveLength(12);
    const again = folderWith({ "search.yaml": SEARCH_YAML, "objective.mjs": QUADRATIC });
    await cli("run", join(again, "search.yaml"));
    expect(savedTrials(join(again, "search.jsonl")).map((t) => t.loss)).toEqual(trials.map((t) => t.loss));
  });

  it("runs a JSON search file, and flags override the file", async () => {
    const json = JSON.stringify({ objective: "./objective.mjs", space: { x: { dist: "uniform", label: "x", low: -5, high: 5 }, opt: { dist: "choice", label: "opt", options: ["a", "b"] } }, algo: "rand", maxEvals: 50, seed: 1 });
    const dir = folderWith({ "search.json": json, "objective.mjs": QUADRATIC, "other.mjs": "export const shifted = (p) => p.x + 100;\n" });
    const save = join(dir, "flags.jsonl");
    const r = await cli("run", join(dir, "search.json"), "--max-evals", "6", "--seed", "9", "--trials-save-file", save, "--objective", join(dir, "other.mjs"), "--export", "shifted");
    expect(r.code).toBe(0);
    const trials = savedTrials(save);
    expect(trials).toHaveLength(6);
    expect(trials.every((t) => (t.loss as number) >= 95)).toBe(true);
    expect(JSON.parse(readFileSync(save, "utf8").split("\n")[0] as string).seed).toBe(9);
  });

  it("runs trials on worker threads with --parallelism, or parallelism trials on fewer threads", async () => {
    const dir = folderWith({ "search.yaml": SEARCH_YAML, "objective.mjs": QUADRATIC });
    const r = await cli("run", join(dir, "search.yaml"), "--parallelism", "2", "--max-evals", "4");
    expect(r.code).toBe(0);
    expect(savedTrials(join(dir, "search.jsonl")).map((t) => t.status)).toEqual(["ok", "ok", "ok", "ok"]);
    const shared = folderWith({ "search.yaml": `${SEARCH_YAML}parallelism: 4\nthreads: 2\n`, "objective.mjs": QUADRATIC });
    expect((await cli("run", join(shared, "search.yaml"), "--max-evals", "6")).code).toBe(0);
    expect(savedTrials(join(shared, "search.jsonl"))).toHaveLength(6);
  });

  it("exits 1 when no trial succeeds", async () => {
    const dir = folderWith({ "search.yaml": SEARCH_YAML, "objective.mjs": "export default () => { throw new Error('no data'); };\n" });
    const r = await cli("run", join(dir, "search.yaml"), "--max-evals", "3");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("all 3 trials failed; for example: no data");
    expect(r.stderr).toContain("trial 2 fail: no data");
  });

  it.each([
    ["an unknown key, with its line and the key meant", SEARCH_YAML.replace("seed: 3", "seed: 3\nmax_evals: 5"), /search\.yaml \(line 8\): unknown key "max_evals"; did you mean maxEvals\?/],
    ["an unknown key", SEARCH_YAML.replace("seed: 3", "seed: 3\nbudget: 5"), /\(line 8\): unknown key "budget"; the keys are objective, export, space, grid, algo, maxEvals/],
    ["a bad value, with its line", SEARCH_YAML.replace("maxEvals: 12", "maxEvals: -4"), /search\.yaml \(line 6\): maxEvals must be a whole number >= 1, got -4/],
    ["a bad algorithm", SEARCH_YAML.replace("name: tpe", "name: bayes"), /\(line 5\): algo must be one of tpe, rand, anneal, grid, or \{ name, \.\.\.settings \}/],
    ["a bad algorithm setting", SEARCH_YAML.replace("nStartupJobs: 5", "gamma: 7"), /\(line 5\): algo: tpe\.configure: setting "gamma" must be a number in \(0, 1\], got 7/],
    ["a misspelt algorithm setting", SEARCH_YAML.replace("nStartupJobs: 5", "n_startup_jobs: 5"), /\(line 5\): algo: .*did you mean nStartupJobs\?/],
    ["a bad space node, with its line", SEARCH_YAML.replace("dist: uniform", "dist: unifrm"), /\(line 3\): space: space\.x\.dist must be one of choice, pchoice, .*; got "unifrm"/],
    ["a space and a grid", `${SEARCH_YAML}grid: { a: [1, 2] }\n`, /\(line 9\): give either space or grid, not both/],
    ["no maxEvals for TPE", SEARCH_YAML.replace("maxEvals: 12\n", ""), /no maxEvals; give maxEvals \(or --max-evals\) or a timeout/],
    ["a YAML syntax error", "objective: [./o.mjs\nmaxEvals: 3\n", /search\.yaml line 2: not valid YAML or JSON/],
    ["a list instead of settings", "- 1\n- 2\n", /expected an object of settings/],
    ["a grid entry that is not a list", "objective: ./objective.mjs\ngrid:\n  lr: 0.1\n", /\(line 3\): grid\.lr must be a list of values or a nested object of lists, got 0\.1/],
  ])("exits 2 on %s", async (_name, text, message) => {
    const dir = folderWith({ "search.yaml": text, "objective.mjs": QUADRATIC });
    const r = await cli("run", join(dir, "search.yaml"));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it("exits 2 on a bad command line", async () => {
    const dir = folderWith({ "search.yaml": SEARCH_YAML, "objective.mjs": QUADRATIC });
    const file = join(dir, "search.yaml");
    const cases = [
      [["run", file, "--max-evals", "many"], /option '--max-evals <n>' argument 'many' is invalid\. expected a whole number >= 1/],
      [["run", file, "--no-such-flag"], /unknown option '--no-such-flag'/],
      [["run"], /missing required argument 'search-file'/],
      [["run", join(dir, "missing.yaml")], /missing\.yaml: cannot be read \(ENOENT\)/],
      [["run", file, "--objective", join(dir, "nope.mjs")], /objective: module .*nope\.mjs does not exist/],
      [["frobnicate"], /unknown command 'frobnicate'/],
      [["run", file, "--tracking", "ftp://mlflow.example"], /^tracking: .*"ftp:\/\/mlflow\.example/m],
    ] as const;
    for (const [args, message] of cases) {
      const r = await cli(...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});
