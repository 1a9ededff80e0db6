import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { tsxImport } from "../support/processes.js";

const dir = mkdtempSync(join(tmpdir(), "hyperopt-sqlite-addon-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const preload = fileURLToPath(new URL("../fixtures/noSqliteAddon.cjs", import.meta.url));
const entry = new URL("../../src/index.ts", import.meta.url).href;

describe("SQLite tracking without better-sqlite3's native module", { timeout: 30_000 }, () => {
  it("fails before the first trial with an error that says how to build it, not one that blames the tracking URI", () => {
    const script = `
      import { fmin, hp } from ${JSON.stringify(entry)};
      let calls = 0;
      try {
        await fmin({ fn: () => ++calls, space: { x: hp.uniform("x", 0, 1) }, maxEvals: 3, tracking: "sqlite:///mlflow.db", showProgressbar: false });
        console.log(JSON.stringify({ resolved: true }));
      } catch (error) {
        console.log(JSON.stringify({ name: error.name, errorCode: error.errorCode, message: error.message, calls }));
      }`;
    const output = execFileSync(process.execPath, ["--require", preload, "--import", tsxImport, "--input-type=module", "-e", script], { cwd: dir, encoding: "utf8" });
    const got = JSON.parse(output.trim().split("\n").at(-1) as string) as { name: string; errorCode: string; message: string; calls: number };
    expect(got.name).toBe("MlflowError");
    expect(got.errorCode).toBe("INTERNAL_ERROR");
    expect(got.calls).toBe(0);
    expect(got.message).toContain("better-sqlite3's native module did not load");
    expect(got.message).toContain("Could not locate the bindings file");
    expect(got.message).toContain("npm rebuild better-sqlite3");
    expect(got.message).toContain('"allowScripts": { "better-sqlite3": true }');
    expect(existsSync(join(dir, "mlflow.db"))).toBe(false);
  });
});
