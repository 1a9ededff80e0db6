import { z } from "zod";
import { describeValue, zodArgumentError } from "../errors.js";

export interface TrialError {
  message: string;
  stack?: string;
  /** A machine-readable cause: `exception`, `invalid-result`, `reported-fail`, `timeout`, `cancelled`, `crashed`, `out-of-memory`. */
  kind: string;
}

/** One value the objective reported while it ran (`ctx.report`). */
export interface ReportedMetric {
  name: string;
  value: number;
  step: number;
  /** Milliseconds since the epoch. */
  timestamp: number;
}

/** Extras an objective may return beside its loss; trackers log them with the trial. */
export interface ObjectiveExtras {
  metrics?: Record<string, number>;
  params?: Record<string, string | number | boolean>;
  tags?: Record<string, string>;
  /**
   * Files to store with the trial's record: local paths (stored under their file names), or a record of
   * artifact path -> local file or folder (`{ model: "./out/model" }`; a folder is stored whole).
   */
  artifacts?: string[] | Record<string, string>;
}

const resultSchema = z.looseObject({
  status: z.enum(["ok", "fail"], { error: '"ok" or "fail" (STATUS_OK or STATUS_FAIL)' }).optional(),
  loss: z.unknown().optional(),
  metrics: z.record(z.string(), z.number({ error: "a finite number" }).finite("a finite number"), { error: "an object of finite numbers" }).optional(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()], { error: "a string, a number or a boolean" }), { error: "an object of strings, numbers or booleans" }).optional(),
  tags: z.record(z.string(), z.string({ error: "a string" }), { error: "an object of strings" }).optional(),
  artifacts: z
    .union([z.array(z.string({ error: "a file path" })), z.record(z.string(), z.string({ error: "a local file or folder" }))], {
      error: "an array of file paths, or { artifact path: local file or folder }",
    })
    .optional(),
});

/**
 * What an objective returned when it returned an object, checked and stored as JSON-compatible
 * data: the extras (`metrics`, `params`, `tags`, `artifacts`) are well-typed, the rest is kept as is.
 */
export type TrialResult = z.infer<typeof resultSchema>;

/** An objective's return value once checked: a loss, or the reason the trial failed. */
export type CheckedResult =
  | { status: "ok"; loss: number; result?: TrialResult }
  | { status: "fail"; error: TrialError; result?: TrialResult };

const EXPECTED = "expected a finite number, or an object { loss: finite number, status?: \"ok\" | \"fail\", ... }";

function invalid(message: string, result?: TrialResult): CheckedResult {
  const error: TrialError = { message: `${message}; ${EXPECTED}`, kind: "invalid-result" };
  return result === undefined ? { status: "fail", error } : { status: "fail", error, result };
}

/** JSON-compatible copy of a result object (undefined, functions and cycles dropped or refused). */
function toJSON(value: object): Record<string, unknown> | undefined {
  try {
    return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Checks what an objective returned and turns it into the trial's status and loss. */
export function checkResult(value: unknown): CheckedResult {
  if (typeof value === "number") {
    return Number.isFinite(value) ? { status: "ok", loss: value } : invalid(`the objective returned ${value}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return invalid(`the objective returned ${describeValue(value)}`);
  }
  const parsed = resultSchema.safeParse(value);
  if (!parsed.success) return invalid(zodArgumentError("the objective's result", parsed.error, value).message);
  const copy = toJSON(value);
  if (copy === undefined) return invalid("the objective's result cannot be stored as JSON (a cycle or a BigInt)");
  const result = copy as TrialResult;
  const { loss, status } = parsed.data;
  if (status === "fail") {
    return { status: "fail", error: { message: "the objective reported status \"fail\"", kind: "reported-fail" }, result };
  }
  if (typeof loss !== "number" || !Number.isFinite(loss)) return invalid(`the objective's result has loss ${describeValue(loss)}`, result);
  return { status: "ok", loss, result };
}

/** The schema of a stored result, to check one read back from a save file or a tracking store. */
export const trialResultSchema = resultSchema;

/** A trial's record of an error: its message (or `message`), its stack when it has one, and `kind`. */
export function trialErrorFrom(cause: unknown, kind: string, message?: string): TrialError {
  const source = typeof cause === "object" && cause !== null ? (cause as { message?: unknown; stack?: unknown }) : {};
  const text = message ?? (typeof source.message === "string" ? source.message : String(cause));
  return typeof source.stack === "string" ? { message: text, stack: source.stack, kind } : { message: text, kind };
}
