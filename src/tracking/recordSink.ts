import type { ArtifactRecipe } from "./mlflow/artifactRecipe.js";
import type { TrackingOp } from "./mlflow/ops.js";

/**
 * Where the tracker queues its records: a writer that applies them in order in the background, on the
 * search's thread (`RecordWriter`) or on a thread of its own (`ThreadedWriter`, for SQLite).
 */
export interface RecordSink {
  /** The id the store gave `ref`, once it has been created. */
  idOf(ref: string): string | undefined;
  /** Records for `ref` go to the existing experiment or run `id` (a continued search). */
  adopt(ref: string, id: string): void;
  enqueue(op: TrackingOp): void;
  /** Hands the records queued so far to the writer now, rather than with the next batch. */
  send(): void;
  /**
   * Queues, last, an artifact whose text its recipe makes on the writer's own thread, after `close` resolved;
   * false when this writer cannot (no thread of its own, or the recipe cannot be sent there).
   */
  defer(op: TrackingOp & { kind: "artifact"; recipe: ArtifactRecipe }): boolean;
  /** Resolves when every queued record is stored (or spooled, or reported as lost). */
  close(): Promise<void>;
  /** The spool file in use while a remote store is unreachable. */
  readonly spoolFile: string | undefined;
}
