import { FileStore } from "./fileStore.js";
import { RestStore, type RestStoreOptions } from "./restStore.js";
import type { TrackingStore } from "./store.js";
import { parseTrackingUri } from "./trackingUri.js";

/** The store for a tracking URI: `file:` URIs and paths give a `FileStore`, `http(s)://` a `RestStore`. */
export function openStore(uri: string, options: RestStoreOptions = {}): TrackingStore {
  const parsed = parseTrackingUri(uri);
  return parsed.kind === "file" ? new FileStore(parsed.path) : new RestStore(parsed.url.href, options);
}
