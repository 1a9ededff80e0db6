import type { ArtifactRecipe } from "./artifactRecipe.js";
import type { KeyValue, Metric, RunStatus } from "./types.js";

/**
 * A reference to an experiment or run the writer creates; it stands for the id the store assigns, so
 * records can be queued (and spooled) before that id is known.
 */
export type Ref = string;

/** One queued record: plain data, so it can be written to the spool and replayed later. */
export type TrackingOp =
  | { kind: "experiment"; ref: Ref; name: string }
  | {
      kind: "createRun";
      ref: Ref;
      experiment: Ref;
      runName: string;
      startTime: number;
      userId: string;
      tags: KeyValue[];
      /** Becomes the `mlflow.parentRunId` tag. */
      parent?: Ref;
      /** Source tags (git commit, version) are still being looked up and are added before sending. */
      withSourceTags?: boolean;
    }
  | { kind: "logBatch"; run: Ref; metrics: Metric[]; params: KeyValue[]; tags: KeyValue[] }
  | { kind: "updateRun"; run: Ref; status: RunStatus; endTime: number }
  /** A file's content: `text`, the local `file` or folder, or the text `recipe` makes. */
  | { kind: "artifact"; run: Ref; path: string; text?: string; file?: string; recipe?: ArtifactRecipe };

export function describeOp(op: TrackingOp): string {
  switch (op.kind) {
    case "experiment":
      return `experiment ${JSON.stringify(op.name)}`;
    case "createRun":
      return `run ${JSON.stringify(op.runName)}`;
    case "logBatch":
      return `${op.params.length} params, ${op.tags.length} tags and ${op.metrics.length} metrics`;
    case "updateRun":
      return `status ${op.status}`;
    case "artifact":
      return `artifact ${JSON.stringify(op.path)}`;
  }
}

/**
 * An artifact that may take long to store (files to copy, a recipe to run): a transactional store writes it on its
 * own, outside any transaction, which would hold the database's lock meanwhile. Text artifacts go with their batch,
 * so the search's last records (trials.json, space.json, the parent's status) take one commit.
 */
export function standsAlone(op: TrackingOp): boolean {
  return op.kind === "artifact" && (op.file !== undefined || op.recipe !== undefined);
}
