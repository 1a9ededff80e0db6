import { z } from "zod";
import { parseArgument } from "../errors.js";
import { trialResultSchema } from "../executors/result.js";
import type { SpaceShape } from "../space/shape.js";
import type { Trial } from "./trial.js";

const finite = z.number({ error: "a finite number" }).finite("a finite number");

const errorSchema = z.object({ message: z.string(), stack: z.string().optional(), kind: z.string() });

const metricSchema = z.object({ name: z.string(), value: z.number(), step: z.number(), timestamp: z.number() });

/**
 * A loss as stored: a number, or NaN, which JSON writes as null and which is read back as NaN
 * (a NaN loss never counts as the best, see `lossOf`), not as null that compares like 0.
 */
const storedLoss = z
  .union([z.number(), z.nan(), z.null()], { error: "a number, NaN or null (NaN in JSON)" })
  .transform((loss) => loss ?? Number.NaN);

/** A trial record as stored (save file, `Trials.toJSON`). */
export const trialSchema = z.object({
  tid: z.number({ error: "a whole number >= 0" }).int("a whole number >= 0").nonnegative("a whole number >= 0"),
  status: z.enum(["running", "ok", "fail", "timeout", "cancelled"], { error: '"running", "ok", "fail", "timeout" or "cancelled"' }),
  assignment: z.record(z.string(), finite, { error: "an object of label -> number" }),
  params: z.unknown(),
  loss: storedLoss.optional(),
  result: trialResultSchema.optional(),
  error: errorSchema.optional(),
  startTime: z.number({ error: "milliseconds since the epoch" }),
  endTime: z.number({ error: "milliseconds since the epoch" }).optional(),
  metrics: z.array(metricSchema).default([]),
});

const conditionSchema = z.object({ label: z.string(), index: z.number() });

/** The space's shape as stored beside a history whose space has no JSON form. */
export const spaceShapeSchema = z.array(z.object({ label: z.string(), distribution: z.looseObject({ kind: z.string() }), conditions: z.array(conditionSchema) }));

/** Checks one stored trial record; `argument` names where it came from (e.g. "trialsSaveFile"). */
export function parseTrial(value: unknown, where: string, argument: string): Trial {
  return parseArgument(where, trialSchema, value, { argument, root: "the trial record" }) as Trial;
}

/** Checks a stored space shape. */
export function parseSpaceShape(value: unknown, where: string, argument: string): SpaceShape {
  return parseArgument(where, spaceShapeSchema, value, { argument, root: "spaceShape", label: (path) => (path === "spaceShape" ? path : `spaceShape.${path}`) }) as SpaceShape;
}
