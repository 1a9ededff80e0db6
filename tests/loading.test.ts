import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "hyperopt-loading-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WATCHED = ["bullmq", "ioredis", "undici", "piscina", "better-sqlite3", "yaml"];

/** Runs a TypeScript file in a fresh node process that records what it loads; returns its output and the log of what it loaded. */
function runRecorded(file: string, args: readonly string[] = []): { output: string; log: string } {
  const log = join(dir, "resolved.log");
  writeFileSync(log, "");
  const env: NodeJS.ProcessEnv = { ...process.env, RESOLVED_LOG: log };
  delete env.MLFLOW_TRACKING_URI;
  const output = execFileSync(process.execPath, ["--import", "tsx", "--import", fixture("recordResolved.mjs"), file, ...args], { cwd: dir, env, encoding: "utf8" });
  return { output, log: readFileSync(log, "utf8") };
}

/** What each step of the loading driver added to what was loaded before it. */
function addedPerStep(): Map<string, string[]> {
  const { output } = runRecorded(fixture("loadingDriver.ts"));
  const added = new Map<string, string[]>();
  let before: string[] = [];
  for (const line of output.trim().split("\n")) {
    const [step, list] = [line.slice(0, line.indexOf(" ")), JSON.parse(line.slice(line.indexOf(" ") + 1)) as string[]];
    added.set(step, list.filter((name) => !before.includes(name)));
    before = list;
  }
  return added;
}

describe("what a fresh process loads", { timeout: 30_000 }, () => {
  it("loads each heavy dependency, and the tracking code, only when its feature is first used", () => {
    expect(Object.fromEntries(addedPerStep())).toEqual({
      import: [],
      untracked: [],
      sqlite: ["better-sqlite3", "tracker", "report"],
      file: ["yaml"],
      restUnused: [],
      rest: ["undici"],
      refused: [],
      workers: ["piscina"],
      queue: ["bullmq", "ioredis"],
    });
  });

  it("loads none of them for the command line's help", () => {
    const { output, log } = runRecorded(join(root, "src", "cli", "main.ts"), ["--help"]);
    expect(output).toContain("hyperopt-ts");
    expect(log).toContain("/node_modules/commander/");
    expect(WATCHED.filter((name) => log.includes(`/node_modules/${name}/`))).toEqual([]);
  });
});
