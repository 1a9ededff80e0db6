import { spawnSync } from "node:child_process";

/*
 * What the benchmarks that time fresh processes share: the built package they run (dist/, as an installed
 * hyperopt-ts runs), and one run of a benchmark script in a fresh node process, which times itself and prints JSON.
 */

/** Builds dist/ (`npm run build`). */
export function buildPackage(): void {
  const build = spawnSync("npm", ["run", "build"], { encoding: "utf8", cwd: new URL("..", import.meta.url).pathname });
  if (build.status !== 0) throw new Error(`npm run build failed: ${build.stdout}${build.stderr}`);
}

/** Runs benchmarks/`script` with `args` in a fresh `node` process (in `cwd`) and returns the JSON of its last line of output. */
export function runFresh<T>(script: string, args: string[], { node = process.execPath, cwd }: { node?: string; cwd?: string } = {}): T {
  const child = spawnSync(node, [new URL(`./${script}`, import.meta.url).pathname, ...args], { encoding: "utf8", ...(cwd === undefined ? {} : { cwd }) });
  if (child.status !== 0) throw new Error(`${script} failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split("\n").pop() as string) as T;
}
