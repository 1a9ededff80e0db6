import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { fmin, hp } from "../../src/index.js";
import { MlflowClient } from "../../src/tracking/mlflow/client.js";
import { useTempDir } from "../support/tempDir.js";

const driver = fileURLToPath(new URL("../fixtures/sqliteSearchDriver.ts", import.meta.url));
const tsx = new URL("node_modules/tsx/dist/loader.mjs", new URL("../../", import.meta.url)).href;
const dir = useTempDir("sqlite-conc");

function runDriver(uri: string, runName: string, maxEvals: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ["--import", tsx, driver, uri, runName, String(maxEvals)], { cwd: dir(), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("close", (code) => done({ code, stdout, stderr }));
  });
}

describe("several processes recording into one SQLite database", () => {
  it("lose nothing and never fail on a lock, while a reader polls the database", async () => {
    const uri = `sqlite:///${join(dir(), "mlflow.db")}`;
    const searches = ["a", "b", "c"];
    const maxEvals = 40;
    const reader = new MlflowClient(uri);
    let polling = true;
    let polls = 0;
    const poll = (async () => {
      while (polling) {
        const id = await reader.experimentId("concurrent");
        if (id !== undefined) await reader.searchRuns({ experimentIds: [id], orderBy: ["metrics.loss ASC"] });
        polls++;
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const results = await Promise.all(searches.map((name) => runDriver(uri, name, maxEvals)));
    polling = false;
    await poll;
    for (const result of results) {
      expect(result.stderr).not.toMatch(/locked|dropped|not recorded|not stored/);
      expect(result.stdout).toBe(`done ${maxEvals}\n`);
      expect(result.code).toBe(0);
    }
    expect(polls).toBeGreaterThan(0);
    const experimentId = (await reader.experimentId("concurrent")) as string;
    const runs = await reader.searchRuns({ experimentIds: [experimentId] });
    await reader.close();
    for (const name of searches) {
      const parent = runs.find((r) => r.info.runName === name);
      expect(parent?.info.status).toBe("FINISHED");
      const children = runs.filter((r) => r.data.tags["mlflow.parentRunId"] === parent?.info.runId);
      expect(children).toHaveLength(maxEvals);
      expect(children.every((c) => c.info.status === "FINISHED" && typeof c.data.metrics.loss === "number")).toBe(true);
    }
  }, 90_000);

  it("delays records while another connection holds the write lock longer than the busy timeout, and drops none", async () => {
    const path = join(dir(), "mlflow.db");
    const uri = `sqlite:///${path}`;
    await new MlflowClient(uri).close();
    const blocker = new Database(path);
    const warnings: string[] = [];
    const stderrWrite = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => (warnings.push(String(chunk)), true)) as typeof process.stderr.write;
    let trialsWhileLocked = 0;
    try {
      blocker.exec("BEGIN IMMEDIATE");
      setTimeout(() => blocker.exec("COMMIT"), 3500);
      const result = await fmin({
        fn: async (p) => {
          await new Promise((r) => setTimeout(r, 5));
          if (blocker.inTransaction) trialsWhileLocked++;
          return p.x ** 2;
        },
        space: { x: hp.uniform("x", -1, 1) },
        maxEvals: 200,
        tracking: uri,
        experiment: "locked",
        showProgressbar: false,
        handleSignals: false,
      });
      expect(result.trials.length).toBe(200);
    } finally {
      process.stderr.write = stderrWrite;
      if (blocker.inTransaction) blocker.exec("COMMIT");
      blocker.close();
    }
    expect(trialsWhileLocked).toBeGreaterThan(50);
    expect(warnings.join("")).toMatch(/is locked by another process .*records wait and are stored once it is free/);
    expect(warnings.join("")).not.toMatch(/dropped|not stored/);
    const client = new MlflowClient(uri);
    const experimentId = (await client.experimentId("locked")) as string;
    const runs = await client.searchRuns({ experimentIds: [experimentId] });
    await client.close();
    expect(runs.filter((r) => r.data.tags["mlflow.parentRunId"] !== undefined)).toHaveLength(200);
    expect(runs.find((r) => r.data.tags["mlflow.parentRunId"] === undefined)?.info.status).toBe("FINISHED");
  }, 30_000);
});
