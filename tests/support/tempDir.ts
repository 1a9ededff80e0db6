import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, onTestFinished } from "vitest";

/**
 * A new folder under the system's temporary folder, removed with everything in it when the
 * current test ends, whether it passed or failed. Call it inside a test (or a function a test calls).
 */
export function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `hyperopt-${name}-`));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A fresh `tempDir` for each test of the file, removed after it; `dir()` gives the current test's.
 * It is also the working directory while the test runs, so that what a store writes beside the
 * working directory (MLflow's default artifact root `./mlruns`) lands in it and goes with it.
 */
export function useTempDir(name: string): () => string {
  let dir = "";
  beforeEach(() => {
    dir = tempDir(name);
    const cwd = process.cwd();
    process.chdir(dir);
    return () => process.chdir(cwd);
  });
  return () => dir;
}
