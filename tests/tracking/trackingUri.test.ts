import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { inspect } from "node:util";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import { fmin, hp } from "../../src/index.js";
import { MlflowClient } from "../../src/tracking/mlflow/client.js";
import { TrackingValidationError } from "../../src/tracking/mlflow/errors.js";
import { defaultTrackingUri, parseTrackingUri, trackingUriOf } from "../../src/tracking/mlflow/trackingUri.js";
import { useTempDir } from "../support/tempDir.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/mlflow/", import.meta.url));
const space = { x: hp.uniform("x", -1, 1) };
const quiet = { showProgressbar: false, handleSignals: false } as const;
const dir = useTempDir("uri");

afterEach(() => {
  vi.unstubAllEnvs();
});

/** Everything an error holds, its causes included, as text. */
function everything(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error; e !== undefined && e !== null; e = (e as { cause?: unknown }).cause) {
    parts.push(inspect(e, { depth: null, showHidden: true }), JSON.stringify(e), String(e));
    if (typeof e !== "object") break;
  }
  return parts.join("\n");
}

async function refusal(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error("expected a refusal");
}

describe("tracking URIs", () => {
  it("reads sqlite:///relative.db against the working directory and sqlite:////abs.db as absolute", () => {
    expect(parseTrackingUri("sqlite:///mlflow.db")).toEqual({ kind: "sqlite", path: resolve("mlflow.db") });
    expect(parseTrackingUri("sqlite:////srv/x/mlflow.db")).toEqual({ kind: "sqlite", path: "/srv/x/mlflow.db" });
    expect(() => parseTrackingUri("sqlite://")).toThrow(/must name a database file/);
    expect(() => parseTrackingUri("sqlite:///:memory:")).toThrow(/must name a database file/);
  });

  it.each(["databricks", "databricks://profile", "databricks-uc"])("refuses %s, naming it, instead of making a folder", (uri) => {
    expect(() => parseTrackingUri(uri)).toThrow(TrackingValidationError);
    expect(() => parseTrackingUri(uri)).toThrow(new RegExp(`"${uri}" is Databricks' hosted MLflow`));
  });

  it("refuses schemes it cannot serve, naming the scheme without the credentials", () => {
    const error = (() => {
      try {
        return parseTrackingUri("postgresql://ann:s3cr3t@db.internal/mlflow");
      } catch (e) {
        return e;
      }
    })();
    expect(String(error)).toMatch(/"postgresql:\/\/db.internal\/mlflow" has the scheme "postgresql:"/);
    expect(everything(error)).not.toContain("s3cr3t");
  });

  const malformed = ["http://user:s3cr3t@127.0.0.1:notaport", "http://user:s3cr3t@127.0.0.1:99999", "https://user:s3cr3t@[::1"];
  it.each(malformed)("refuses the malformed %s with its own error that holds no password (option, env var, client)", async (uri) => {
    const viaOption = await refusal(() => fmin({ fn: (p) => p.x, space, maxEvals: 1, tracking: uri, ...quiet }));
    vi.stubEnv("MLFLOW_TRACKING_URI", uri);
    const viaEnv = await refusal(() => fmin({ fn: (p) => p.x, space, maxEvals: 1, ...quiet }));
    const viaClient = await refusal(() => new MlflowClient(uri));
    for (const error of [viaOption, viaEnv, viaClient]) {
      expect(error).toBeInstanceOf(TrackingValidationError);
      expect(String(error)).toMatch(/is not a valid http\(s\) URL/);
      expect(everything(error)).not.toContain("s3cr3t");
    }
  });
});

describe("where tracking goes when not told", () => {
  it("is ./mlflow.db, unless ./mlruns holds a file store (a numeric folder with meta.yaml)", () => {
    expect(defaultTrackingUri(dir())).toBe(`sqlite:///${join(dir(), "mlflow.db")}`);
    mkdirSync(join(dir(), "mlruns", ".trash"), { recursive: true });
    mkdirSync(join(dir(), "mlruns", "0"));
    expect(defaultTrackingUri(dir())).toBe(`sqlite:///${join(dir(), "mlflow.db")}`);
    writeFileSync(join(dir(), "mlruns", "0", "meta.yaml"), "name: Default\n");
    expect(defaultTrackingUri(dir())).toBe(pathToFileURL(join(dir(), "mlruns")).href);
  });

  it("tracking: false is off even with MLFLOW_TRACKING_URI; true takes the variable, else the default", () => {
    const env = { MLFLOW_TRACKING_URI: "http://mlflow:5000" };
    expect(trackingUriOf(false, env, dir())).toBeUndefined();
    expect(trackingUriOf(true, env, dir())).toBe("http://mlflow:5000");
    expect(trackingUriOf(true, {}, dir())).toBe(`sqlite:///${join(dir(), "mlflow.db")}`);
    expect(trackingUriOf(undefined, {}, dir())).toBeUndefined();
    expect(trackingUriOf(undefined, env, dir())).toBe("http://mlflow:5000");
  });

  it("fmin with tracking: false records nothing although MLFLOW_TRACKING_URI names a store", async () => {
    vi.stubEnv("MLFLOW_TRACKING_URI", `sqlite:///${join(dir(), "env.db")}`);
    await fmin({ fn: (p) => p.x, space, maxEvals: 2, tracking: false, ...quiet });
    expect(() => new Database(join(dir(), "env.db"), { fileMustExist: true })).toThrow();
  });
});

describe("an SQLite tracking URI fmin cannot use", () => {
  const cases: Array<[string, () => string, RegExp]> = [
    ["a file that is not SQLite", () => (writeFileSync(join(dir(), "notes.db"), "x".repeat(4096)), "notes.db"), /is not an SQLite database/],
    ["a database that is not MLflow's", () => (new Database(join(dir(), "other.db")).exec("CREATE TABLE t (a)"), "other.db"), /not MLflow's: it has no "experiments"/],
    ["a read-only file", () => (copyFileSync(join(FIXTURES, "empty-3.6.db"), join(dir(), "ro.db")), chmodSync(join(dir(), "ro.db"), 0o444), "ro.db"), /is read-only/],
    ["a missing folder", () => "missing/mlflow.db", /the folder ".*missing" does not exist/],
  ];
  it.each(cases)("is refused before the first trial, naming the URI: %s", async (_name, make, problem) => {
    const uri = `sqlite:///${join(dir(), make())}`;
    let calls = 0;
    const error = await refusal(() => fmin({ fn: (p) => (calls++, p.x), space, maxEvals: 3, tracking: uri, ...quiet }));
    expect(error).toBeInstanceOf(TrackingValidationError);
    expect(String(error)).toContain(`tracking URI ${uri}: `);
    expect(String(error)).toMatch(problem);
    expect(calls).toBe(0);
  });
});
