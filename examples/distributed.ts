/**
 * A search whose trials run on two worker processes through a Redis queue, in one command:
 * the driver (this process) keeps the history and the algorithm, the workers run the objective
 * (examples/ridge-objective.ts) on their own thread pools. Uses REDIS_URL when it is set, else
 * starts a redis-server of its own on a free loopback port (Debian: apt-get install redis-server).
 *
 *   npx tsx examples/distributed.ts [trials, default 24]
 *
 * Each worker is the command line's `worker` command (here run from the sources, src/cli/main.ts);
 * on other machines it is:
 *   npx hyperopt-ts worker examples/ridge-objective.ts --redis redis://host:6379 --queue ridge --parallelism 2
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { fmin, hp, QueueTrials, rand } from "../src/index.js";

const bin = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));
const objective = fileURLToPath(new URL("./ridge-objective.ts", import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Spawns a child and resolves once its output says `ready`. */
function start(command: string, args: string[], ready: string): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes(ready)) resolve(child);
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`${command} exited with ${code}: ${output}`)));
  });
}

async function main(): Promise<void> {
  const children: ChildProcess[] = [];
  try {
    let redis = process.env.REDIS_URL;
    if (redis === undefined) {
      const port = await freePort();
      children.push(await start("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], "Ready to accept connections"));
      redis = `redis://127.0.0.1:${port}`;
    }
    const queue = `ridge-${process.pid}`;
    for (let i = 0; i < 2; i++) {
      const args = [...process.execArgv, bin, "worker", objective, "--redis", redis, "--queue", queue, "--parallelism", "2", "--heartbeat", "5"];
      children.push(await start(process.execPath, args, "serving"));
    }
    const started = Date.now();
    const result = await fmin({
      fn: objective,
      space: {
        alpha: hp.loguniform("alpha", Math.log(1e-4), Math.log(10)),
        gamma: hp.loguniform("gamma", Math.log(1e-2), Math.log(20)),
      },
      algo: rand.suggest,
      maxEvals: Number(process.argv[2] ?? 24),
      seed: 7,
      trials: new QueueTrials({ redis, queue, parallelism: 4, timeout: 60 }),
      showProgressbar: false,
    });
    console.log(`best: alpha = ${result.bestParams.alpha.toExponential(2)}, gamma = ${result.bestParams.gamma.toFixed(3)}, RMSE ${result.bestLoss.toFixed(4)}`);
    console.log(`${result.trials.length} trials on 2 workers in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    for (const child of children.reverse()) child.kill("SIGTERM");
  }
}

await main();
