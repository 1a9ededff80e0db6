import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startQueueWorker, type QueueWorker } from "../../src/executors/queue/worker.js";
import { cli, folderWith } from "../support/cli.js";
import { RedisServer } from "../support/redisServer.js";

let redis: RedisServer;
let worker: QueueWorker | undefined;

beforeAll(async () => {
  redis = await RedisServer.start();
});
afterAll(async () => {
  await worker?.stop("hand-back");
  await redis.stop();
});

describe("hyperopt-ts run with a queue", { timeout: 30_000 }, () => {
  it("sends the trials to the queue's workers, and exits 2 on a bad queue setting", async () => {
    const dir = folderWith({
      "objective.mjs": "export default (p) => (p.x - 1) ** 2;\n",
      "search.yaml": `objective: ./objective.mjs\nspace: { x: { dist: uniform, label: x, low: -2, high: 2 } }\nalgo: rand\nmaxEvals: 6\nseed: 4\nparallelism: 2\ntrialsSaveFile: search.jsonl\nqueue: { redis: "${redis.url}", name: cli-queue, heartbeat: 1 }\n`,
    });
    worker = await startQueueWorker({ module: join(dir, "objective.mjs"), export: "default", redis: redis.url, queue: "cli-queue", parallelism: 2, heartbeat: 1 });
    const r = await cli("run", join(dir, "search.yaml"));
    expect(r.code).toBe(0);
    const saved = readFileSync(join(dir, "search.jsonl"), "utf8").trim().split("\n").slice(1).map((l) => JSON.parse(l) as { status: string });
    expect(saved.map((t) => t.status)).toEqual(["ok", "ok", "ok", "ok", "ok", "ok"]);

    const bad = folderWith({ "objective.mjs": "export default () => 0;\n", "search.yaml": "objective: ./objective.mjs\ngrid: { a: [1] }\nqueue:\n  redis: redis://127.0.0.1:6379\n  name: 'has space'\n" });
    const refused = await cli("run", join(bad, "search.yaml"));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/search\.yaml \(line 4\): queue: .*queue name without spaces/);
  });
});
