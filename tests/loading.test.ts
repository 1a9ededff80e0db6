import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { hp } from "../src/space/hp.js";
import { spaceToJSON } from "../src/space/json.js";
import { SaveFile } from "../src/trials/saveFile.js";
import { Trials } from "../src/trials/trials.js";
import { tsxImport } from "./support/processes.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "hyperopt-loading-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WATCHED = ["bullmq", "ioredis", "undici", "piscina", "better-sqlite3", "yaml", "csv-stringify"];

/** Runs a TypeScript file in a fresh node process that records what it loads; returns its output and the log of what it loaded. */
function runRecorded(file: string, args: readonly string[] = []): { output: string; log: string } {
  const log = join(dir, "resolved.log");
  writeFileSync(log, "");
  const env: NodeJS.ProcessEnv = { ...process.env, RESOLVED_LOG: log };
  delete env.MLFLOW_TRACKING_URI;
  const output = execFileSync(process.execPath, ["--import", tsxImport, "--import", fixture("recordResolved.mjs"), file, ...args], { cwd: dir, env, encoding: "utf8" });
  return { output, log: readFileSync(log, "utf8") };
}

/** What each step of a loading driver added to what was loaded before it (from its lines "<step> <JSON list>"). */
function addedPerStep(driver: string, args: readonly string[] = []): Map<string, string[]> {
  const { output } = runRecorded(fixture(driver), args);
  const added = new Map<string, string[]>();
  let before: string[] = [];
  for (const line of output.trim().split("\n").filter((l) => /^\w+ \[.*\]$/.test(l))) {
    const [step, list] = [line.slice(0, line.indexOf(" ")), JSON.parse(line.slice(line.indexOf(" ") + 1)) as string[]];
    added.set(step, list.filter((name) => !before.includes(name)));
    before = list;
  }
  return added;
}

describe("what a fresh process loads", { timeout: 30_000 }, () => {
  it("loads each heavy dependency, and the tracking code, only when its feature is first used", () => {
    expect(Object.fromEntries(addedPerStep("loadingDriver.ts"))).toEqual({
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

  it("loads csv-stringify only when the export command writes CSV", () => {
    const history = new Trials([{ tid: 0, status: "ok", assignment: { x: 0.5 }, params: {}, loss: 0.25, startTime: 1, endTime: 2, metrics: [] }]);
    history.space = spaceToJSON({ x: hp.uniform("x", 0, 1) });
    const saveFile = join(dir, "search.jsonl");
    new SaveFile(saveFile).writeAll(history);
    const added = addedPerStep("cliLoadingDriver.ts", [saveFile]);
    expect([...added.keys()]).toEqual(["import", "report", "exportJson", "exportCsv"]);
    expect(added.get("import")).toContain("commander");
    for (const step of ["import", "report", "exportJson"]) expect(added.get(step)).not.toContain("csv-stringify");
    expect(added.get("exportCsv")).toEqual(["csv-stringify"]);
  });
});
