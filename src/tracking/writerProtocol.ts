import type { TrackingOp } from "./mlflow/ops.js";
import type { KeyValue } from "./mlflow/types.js";

/** What the SQLite writer thread opens for one search: the same database as the search's own connection. */
export interface WriterSessionInit {
  path: string;
  uri: string;
  busyTimeoutMs: number;
  artifactRoot: string;
  /** The least time between two commits, in ms. */
  batchMs: number;
  lockWaitMs?: number;
}

/**
 * From the search's thread, in order. A writer thread serves one search at a time and outlives it, for the
 * process's next search; `s` names the search's session on it.
 */
export type ToWriter =
  | { t: "open"; s: number; init: WriterSessionInit }
  | { t: "ops"; s: number; ops: TrackingOp[] }
  | { t: "adopt"; s: number; ref: string; id: string }
  | { t: "sourceTags"; s: number; tags: KeyValue[] }
  | { t: "close"; s: number };

/** From the writer thread, about session `s`. */
export type FromWriter = { s: number } & (
  /** The next `count` records sent are done with (committed, or reported as dropped); `ids` those they created. */
  | { t: "done"; count: number; ids: Array<[string, string]> }
  | { t: "warn"; message: string }
  /** The database could not be opened on the writer thread. */
  | { t: "failed"; message: string }
  /** Every record of the session is done with and its connection is closed. */
  | { t: "closed" }
);
