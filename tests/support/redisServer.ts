import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";

/** A free loopback port, as the system hands one out. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A real redis-server on a free loopback port, for one test file: started with `start()`,
 * stopped with `stop()` (its folder removed), restartable with its data when `appendonly` is on.
 */
export interface RedisServerOptions {
  appendonly?: boolean;
  password?: string;
  /** Serve TLS only (`rediss://localhost:<port>`), with this certificate and key, signed by the CA in `caFile`. */
  tls?: { certFile: string; keyFile: string; caFile: string };
}

export class RedisServer {
  private process: ChildProcess | undefined;
  private readonly dir = mkdtempSync(join(tmpdir(), "hyperopt-redis-"));

  private constructor(
    readonly port: number,
    private readonly appendonly: boolean,
    private readonly password: string | undefined,
    private readonly tls: RedisServerOptions["tls"],
  ) {}

  /** `appendonly`: keep the data across `restart()`; `password`: require it (`requirepass`); `tls`: TLS only. */
  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), options.appendonly ?? false, options.password, options.tls);
    await server.up();
    return server;
  }

  get url(): string {
    const auth = this.password === undefined ? "" : `:${this.password}@`;
    return this.tls === undefined ? `redis://${auth}127.0.0.1:${this.port}` : `rediss://${auth}localhost:${this.port}`;
  }

  private async up(): Promise<void> {
    const args = ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", this.appendonly ? "yes" : "no", "--dir", this.dir];
    if (this.tls !== undefined) {
      const { certFile, keyFile, caFile } = this.tls;
      args.splice(0, 2, "--port", "0", "--tls-port", String(this.port), "--tls-cert-file", certFile, "--tls-key-file", keyFile, "--tls-ca-cert-file", caFile, "--tls-auth-clients", "no");
    }
    if (this.password !== undefined) args.push("--requirepass", this.password);
    this.process = spawn("redis-server", args, { stdio: "ignore" });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const tls = this.tls === undefined ? {} : { tls: { ca: readFileSync(this.tls.caFile), servername: "localhost" } };
      const client = new Redis({ port: this.port, host: "127.0.0.1", password: this.password, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, ...tls });
      client.on("error", () => {});
      try {
        await client.connect();
        await client.ping();
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 50));
      } finally {
        client.disconnect();
      }
    }
  }

  /** Stops the server as a shutdown does (the append-only file is flushed). */
  async down(): Promise<void> {
    const child = this.process;
    if (child === undefined || child.exitCode !== null) return;
    await new Promise((resolve) => {
      child.once("exit", resolve);
      child.kill("SIGTERM");
    });
  }

  /** Freezes the server (SIGSTOP): connections stay open, commands get no answer until `thaw()`. */
  freeze(): void {
    this.process?.kill("SIGSTOP");
  }

  thaw(): void {
    this.process?.kill("SIGCONT");
  }

  async restart(): Promise<void> {
    await this.down();
    await this.up();
  }

  async stop(): Promise<void> {
    await this.down();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
