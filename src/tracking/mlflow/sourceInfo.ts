import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { userInfo } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { KeyValue } from "./types.js";

/** The OS user name, as MLflow's client records it in `mlflow.user`. */
export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? "unknown";
  }
}

/** `git rev-parse HEAD` in `cwd`, or undefined outside a repository or without git. */
export function gitCommit(cwd: string = process.cwd()): Promise<string | undefined> {
  return new Promise((done) => {
    execFile("git", ["rev-parse", "HEAD"], { cwd, timeout: 5000 }, (error, stdout) => {
      const commit = String(stdout).trim();
      done(!error && /^[0-9a-f]{40,64}$/.test(commit) ? commit : undefined);
    });
  });
}

/** This library's version, from the nearest package.json named `hyperopt-ts` above this module. */
export async function libraryVersion(): Promise<string | undefined> {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const text = await readFile(join(dir, "package.json"), "utf8").catch(() => undefined);
    if (text !== undefined) {
      const pkg = JSON.parse(text) as { name?: unknown; version?: unknown };
      if (pkg.name === "hyperopt-ts" && typeof pkg.version === "string") return pkg.version;
    }
    const parent = resolve(dir, "..");
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The tags MLflow's own client sets on a run about where it came from, plus this library's version. */
export async function sourceTags(): Promise<KeyValue[]> {
  const [commit, version] = await Promise.all([gitCommit(), libraryVersion().catch(() => undefined)]);
  const tags: KeyValue[] = [{ key: "mlflow.source.type", value: "LOCAL" }];
  const entry = process.argv[1];
  if (entry) tags.push({ key: "mlflow.source.name", value: entry });
  if (commit) tags.push({ key: "mlflow.source.git.commit", value: commit });
  if (version) tags.push({ key: "hyperopt.version", value: version });
  return tags;
}
