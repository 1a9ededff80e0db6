import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliIn, folderWith } from "../../support/cli.js";
import { spawnTs } from "../../support/processes.js";
import { RedisServer } from "../../support/redisServer.js";

/** A CA and a certificate for localhost and 127.0.0.1 signed by it, made with openssl in `dir`. */
function certificates(dir: string): { certFile: string; keyFile: string; caFile: string } {
  const at = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => void execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
  openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=hyperopt-ts test CA");
  openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
  writeFileSync(at("san.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "san.cnf");
  return { certFile: at("server.crt"), keyFile: at("server.key"), caFile: at("ca.crt") };
}

const PASSWORD = "s3cret-tls";
const certificateDir = mkdtempSync(join(tmpdir(), "hyperopt-redis-tls-"));
let redis: RedisServer;
let caFile: string;

beforeAll(async () => {
  const tls = certificates(certificateDir);
  caFile = tls.caFile;
  redis = await RedisServer.start({ tls, password: PASSWORD });
});
afterAll(async () => {
  await redis.stop();
  rmSync(certificateDir, { recursive: true, force: true });
});

function searchFolder(queue: string): string {
  return folderWith({
    "objective.mjs": "export default (p) => (p.x - 1) ** 2;\n",
    "search.yaml": `objective: ./objective.mjs\nspace: { x: { dist: uniform, label: x, low: -2, high: 2 } }\nalgo: rand\nmaxEvals: 4\nseed: 4\nparallelism: 2\ntracking: false\ntrialsSaveFile: search.jsonl\nqueue: { redis: "${redis.url}", name: ${queue}, heartbeat: 1 }\n`,
  });
}

describe("a queue on a Redis server that speaks TLS only (rediss://)", { timeout: 60_000 }, () => {
  it("runs a search's trials on a worker, each process checking the server's certificate against the CA in NODE_EXTRA_CA_CERTS", async () => {
    const dir = searchFolder("tls-queue");
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: caFile };
    const worker = spawnTs("../src/cli/main.ts", ["worker", join(dir, "objective.mjs"), "--redis", redis.url, "--queue", "tls-queue", "--heartbeat", "1"], { env });
    try {
      const driver = spawnTs("../src/cli/main.ts", ["run", join(dir, "search.yaml")], { cwd: dir, env });
      expect(await driver.exited, driver.output()).toBe(0);
      const saved = readFileSync(join(dir, "search.jsonl"), "utf8").trim().split("\n").slice(1).map((line) => JSON.parse(line) as { status: string });
      expect(saved.map((t) => t.status)).toEqual(["ok", "ok", "ok", "ok"]);
      expect(worker.output()).not.toContain(PASSWORD);
    } finally {
      worker.child.kill("SIGINT");
      await worker.exited;
    }
  });

  it("refuses a server whose certificate it cannot verify, in one line that names the server without its password", async () => {
    const dir = searchFolder("untrusted");
    const r = await cliIn(dir, "run", join(dir, "search.yaml"));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^hyperopt-ts: the Redis server at rediss:\/\/:\*\*\*@localhost:\d+ cannot be reached: self[- ]signed certificate in certificate chain\n$/);
    expect(r.stderr).not.toContain(PASSWORD);
  });
});
