import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { vi } from "vitest";
import { runCommandLine } from "../../src/cli/program.js";
import { tempDir } from "./tempDir.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `hyperopt-ts <args>` in this process, capturing what it writes, in `cwd` (default: a new
 * temporary folder, where MLflow's default store ./mlflow.db of a run goes).
 */
export async function cliIn(cwd: string, ...args: string[]): Promise<CliRun> {
  const before = process.cwd();
  process.chdir(cwd);
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    const code = await runCommandLine(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.chdir(before);
  }
}

/** Runs `hyperopt-ts <args>` in this process in a new temporary folder (see `cliIn`). */
export function cli(...args: string[]): Promise<CliRun> {
  return cliIn(tempDir("cli-cwd"), ...args);
}

/** A temporary folder holding `files` (name -> text), removed when the test ends. */
export function folderWith(files: Record<string, string>): string {
  const dir = tempDir("cli");
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** The tutorials' objective: the loss of a grid point of learning_rate, batch_size and optimizer. */
export const TUTORIAL_OBJECTIVE = `export default function objective(p) {
  return Math.abs(Math.log10(p.learning_rate) + 2) + (p.optimizer === "adam" ? 0 : 0.5) + p.batch_size / 100;
}
`;

/** The tutorials' config.yaml: every combination of the lists. */
export const TUTORIAL_CONFIG = `learning_rate: [0.01, 0.001]
batch_size: [16, 32]
optimizer: ['adam', 'sgd']
`;
