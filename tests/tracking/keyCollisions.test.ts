import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fmin, hp } from "../../src/index.js";
import { MlflowClient } from "../../src/tracking/index.js";
import { RecordedKeys } from "../../src/tracking/recordedKeys.js";
import { useTempDir } from "../support/tempDir.js";

const dir = useTempDir("keys");

describe("keys rewritten for MLflow", () => {
  it("never record two different keys under one: the later one gets a suffix and the warning names both", () => {
    const warnings: string[] = [];
    const keys = new RecordedKeys((m) => warnings.push(m));
    expect(keys.of("k/./x")).toBe("k/_/x");
    expect(keys.of("k//x")).toBe("k/_/x_2");
    expect(keys.of("k/_/x")).toBe("k/_/x_3");
    expect(keys.of("k//x")).toBe("k/_/x_2");
    expect(keys.of("fine")).toBe("fine");
    expect(warnings).toEqual([
      'key "k/./x" is not a valid MLflow key; recorded as "k/_/x"',
      'keys "k/./x" and "k//x" would both be recorded as "k/_/x"; "k//x" is recorded as "k/_/x_2"',
      'keys "k/./x" and "k/_/x" would both be recorded as "k/_/x"; "k/_/x" is recorded as "k/_/x_3"',
    ]);
  });

  it("keep both values of a trial's params whose keys rewrite to the same key", async () => {
    const uri = `sqlite:///${join(dir(), "mlflow.db")}`;
    const space = { "k/./x": hp.uniform("a", 0, 1), "k//x": hp.uniform("b", 2, 3) };
    const result = await fmin({ fn: () => 1, space, maxEvals: 1, tracking: uri, experiment: "keys", showProgressbar: false, handleSignals: false });
    const client = new MlflowClient(uri);
    const runs = await client.searchRuns({ experimentIds: [(await client.experimentId("keys")) as string] });
    await client.close();
    const child = runs.find((r) => r.data.tags["mlflow.parentRunId"] !== undefined);
    expect(child?.data.params["k/_/x"]).toBe(String(result.bestParams["k/./x"]));
    expect(child?.data.params["k/_/x_2"]).toBe(String(result.bestParams["k//x"]));
  });
});
