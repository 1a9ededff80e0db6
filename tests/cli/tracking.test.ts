import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MlflowClient } from "../../src/tracking/mlflow/client.js";
import { cliIn, folderWith } from "../support/cli.js";
import { tempDir } from "../support/tempDir.js";

/** Saves a small "model" folder per trial and returns it as the trial's artifact. */
const OBJECTIVE = `import { mkdirSync, writeFileSync } from "node:fs";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
export default (p, ctx) => {
  const dir = join(process.env.MODEL_DIR, String(ctx.trialId));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "weights.json"), JSON.stringify(p));
  return { loss: (p.x - 1) ** 2, artifacts: { model: dir } };
};
`;

const SEARCH = `objective: ./objective.mjs
space:
  x: { dist: uniform, label: x, low: -3, high: 3 }
algo: rand
maxEvals: 4
seed: 2
experiment: cli-registry
registerModel: { name: cli-model, alias: champion }
`;

describe("hyperopt-ts run with MLflow's SQLite store", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("records the search, registers the best trial's model, and reports from the database", async () => {
    const dir = folderWith({ "search.yaml": SEARCH, "objective.mjs": OBJECTIVE });
    vi.stubEnv("MODEL_DIR", join(dir, "models"));
    const tracking = `sqlite:///${join(dir, "mlflow.db")}`;
    const run = await cliIn(dir, "run", join(dir, "search.yaml"), "--tracking", tracking);
    expect(run.code).toBe(0);
    const runId = /recorded in MLflow as run (\w+)/.exec(run.stdout)?.[1] as string;
    const client = new MlflowClient(tracking);
    try {
      const version = await client.getModelVersionByAlias("cli-model", "champion");
      expect(version.version).toBe("1");
    } finally {
      await client.close();
    }
    expect(existsSync(join(dir, "mlruns"))).toBe(true);
    const report = await cliIn(dir, "report", "--tracking", tracking, "--run", runId, "-o", join(dir, "report.html"));
    expect(report.code).toBe(0);
    expect(report.stdout).toContain("(4 trials)");
  });

  it("exits 1 after the search, best trial printed, when the model cannot be registered; 2 when there is no tracking", async () => {
    const dir = folderWith({ "search.yaml": SEARCH.replace("name: cli-model", "name: cli-model, artifactPath: missing"), "objective.mjs": OBJECTIVE });
    vi.stubEnv("MODEL_DIR", join(dir, "models"));
    const failed = await cliIn(dir, "run", join(dir, "search.yaml"), "--tracking", `sqlite:///${join(dir, "mlflow.db")}`);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^best loss: /);
    expect(failed.stderr).toMatch(/^registerModel: .*missing/m);
    const untracked = await cliIn(dir, "run", join(dir, "search.yaml"), "--no-tracking");
    expect(untracked.code).toBe(2);
    expect(untracked.stderr).toContain("registerModel: needs tracking to MLflow");
  });

  it("records by default where MLflow does: ./mlflow.db, or ./mlruns when it holds a file store; --no-tracking records nothing", async () => {
    vi.stubEnv("MLFLOW_TRACKING_URI", "");
    const dir = folderWith({ "search.yaml": "objective: ./objective.mjs\ngrid: { x: [1, 2] }\n", "objective.mjs": "export default (p) => p.x;\n" });
    const plain = tempDir("cli-default");
    const run = await cliIn(plain, "run", join(dir, "search.yaml"));
    expect(run.code).toBe(0);
    const runId = /recorded in MLflow as run (\w+)/.exec(run.stdout)?.[1] as string;
    const client = new MlflowClient(`sqlite:///${join(plain, "mlflow.db")}`);
    try {
      const children = await client.searchRuns({ experimentIds: ["0"], filter: `tags.mlflow.parentRunId = '${runId}'` });
      expect(children.map((r) => r.info.runName).sort()).toEqual(["trial-0", "trial-1"]);
    } finally {
      await client.close();
    }
    const legacy = tempDir("cli-filestore");
    mkdirSync(join(legacy, "mlruns", "0"), { recursive: true });
    writeFileSync(join(legacy, "mlruns", "0", "meta.yaml"), "experiment_id: '0'\nname: Default\nlifecycle_stage: active\nartifact_location: mlruns/0\n");
    expect((await cliIn(legacy, "run", join(dir, "search.yaml"))).code).toBe(0);
    expect(existsSync(join(legacy, "mlflow.db"))).toBe(false);
    expect(readdirSync(join(legacy, "mlruns", "0")).length).toBeGreaterThan(1);
    const off = tempDir("cli-off");
    const quiet = await cliIn(off, "run", join(dir, "search.yaml"), "--no-tracking");
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).not.toContain("recorded in MLflow");
    expect(readdirSync(off)).toEqual([]);
  });
});
