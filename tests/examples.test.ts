import { execFile } from "node:child_process";
import { readdirSync, realpathSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { tempDir } from "./support/tempDir.js";

const run = promisify(execFile);
const root = resolve(import.meta.dirname, "..");
const tsx = join(root, "node_modules", ".bin", "tsx");
const example = (name: string, args: string[] = [], cwd = root) => run(tsx, [join(root, "examples", name), ...args], { cwd, timeout: 60_000 });

describe("examples run as the README says", { timeout: 60_000 }, () => {
  it("quickstart searches its conditional space and prints the best parameters", async () => {
    const cwd = tempDir("quickstart");
    const { stdout } = await example("quickstart.ts", [], cwd);
    expect(stdout).toMatch(/best cross-validated MSE: \d+\.\d+ \(trial \d+ of 150\)/);
    expect(readdirSync(cwd)).toContain("mlflow.db");
    expect(stdout).toContain(`recorded in sqlite:///${join(realpathSync(cwd), "mlflow.db")}`);
    expect(stdout).toMatch(/best parameters: \{ scale: (true|false), model: \{ kind: '(ridge|knn)'/);
  });

  it("grid-config tries every combination once", async () => {
    const { stdout } = await example("grid-config.ts");
    expect(stdout).toMatch(/tried 24 combinations \(stopped: exhausted\)/);
  });

  it("resume continues the search from its save file", async () => {
    const cwd = tempDir("resume");
    expect((await example("resume.ts", ["10"], cwd)).stdout).toMatch(/started the search .*: 10 trials/);
    expect((await example("resume.ts", ["15"], cwd)).stdout).toMatch(/continued the search .*: 15 trials/);
  });
});
