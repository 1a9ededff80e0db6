import { FileStore } from "./fileStore.js";
import { RestStore, type RestStoreOptions } from "./restStore.js";
import { SqliteStore, type SqliteStoreOptions } from "./sqliteStore.js";
import type { TrackingStore } from "./store.js";
import { parseTrackingUri, redactUri } from "./trackingUri.js";

export type OpenStoreOptions = RestStoreOptions & SqliteStoreOptions;

/**
 * The store for a tracking URI: `sqlite:` URIs give a `SqliteStore`, `file:` URIs and paths a `FileStore`,
 * `http(s)://` a `RestStore`. Refuses URIs it cannot serve with a `TrackingValidationError` naming the URI.
 */
export function openStore(uri: string, options: OpenStoreOptions = {}): TrackingStore {
  const parsed = parseTrackingUri(uri);
  switch (parsed.kind) {
    case "sqlite":
      return new SqliteStore(parsed.path, redactUri(uri), options);
    case "file":
      return new FileStore(parsed.path);
    case "http":
      return new RestStore(parsed.url.href, options);
  }
}
