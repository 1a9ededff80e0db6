import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** tsx's loader as a file URL, for `node --import`: a process started in a temporary folder finds it too. */
export const tsxImport = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

export interface Spawned {
  child: ChildProcess;
  output(): string;
  /** Resolves once the output holds `text`. */
  waitFor(text: string): Promise<void>;
  exited: Promise<number | null>;
}

/**
 * Runs a TypeScript file of the repository (a path relative to tests/) in a node process with tsx, collecting stdout
 * and stderr together; in the repository's folder and with this process's environment unless given others.
 */
export function spawnTs(file: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Spawned {
  const child = spawn(process.execPath, ["--import", tsxImport, fileURLToPath(new URL(file, new URL("../", import.meta.url))), ...args], {
    cwd: options.cwd ?? root,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const waiters: { text: string; resolve: () => void }[] = [];
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
    for (const w of waiters.filter((w) => output.includes(w.text))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    output: () => output,
    waitFor: (text) => (output.includes(text) ? Promise.resolve() : new Promise((resolve) => waiters.push({ text, resolve }))),
    exited,
  };
}
