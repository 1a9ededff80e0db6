import { execFile } from "node:child_process";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../../..");

describe("examples/distributed.ts", () => {
  it("runs a search on two local worker processes through a redis-server it starts", async () => {
    const { stdout } = await promisify(execFile)(join(root, "node_modules", ".bin", "tsx"), [join(root, "examples", "distributed.ts"), "6"], { cwd: root, timeout: 60_000, env: { ...process.env, REDIS_URL: undefined } });
    expect(stdout).toMatch(/best: alpha = \S+, gamma = \S+, RMSE \d\.\d{4}/);
    expect(stdout).toMatch(/^6 trials on 2 workers in \d+\.\d s$/m);
  }, 60_000);
});
