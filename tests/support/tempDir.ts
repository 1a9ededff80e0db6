import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, onTestFinished } from "vitest";

/**
 * A new folder under the system's temporary folder, removed with everything in it when the
 * current test ends, whether it passed or failed. Call it inside a test (or a function a test calls).
 * The removal retries while files still appear in it: an SQLite store's writer thread stores a
 * search's report.html just after fmin resolves (docs/tracking.md).
 */
export function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `hyperopt-${name}-`));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 }));
  return dir;
}

/**
 * A fresh `tempDir` for each test of the file, also its working directory while it runs (MLflow puts a local
 * database's artifacts under `./mlruns`), removed after it; `dir()` gives the current test's.
 */
export function useTempDir(name: string): () => string {
  let dir = "";
  beforeEach(() => {
    const previous = process.cwd();
    dir = tempDir(name);
    process.chdir(dir);
    onTestFinished(() => process.chdir(previous));
  });
  return () => dir;
}
