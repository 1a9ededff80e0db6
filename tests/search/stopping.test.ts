import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { fmin, hp, rand } from "../../src/index.js";
import { tsxImport } from "../support/processes.js";

const space = { x: hp.uniform("x", 0, 1) };
const quiet = { showProgressbar: false, algo: rand.suggest } as const;

describe("stopping a search of synchronous trials", () => {
  it("ends at the timeout with stopReason timeout, without maxEvals", async () => {
    const started = Date.now();
    const r = await fmin({ fn: (p) => p.x, space, timeout: 0.3, ...quiet });
    expect(r.stopReason).toBe("timeout");
    expect(r.trials.length).toBeGreaterThan(1);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("ends when its AbortSignal aborts, within one trial", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    let afterAbort = 0;
    const r = await fmin({
      fn: (p) => {
        if (controller.signal.aborted) afterAbort++;
        return p.x;
      },
      space, signal: controller.signal, ...quiet,
    });
    expect(r.stopReason).toBe("cancelled");
    expect(afterAbort).toBeLessThanOrEqual(1);
  });

  it("ends on SIGINT and returns what it found", { timeout: 20_000 }, async () => {
    const driver = fileURLToPath(new URL("../fixtures/syncSearchDriver.ts", import.meta.url));
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const child = spawn(process.execPath, ["--import", tsxImport, driver], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let sent = false;
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!sent && stdout.includes("running\n")) {
        sent = true;
        child.kill("SIGINT");
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(0);
    expect(stderr).toContain("SIGINT: stopping the search");
    expect(stdout).toMatch(/stopped cancelled \d+\n/);
  });
});

describe("a timeout beyond setTimeout's 2^31 − 1 ms", () => {
  it.each([2_147_484, 30 * 86_400, 1e9])("timeout %d s does not end the search early", async (timeout) => {
    const r = await fmin({ fn: async (p) => new Promise<number>((done) => setTimeout(() => done(p.x), 5)), space, maxEvals: 5, timeout, ...quiet });
    expect(r.stopReason).toBe("maxEvals");
    expect(r.trials.length).toBe(5);
  });
});
