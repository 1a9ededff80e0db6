import { expect } from "vitest";
import type { MlflowTestServer, StoredRun } from "./mlflowServer.js";
import { T0 } from "./searchFixture.js";

function only(server: MlflowTestServer, name: string): StoredRun {
  const runs = server.runsNamed(name);
  expect(runs, `runs named ${name}`).toHaveLength(1);
  return runs[0] as StoredRun;
}

/** The fixture search is on the server, every run, param, tag and metric exactly once. */
export function expectFixtureRecorded(server: MlflowTestServer, parentName = "search-1"): void {
  const parent = only(server, parentName);
  const parentId = parent.info.run_id;
  expect(parent.info.status).toBe("FINISHED");
  expect(parent.info.end_time).toBe(T0 + 7000);
  expect(parent.params.get("maxEvals")).toBe("3");
  expect(parent.params.get("best.model.C")).toBe("0.5");
  expect(parent.metrics.map((m) => `${m.key}=${m.value}`).sort()).toEqual(["best_loss=0.25", "n_failed=1", "n_trials=3"]);
  expect(server.artifacts.has(`${parent.info.experiment_id}/${parentId}/artifacts/trials.json`)).toBe(true);
  const children = [...server.runs.values()].filter((r) => r.tags.get("mlflow.parentRunId") === parentId);
  expect(children.map((c) => c.info.run_name).sort()).toEqual(["trial-0", "trial-1", "trial-2"]);
  const trial0 = only(server, "trial-0");
  expect(trial0.info.status).toBe("FINISHED");
  expect(trial0.metrics.map((m) => `${m.key}@${m.step}=${m.value}`).sort()).toEqual([
    "accuracy@0=0.9",
    "duration_s@0=2.5",
    "loss@0=0.5",
    "val_loss@0=0.8",
    "val_loss@1=0.6",
  ]);
  expect(Object.fromEntries(trial0.params)).toEqual({
    lr: "0.01",
    "model.kind": "svm",
    "model.C": "2.5",
    "layers.0": "8",
    "layers.1": "16",
    note: "first",
  });
  const trial1 = only(server, "trial-1");
  expect(trial1.info.status).toBe("FAILED");
  expect(trial1.tags.get("error.message")).toBe("diverged");
  expect(trial1.metrics.map((m) => m.key)).toEqual(["duration_s"]);
  expect(only(server, "trial-2").metrics.filter((m) => m.key === "loss")).toHaveLength(1);
}
