import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { AllTrialsFailed, fmin, hp, type FminResult } from "../../src/index.js";
import { MlflowClient } from "../../src/tracking/index.js";
import { ModelRegistrationError, TrackingValidationError } from "../../src/tracking/mlflow/errors.js";
import { MlflowTestServer } from "../support/mlflowServer.js";
import { useTempDir } from "../support/tempDir.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/mlflow/", import.meta.url));
const space = { x: hp.uniform("x", -2, 2) };
const quiet = { showProgressbar: false, handleSignals: false } as const;
const dir = useTempDir("registry");
let server: MlflowTestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** An objective that saves a model folder (weights.json and a nested file) and returns it as the artifact "model". */
function savingObjective(root: string) {
  let n = 0;
  return (p: { x: number }) => {
    const folder = join(root, `model-${n++}`);
    mkdirSync(join(folder, "data"), { recursive: true });
    writeFileSync(join(folder, "weights.json"), JSON.stringify({ x: p.x }));
    writeFileSync(join(folder, "data", "notes.txt"), "trained");
    return { loss: p.x ** 2, artifacts: { model: folder } };
  };
}

function rows(path: string, sql: string): unknown[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

describe("registerModel with MLflow's SQLite database", () => {
  it("registers the best trial's model folder as version 1, then 2, with its tags, the alias moved, rows as MLflow writes them", async () => {
    const path = join(dir(), "mlflow.db");
    const uri = `sqlite:///${path}`;
    const fn = savingObjective(dir());
    const registerModel = { name: "quadratic", tags: { source: "hyperopt" }, alias: "champion" };
    const first = await fmin({ fn, space, maxEvals: 6, seed: 1, tracking: uri, experiment: "reg", registerModel, ...quiet });
    const second = await fmin({ fn, space, maxEvals: 4, seed: 2, tracking: uri, experiment: "reg", registerModel, ...quiet });

    const client = new MlflowClient(uri);
    const runs = await client.searchRuns({ experimentIds: [(await client.experimentId("reg")) as string] });
    const bestRun = (result: FminResult<unknown>, parentName: string | undefined) =>
      runs.find((r) => r.data.tags["hyperopt.tid"] === String(result.bestTrial.tid) && r.data.tags["mlflow.parentRunId"] === parentName);
    const parents = runs.filter((r) => r.data.tags["mlflow.parentRunId"] === undefined).sort((a, b) => a.info.startTime - b.info.startTime);
    const run1 = bestRun(first, parents[0]?.info.runId);
    const run2 = bestRun(second, parents[1]?.info.runId);
    const champion = await client.getModelVersionByAlias("quadratic", "champion");
    expect(champion).toMatchObject({ version: "2", runId: run2?.info.runId, source: `${run2?.info.artifactUri}/model`, aliases: ["champion"] });
    expect((await client.searchModelVersions("quadratic")).map((v) => [v.version, v.runId])).toEqual([
      ["2", run2?.info.runId],
      ["1", run1?.info.runId],
    ]);
    await client.close();

    const artifacts = run1?.info.artifactUri as string;
    expect(readFileSync(join(artifacts, "model", "weights.json"), "utf8")).toBe(JSON.stringify({ x: first.bestParams.x }));
    expect(readFileSync(join(artifacts, "model", "data", "notes.txt"), "utf8")).toBe("trained");
    expect(readFileSync(join(artifacts, "model", "MLmodel"), "utf8")).toMatch(/flavors: \{\}/);
    expect(rows(path, "SELECT name, description FROM registered_models")).toEqual([{ name: "quadratic", description: null }]);
    expect(rows(path, "SELECT * FROM model_versions WHERE version = 1")).toEqual([
      expect.objectContaining({
        name: "quadratic",
        version: 1,
        source: `${artifacts}/model`,
        storage_location: `${artifacts}/model`,
        run_id: run1?.info.runId,
        status: "READY",
        current_stage: "None",
        user_id: null,
        description: null,
        run_link: null,
        status_message: null,
      }),
    ]);
    expect(rows(path, "SELECT alias, version, name FROM registered_model_aliases")).toEqual([{ alias: "champion", version: 2, name: "quadratic" }]);
    expect(rows(path, "SELECT key, value, version FROM model_version_tags ORDER BY version")).toEqual([
      { key: "source", value: "hyperopt", version: 1 },
      { key: "source", value: "hyperopt", version: 2 },
    ]);
  });

  it("adds a version beside the one MLflow registered in search-3.6.db and moves an alias to it", async () => {
    const path = join(dir(), "search.db");
    copyFileSync(join(FIXTURES, "search-3.6.db"), path);
    const client = new MlflowClient(`sqlite:///${path}`);
    await client.setRegisteredModelAlias("fixture-model", "champion", "1");
    expect((await client.getModelVersionByAlias("fixture-model", "champion")).source).toBe(
      "/srv/fixture/search/mlruns/1/d5f19ae8f80c44c994f252f633f36042/artifacts/model",
    );
    const v2 = await client.registerModel(join(dir(), "elsewhere", "model"), "fixture-model", { alias: "champion" });
    expect(v2).toMatchObject({ version: "2", aliases: ["champion"] });
    expect((await client.searchModelVersions("fixture-model")).map((v) => v.version)).toEqual(["2", "1"]);
    await expect(client.getModelVersionByAlias("fixture-model", "missing")).rejects.toThrow(/has no alias "missing"/);
    await expect(client.setRegisteredModelAlias("fixture-model", "latest", "1")).rejects.toThrow(/reserved/);
    await expect(client.registerModel("runs:/d5f19ae8f80c44c994f252f633f36042/model", "other")).rejects.toThrow(/logged no artifact folder "model"/);
    await client.close();
    expect(rows(path, "SELECT version, run_id FROM model_versions ORDER BY version")).toEqual([
      { version: 1, run_id: "d5f19ae8f80c44c994f252f633f36042" },
      { version: 2, run_id: null },
    ]);
  });
});

describe("registerModel refusals", () => {
  it("an artifact path the best trial did not log: ModelRegistrationError after the search, with the result and the records kept", async () => {
    const uri = `sqlite:///${join(dir(), "mlflow.db")}`;
    const error = await failure(() => fmin({ fn: savingObjective(dir()), space, maxEvals: 3, tracking: uri, experiment: "e", registerModel: { name: "m", artifactPath: "weights" }, ...quiet }));
    expect(error).toBeInstanceOf(ModelRegistrationError);
    expect(String(error)).toMatch(/registerModel: the best trial \(\d\) was not registered as "m": run [0-9a-f]{32} logged no artifact folder "weights"/);
    expect(((error as ModelRegistrationError).result as FminResult<unknown>).trials.length).toBe(3);
    const client = new MlflowClient(uri);
    expect(await client.searchRuns({ experimentIds: [(await client.experimentId("e")) as string] })).toHaveLength(4);
    await client.close();
  });

  it("no successful trial: AllTrialsFailed whose cause says nothing was registered, the trials recorded", async () => {
    const uri = `sqlite:///${join(dir(), "mlflow.db")}`;
    const error = await failure(() => fmin({ fn: () => ({ status: "fail" as const }), space, maxEvals: 2, tracking: uri, experiment: "e", registerModel: { name: "m" }, ...quiet }));
    expect(error).toBeInstanceOf(AllTrialsFailed);
    expect((error as Error).cause).toBeInstanceOf(ModelRegistrationError);
    expect(String((error as Error).cause)).toMatch(/no trial succeeded, so nothing was registered as "m"/);
    const client = new MlflowClient(uri);
    expect(await client.searchRuns({ experimentIds: [(await client.experimentId("e")) as string] })).toHaveLength(3);
    await client.close();
  });

  const early: Array<[string, () => Record<string, unknown>, RegExp]> = [
    ["a model name with a /", () => ({ tracking: `sqlite:///${join(dir(), "m.db")}`, registerModel: { name: "team/model" } }), /must not contain "\/"/],
    ["a reserved alias", () => ({ tracking: `sqlite:///${join(dir(), "m.db")}`, registerModel: { name: "m", alias: "v2" } }), /alias "v2" is reserved/],
    ["the file store, which has no registry", () => ({ tracking: `file:${join(dir(), "mlruns")}`, registerModel: { name: "m" } }), /file store, which has no Model Registry/],
    ["no tracking", () => ({ tracking: false, registerModel: { name: "m" } }), /registerModel needs tracking/],
  ];
  it.each(early)("%s is refused before the first trial", async (_name, options, message) => {
    let calls = 0;
    const error = await failure(() => fmin({ fn: (p) => (calls++, p.x), space, maxEvals: 2, ...quiet, ...options() }));
    expect(String(error)).toMatch(message);
    expect(calls).toBe(0);
    expect(existsSync(join(dir(), "mlruns", "0", "meta.yaml"))).toBe(false);
  });

  it("a model name refused before the search names the option", async () => {
    const error = await failure(() => fmin({ fn: (p) => p.x, space, maxEvals: 1, tracking: `sqlite:///${join(dir(), "m.db")}`, registerModel: { name: "" }, ...quiet }));
    expect(String(error)).toMatch(/registerModel/);
    const named = await failure(() => new MlflowClient(`sqlite:///${join(dir(), "m.db")}`).registerModel("/x", "a/b"));
    expect(named).toBeInstanceOf(TrackingValidationError);
  });
});

describe("registerModel with a tracking server", () => {
  it("uploads the folder, writes MLmodel, creates the model, the version (source run = best child) and the alias over REST", async () => {
    server = await new MlflowTestServer().start();
    const result = await fmin({
      fn: savingObjective(dir()),
      space,
      maxEvals: 4,
      tracking: server.url,
      experiment: "rest",
      registerModel: { name: "served", alias: "champion", tags: { k: "v" } },
      ...quiet,
    });
    const best = [...server.runs.values()].find((r) => r.tags.get("hyperopt.tid") === String(result.bestTrial.tid));
    const model = server.registry.models.get("served");
    expect(model?.versions).toEqual([
      expect.objectContaining({ version: "1", run_id: best?.info.run_id, source: `${best?.info.artifact_uri}/model`, tags: [{ key: "k", value: "v" }] }),
    ]);
    expect(model?.aliases.get("champion")).toBe("1");
    const prefix = `${best?.info.experiment_id}/${best?.info.run_id}/artifacts/model`;
    expect([...server.artifacts.keys()].filter((k) => k.startsWith(prefix)).sort()).toEqual([`${prefix}/MLmodel`, `${prefix}/data/notes.txt`, `${prefix}/weights.json`]);
    const client = new MlflowClient(server.url);
    expect(await client.getModelVersionByAlias("served", "champion")).toMatchObject({ version: "1", aliases: ["champion"] });
    expect((await client.searchModelVersions("served")).map((v) => v.version)).toEqual(["1"]);
    await client.close();
  });
});
