import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { fmin, hp, type Trial } from "../../src/index.js";
import { tempDir } from "../support/tempDir.js";
import { tsxImport } from "../support/processes.js";

const driver = fileURLToPath(new URL("../fixtures/signalDriver.ts", import.meta.url));
const root = fileURLToPath(new URL("../..", import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  saved: Trial[];
}

/** Runs the driver in a child process, sends it `signals` (one at a time) once a slow trial runs. */
function runDriver(exportName: string, signals: NodeJS.Signals[]): Promise<Run> {
  const saveFile = join(tempDir("signals"), "trials.jsonl");
  const child = spawn(process.execPath, ["--import", tsxImport, driver, saveFile, exportName], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const pending = [...signals];
  const sendNext = (): void => {
    const signal = pending.shift();
    if (signal !== undefined) child.kill(signal);
  };
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.includes("running\n") && pending.length === signals.length) sendNext();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    if (stderr.includes("send it again to exit at once")) sendNext();
  });
  return new Promise((resolve) => {
    child.on("exit", (code) => {
      const lines = readFileSync(saveFile, "utf8").trim().split("\n").slice(1);
      resolve({ code, stdout, stderr, saved: lines.map((l) => JSON.parse(l) as Trial) });
    });
  });
}

describe("fmin and signals", { timeout: 30_000 }, () => {
  it("on SIGINT cancels the running trials, saves the history, flushes the tracker and exits cleanly", async () => {
    const run = await runDriver("startsSlowAfterFirst", ["SIGINT"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("stopped cancelled");
    expect(run.stdout).toContain(`tracker killed ${run.saved.length}\n`);
    expect(run.stderr).toMatch(/SIGINT: stopping the search, cancelling \d running trial/);
    expect(run.saved.find((t) => t.tid === 0)?.status).toBe("ok");
    const rest = run.saved.filter((t) => t.tid > 0);
    expect(rest.length).toBeGreaterThan(0);
    expect(rest.map((t) => t.status)).toEqual(rest.map(() => "cancelled"));
  });

  it("on SIGTERM does the same", async () => {
    const run = await runDriver("startsSlowAfterFirst", ["SIGTERM"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("stopped cancelled");
  });

  it("exits at once with code 130 on a second SIGINT, keeping the trials saved so far", async () => {
    const run = await runDriver("startsSpinningAfterFirst", ["SIGINT", "SIGINT"]);
    expect(run.code).toBe(130);
    expect(run.stdout).not.toContain("stopped");
    expect(run.saved.map((t) => [t.tid, t.status])).toEqual([[0, "ok"]]);
  });

  it("installs its handlers for the search's duration only", async () => {
    const before = [process.listenerCount("SIGINT"), process.listenerCount("SIGTERM")];
    let during: number[] = [];
    await fmin({
      fn: () => {
        during = [process.listenerCount("SIGINT"), process.listenerCount("SIGTERM")];
        return 1;
      },
      space: { x: hp.uniform("x", 0, 1) },
      maxEvals: 1,
      showProgressbar: false,
    });
    expect(during).toEqual(before.map((n) => n + 1));
    expect([process.listenerCount("SIGINT"), process.listenerCount("SIGTERM")]).toEqual(before);
    await fmin({ fn: () => 1, space: { x: hp.uniform("x", 0, 1) }, maxEvals: 1, showProgressbar: false, handleSignals: false });
  });
});
