import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, onTestFinished, vi } from "vitest";
import { MlflowClient } from "../../src/tracking/mlflow/client.js";
import { cli, folderWith } from "../support/cli.js";

/** Saves a small "model" folder per trial and returns it as the trial's artifact. */
const OBJECTIVE = `import { mkdirSync, writeFileSync } from "node:fs";
import { existsSync } from "node:fs";
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

/** Runs in `dir`: MLflow keeps a local database's artifacts under ./mlruns of the working directory. */
function workIn(dir: string): void {
  const before = process.cwd();
  process.chdir(dir);
  onTestFinished(() => process.chdir(before));
}

describe("hyperopt-ts run with MLflow's SQLite store", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("records the search, registers the best trial's model, and reports from the database", async () => {
    const dir = folderWith({ "search.yaml": SEARCH, "objective.mjs": OBJECTIVE });
    workIn(dir);
    vi.stubEnv("MODEL_DIR", join(dir, "models"));
    const tracking = `sqlite:///${join(dir, "mlflow.db")}`;
    const run = await cli("run", join(dir, "search.yaml"), "--tracking", tracking);
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
    const report = await cli("report", "--tracking", tracking, "--run", runId, "-o", join(dir, "report.html"));
    expect(report.code).toBe(0);
    expect(report.stdout).toContain("(4 trials)");
  });

  it("exits 1 after the search, best trial printed, when the model cannot be registered; 2 when there is no tracking", async () => {
    const dir = folderWith({ "search.yaml": SEARCH.replace("name: cli-model", "name: cli-model, artifactPath: missing"), "objective.mjs": OBJECTIVE });
    workIn(dir);
    vi.stubEnv("MODEL_DIR", join(dir, "models"));
    const failed = await cli("run", join(dir, "search.yaml"), "--tracking", `sqlite:///${join(dir, "mlflow.db")}`);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^best loss: /);
    expect(failed.stderr).toMatch(/^registerModel: .*missing/m);
    const untracked = await cli("run", join(dir, "search.yaml"));
    expect(untracked.code).toBe(2);
    expect(untracked.stderr).toContain("registerModel: needs tracking to MLflow");
  });
});
