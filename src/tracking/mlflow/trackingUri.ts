import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { TrackingValidationError } from "./errors.js";

export type ParsedUri = { kind: "file"; path: string } | { kind: "http"; url: URL };

/**
 * `file:./mlruns`, `file:///abs/mlruns` or a bare path select the file store; `http(s)://host:port`
 * a tracking server.
 */
export function parseTrackingUri(uri: string): ParsedUri {
  if (typeof uri !== "string" || uri.trim() === "") {
    throw new TrackingValidationError(`tracking URI must be a non-empty string, got ${JSON.stringify(uri)}`);
  }
  if (/^https?:\/\//i.test(uri)) {
    const url = new URL(uri);
    return { kind: "http", url };
  }
  if (uri.startsWith("file://")) return { kind: "file", path: fileURLToPath(uri) };
  if (uri.startsWith("file:")) return { kind: "file", path: resolve(uri.slice("file:".length)) };
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(uri) && !isAbsolute(uri)) {
    throw new TrackingValidationError(
      `tracking URI ${JSON.stringify(redactUri(uri))} must be file:<path>, a path, or http(s)://host:port`,
    );
  }
  return { kind: "file", path: resolve(uri) };
}

/** The URI without user, password or query (which may carry credentials). */
export function redactUri(uri: string): string {
  try {
    const url = new URL(uri);
    url.username = "";
    url.password = "";
    url.search = "";
    return url.href;
  } catch {
    return uri.replace(/\/\/[^@/]*@/, "//");
  }
}
