import { createHash } from "node:crypto";
import { basename, extname } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { TrialOutcome } from "../executor.js";
import type { ObjectiveRef } from "../objectiveSource.js";
import { checkResult } from "../result.js";

/*
 * What crosses Redis: a trial is a BullMQ job whose data is a `QueueJobData` and whose return
 * value is a `TrialOutcome` as JSON with every `ctx.report` of the trial; the reports also travel
 * as job progress while it runs, numbered, so a driver that missed some (or was not running)
 * takes them from the return value; a driver asks workers to stop a job with a custom queue event.
 */

/** The custom queue event by which a driver asks the workers to stop a running job. */
export const CANCEL_EVENT = "hyperopt-ts:cancel";

/**
 * The objective's identity, the same on every machine: the module's file name without its
 * extension (so objective.ts and its build objective.js agree) and the export's name.
 */
export function objectiveIdentity(ref: ObjectiveRef): { module: string; export: string } {
  const path = ref.url.startsWith("file:") ? fileURLToPath(ref.url) : ref.url;
  return { module: basename(path, extname(path)), export: ref.exportName };
}

/**
 * The BullMQ queue that carries one objective's trials: a worker only ever sees the jobs of the
 * objective it was started with, and jobs for other objectives wait for workers that have them.
 */
export function bullQueueName(queue: string, ref: ObjectiveRef): string {
  const { module, export: name } = objectiveIdentity(ref);
  return `${queue}/${module}#${name}`;
}

/** A search's id from its seed and space: a restarted driver of the same search finds its jobs again. */
export function searchIdOf(seed: number | undefined, space: unknown): string {
  return createHash("sha256").update(JSON.stringify({ seed, space })).digest("hex").slice(0, 16);
}

export function jobIdOf(searchId: string, tid: number): string {
  return `${searchId}-${tid}`;
}

const assignment = z.record(z.string(), z.number());

export const jobDataSchema = z.object({
  search: z.string(),
  tid: z.number().int().nonnegative(),
  assignment,
  params: z.unknown(),
  objective: z.object({ module: z.string(), export: z.string() }),
  /** Seconds the trial may run; the worker's own limit applies when it is lower. */
  timeout: z.number().positive().optional(),
});
export type QueueJobData = z.infer<typeof jobDataSchema>;

const trialError = z.object({ message: z.string(), stack: z.string().optional(), kind: z.string() });

/** One `ctx.report` of a trial. */
export const reportSchema = z.object({ name: z.string(), value: z.number(), step: z.number().optional() });
export type QueueReport = z.infer<typeof reportSchema>;

/** A report as job progress: `seq` numbers the trial's reports from 0 (absent from workers of hyperopt-ts 0.1.0, whose results hold no reports). */
export const progressSchema = reportSchema.extend({ seq: z.number().int().nonnegative().optional() });

/** A job's return value: the trial's outcome and all its reports, in order. */
export const outcomeSchema = z.union([
  z.object({ kind: z.literal("returned"), value: z.unknown(), reports: z.array(reportSchema).optional() }),
  z.object({ kind: z.literal("failed"), status: z.enum(["fail", "timeout", "cancelled"]), error: trialError, reports: z.array(reportSchema).optional() }),
]);

/**
 * The outcome as it goes back over Redis, checked where it is made: JSON cannot carry NaN or a
 * function, so a result the loop would refuse is turned into the same failure here.
 */
export function outcomeForQueue(outcome: TrialOutcome, reports: readonly QueueReport[]): TrialOutcome & { reports: readonly QueueReport[] } {
  if (outcome.kind === "failed") return { ...outcome, reports };
  const checked = checkResult(outcome.value);
  if (checked.status === "fail" && checked.error.kind === "invalid-result") return { kind: "failed", status: "fail", error: checked.error, reports };
  return { ...outcome, reports };
}
