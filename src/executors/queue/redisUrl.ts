import type { RedisOptions } from "bullmq";

/** A Redis URL with its password (and a user's secret, if any) replaced by `***`, safe to print. */
export function redactRedisUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@]*?:)[^/@]*@/i, "$1***@").replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/@:]+)@/i, "$1***@");
}

/**
 * Why `url` is not a Redis URL the queue can use (`redis://[user:password@]host[:port][/db]`, or
 * `rediss://` for TLS), or undefined when it is.
 */
export function redisUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "not a URL";
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") return `scheme ${parsed.protocol} is neither redis: nor rediss:`;
  if (parsed.hostname === "") return "no host";
  const db = parsed.pathname.replace(/^\//, "");
  if (db !== "" && !/^\d+$/.test(db)) return `database "${db}" is not a number`;
  return undefined;
}

/** ioredis options for a URL `redisUrlProblem` accepts; commands wait across reconnections. */
export function redisOptions(url: string): RedisOptions {
  const parsed = new URL(url);
  const db = parsed.pathname.replace(/^\//, "");
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: parsed.port === "" ? 6379 : Number(parsed.port),
    ...(parsed.username === "" ? {} : { username: decodeURIComponent(parsed.username) }),
    ...(parsed.password === "" ? {} : { password: decodeURIComponent(parsed.password) }),
    ...(db === "" ? {} : { db: Number(db) }),
    ...(parsed.protocol === "rediss:" ? { tls: { servername: parsed.hostname } } : {}),
    maxRetriesPerRequest: null,
    retryStrategy: (attempt: number) => Math.min(attempt * 100, 2000),
  };
}

/** Redis could not be reached, or refused us; the URL in the message has no password. */
export class QueueConnectionError extends Error {
  constructor(readonly url: string, reason: string) {
    super(`the Redis server at ${url} cannot be reached: ${reason}`);
    this.name = "QueueConnectionError";
  }
}

/** Connects once and pings, within `seconds`; throws a QueueConnectionError naming the redacted URL otherwise. */
export async function checkRedis(url: string, seconds: number): Promise<void> {
  const { Redis } = await import("ioredis");
  const client = new Redis({ ...redisOptions(url), lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: seconds * 1000 });
  let lastError: unknown;
  client.on("error", (error: unknown) => {
    lastError = error;
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${seconds} s`)), seconds * 1000);
  });
  try {
    await Promise.race([client.connect().then(() => client.ping()), deadline]);
  } catch (error) {
    const cause = lastError ?? error;
    throw new QueueConnectionError(redactRedisUrl(url), redactRedisUrl(cause instanceof Error ? cause.message : String(cause)));
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}
