import type { TrackingOp } from "./mlflow/ops.js";
import type { KeyValue } from "./mlflow/types.js";

/** What the SQLite writer thread opens: the same database as the search's own connection. */
export interface WriterThreadInit {
  path: string;
  uri: string;
  busyTimeoutMs: number;
  artifactRoot: string;
  /** The least time between two commits, in ms. */
  batchMs: number;
  lockWaitMs?: number;
}

/** From the search's thread, in order. */
export type ToWriter =
  | { t: "ops"; ops: TrackingOp[] }
  | { t: "adopt"; ref: string; id: string }
  | { t: "sourceTags"; tags: KeyValue[] }
  | { t: "close" };

/** From the writer thread. */
export type FromWriter =
  /** The next `count` records sent are done with (committed, or reported as dropped); `ids` those they created. */
  | { t: "done"; count: number; ids: Array<[string, string]> }
  | { t: "warn"; message: string }
  /** The database could not be opened on the writer thread. */
  | { t: "failed"; message: string }
  /** Every record is done with and the thread's connection is closed. */
  | { t: "closed" };
