import { execFile, spawn } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { build as esbuild } from "esbuild";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { folderWith, TUTORIAL_CONFIG, TUTORIAL_OBJECTIVE } from "../support/cli.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const build = join(root, `.hyperopt-build-cli-${process.pid}`);
const bin = join(build, "cli", "main.js");
const tsx = join(root, "node_modules", ".bin", "tsx");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string; bin: Record<string, string> };

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function exec(file: string, args: string[], cwd = root): Promise<Exit> {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, { cwd, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const node = (...args: string[]) => exec(process.execPath, [bin, ...args]);
const nodeIn = (cwd: string, ...args: string[]) => exec(process.execPath, [bin, ...args], cwd);

describe("the hyperopt-ts bin", { timeout: 60_000 }, () => {
  // The sources compiled file by file as \`npm run build\` does (esbuild here: the same ESM output in a fraction of the time).
  beforeAll(async () => {
    const sources = readdirSync(join(root, "src"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
    await esbuild({ entryPoints: sources.map((f) => join(root, "src", f)), outdir: build, outbase: join(root, "src"), format: "esm", platform: "node", target: "node20", logLevel: "error" });
  }, 60_000);
  afterAll(() => rmSync(build, { recursive: true, force: true }));

  it("is package.json's bin, a node script, and prints the package's version", async () => {
    expect(pkg.bin).toEqual({ "hyperopt-ts": "dist/cli/main.js" });
    expect(readFileSync(bin, "utf8").split("\n")[0]).toBe("#!/usr/bin/env node");
    expect(await node("--version")).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: "" });
  });

  it("gives --help, and exits 2 on a bad command line", async () => {
    const help = await node("--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: hyperopt-ts [options] [command]");
    const r = await node("run", "x.yaml", "--max-evals", "0");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("expected a whole number >= 1");
  });

  it("runs the tutorials' config and reports on it, built and through tsx from the sources", async () => {
    const dir = folderWith({ "config.yaml": TUTORIAL_CONFIG, "objective.mjs": TUTORIAL_OBJECTIVE });
    const save = join(dir, "search.jsonl");
    const built = await nodeIn(dir, "run", join(dir, "config.yaml"), "--objective", join(dir, "objective.mjs"), "--trials-save-file", save);
    expect(built.code).toBe(0);
    expect(built.stdout).toMatch(/^best loss: 0\.16 /);
    const fromSource = await exec(tsx, [join(root, "src", "cli", "main.ts"), "report", save, "-o", join(dir, "report.html")]);
    expect(fromSource).toMatchObject({ code: 0, stdout: `wrote ${join(dir, "report.html")} (8 trials)\n` });
  });

  it("exits 130 on SIGINT, keeping the trials that finished", async () => {
    const dir = folderWith({
      "search.yaml": "objective: ./slow.mjs\ngrid: { x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }\ntrialsSaveFile: search.jsonl\n",
      "slow.mjs": "export default (p, ctx) => new Promise((resolve) => { const t = setTimeout(() => resolve(p.x), 300); ctx.signal.addEventListener('abort', () => { clearTimeout(t); resolve(p.x); }); });\n",
    });
    const child = spawn(process.execPath, [bin, "run", join(dir, "search.yaml")], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let sent = false;
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
      if (!sent && stderr.includes("trial 1 ")) sent = child.kill("SIGINT");
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(130);
    expect(stderr).toContain("SIGINT: stopping the search");
    expect(stdout).toMatch(/^best loss: 1 \(trial 0; \d+ trials, \d+ failed; stopped: cancelled\)/);
    const saved = readFileSync(join(dir, "search.jsonl"), "utf8").trim().split("\n").slice(1);
    expect(saved.length).toBeGreaterThanOrEqual(2);
    expect(saved.length).toBeLessThan(10);
  });
});
