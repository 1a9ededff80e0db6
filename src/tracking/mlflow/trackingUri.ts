import { existsSync, readdirSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { invalidTrackingArgument, TrackingValidationError } from "./errors.js";

export type ParsedUri = { kind: "file"; path: string } | { kind: "sqlite"; path: string } | { kind: "http"; url: URL };

const SERVED = "sqlite:///<path>.db, file:<path>, a folder path, or http(s)://host:port";

/** The URI without user, password or query (which may carry credentials); also for URIs that do not parse. */
export function redactUri(uri: string): string {
  try {
    const url = new URL(uri);
    url.username = "";
    url.password = "";
    url.search = "";
    return url.href;
  } catch {
    return uri.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/).*@/, "$1").replace(/\?.*$/, "");
  }
}

/** The error for a tracking URI: it names the URI without its credentials, in the message and as `received`. */
function refuse(uri: string, problem: string, expected: string): TrackingValidationError {
  const shown = redactUri(uri);
  return new TrackingValidationError("trackingUri", `tracking URI ${JSON.stringify(shown)} ${problem}`, expected, shown);
}

/** `sqlite:///relative.db` (against the working directory) or `sqlite:////abs/path.db`, as MLflow spells them. */
function sqlitePath(uri: string): string {
  const match = /^sqlite:\/\/\/(.*)$/i.exec(uri);
  const path = match?.[1]?.replace(/\?.*$/, "");
  if (path === undefined || path === "" || path === ":memory:") {
    throw refuse(uri, "must name a database file: sqlite:///<relative path>.db or sqlite:////<absolute path>.db", "sqlite:///<relative path>.db or sqlite:////<absolute path>.db");
  }
  return resolve(path);
}

function httpUrl(uri: string): URL {
  try {
    return new URL(uri);
  } catch {
    // Node's TypeError holds the whole input, password included: only the redacted URI goes into ours.
    throw refuse(uri, "is not a valid http(s) URL (check the host and the port, 1 to 65535)", "a valid http(s) URL");
  }
}

/**
 * `sqlite:///mlflow.db` selects MLflow's SQLite database; `file:./mlruns`, `file:///abs/mlruns` or a bare path the
 * file store; `http(s)://host:port` a tracking server. Anything else (`databricks`, `postgresql://`, ...) is refused,
 * naming the URI without its credentials.
 */
export function parseTrackingUri(uri: string): ParsedUri {
  if (typeof uri !== "string" || uri.trim() === "") {
    throw invalidTrackingArgument("trackingUri", "a non-empty string", uri, "tracking URI");
  }
  if (/^https?:\/\//i.test(uri)) return { kind: "http", url: httpUrl(uri) };
  if (/^sqlite:/i.test(uri)) return { kind: "sqlite", path: sqlitePath(uri) };
  if (/^databricks(-uc)?(:|$)/i.test(uri)) {
    throw refuse(uri, `is Databricks' hosted MLflow, which this library cannot record to; use ${SERVED}`, `one of ${SERVED}`);
  }
  if (uri.startsWith("file://")) return { kind: "file", path: fileURLToPath(uri) };
  if (uri.startsWith("file:")) return { kind: "file", path: resolve(uri.slice("file:".length)) };
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri)?.[1];
  if (scheme !== undefined && !isAbsolute(uri)) {
    throw refuse(uri, `has the scheme "${scheme}:", which this library cannot record to; use ${SERVED}`, `one of ${SERVED}`);
  }
  return { kind: "file", path: resolve(uri) };
}

/** Whether `folder` holds MLflow file-store data: a numeric experiment folder with a `meta.yaml`. */
function holdsFileStore(folder: string): boolean {
  if (!existsSync(folder)) return false;
  try {
    return readdirSync(folder).some((entry) => /^\d+$/.test(entry) && existsSync(join(folder, entry, "meta.yaml")));
  } catch {
    return false;
  }
}

/**
 * Where to record when not told where, by MLflow's own rule since 3.7: `sqlite:///mlflow.db` in `cwd`, unless
 * `<cwd>/mlruns` already holds file-store data, then that file store.
 */
export function defaultTrackingUri(cwd: string = process.cwd()): string {
  const mlruns = resolve(cwd, "mlruns");
  if (holdsFileStore(mlruns)) return pathToFileURL(mlruns).href;
  return `sqlite:///${resolve(cwd, "mlflow.db")}`;
}

/** The tracking URI `tracking` and the environment select, or undefined when tracking is off. */
export function trackingUriOf(tracking: string | boolean | undefined, env: NodeJS.ProcessEnv = process.env, cwd?: string): string | undefined {
  if (tracking === false) return undefined;
  if (typeof tracking === "string") return tracking;
  const fromEnv = env.MLFLOW_TRACKING_URI || undefined;
  if (fromEnv !== undefined) return fromEnv;
  return tracking === true ? defaultTrackingUri(cwd) : undefined;
}
