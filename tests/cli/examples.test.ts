import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { cli, folderWith } from "../support/cli.js";

const examples = fileURLToPath(new URL("../../examples/cli/", import.meta.url));
const example = (name: string): string => join(examples, name);

describe("the command-line examples run as the README says", () => {
  it("run: the tutorials' config.yaml as a grid, then search.yaml with TPE; report and export read the save file", async () => {
    const dir = folderWith({});
    const grid = await cli("run", example("config.yaml"), "--objective", example("objective.mjs"), "--trials-save-file", join(dir, "grid.jsonl"));
    expect(grid.code).toBe(0);
    expect(grid.stdout).toMatch(/^best loss: [\d.]+ \(trial \d+; 12 trials, 0 failed; stopped: exhausted\)/);

    const save = join(dir, "search.jsonl");
    const search = await cli("run", example("search.yaml"), "--trials-save-file", save, "--max-evals", "20");
    expect(search.code).toBe(0);
    expect(search.stdout).toContain('"optimizer": ');

    const report = await cli("report", save, "-o", join(dir, "report.html"));
    expect(report.code).toBe(0);
    expect(existsSync(join(dir, "report.html"))).toBe(true);

    const exported = await cli("export", save, "--format", "csv");
    const rows = parse(exported.stdout) as string[][];
    expect(rows[0]).toEqual(["tid", "status", "loss", "start", "seconds", "learning_rate", "batch_size", "optimizer", "epochs", "error"]);
    expect(rows).toHaveLength(21);
    expect(readFileSync(save, "utf8").split("\n")[0]).toContain('"seed":1');
  });

  it("bench: a small comparison prints its table", async () => {
    const r = await cli("bench", "--algorithms", "rand,tpe", "--problems", "branin", "--seeds", "3", "--budgets", "25,50");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("### Best observed loss after 50 evaluations");
  });
});
