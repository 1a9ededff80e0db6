import { z } from "zod";
import { describeValue } from "../errors.js";

export interface TrialError {
  message: string;
  stack?: string;
  /** A machine-readable cause: `exception`, `invalid-result`, `timeout`, `cancelled`, `crashed`, `out-of-memory`. */
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
  /** Paths of files to store with the trial's record. */
  artifacts?: string[];
}

const extras = z.object({
  status: z.enum(["ok", "fail"], { error: 'status "ok" or "fail"' }).optional(),
  loss: z.unknown().optional(),
  metrics: z.record(z.string(), z.number().finite(), { error: "metrics: an object of finite numbers" }).optional(),
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]), { error: "params: an object of strings, numbers or booleans" }).optional(),
  tags: z.record(z.string(), z.string(), { error: "tags: an object of strings" }).optional(),
  artifacts: z.array(z.string(), { error: "artifacts: an array of file paths" }).optional(),
});

/** An objective's return value once checked: a loss, or the reason the trial failed. */
export type CheckedResult =
  | { status: "ok"; loss: number; result?: Record<string, unknown> }
  | { status: "fail"; error: TrialError; result?: Record<string, unknown> };

const EXPECTED = "expected a finite number, or an object { loss: finite number, status?: \"ok\" | \"fail\", ... }";

function invalid(message: string): CheckedResult {
  return { status: "fail", error: { message: `${message}; ${EXPECTED}`, kind: "invalid-result" } };
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
  const parsed = extras.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return invalid(`the objective's result has an invalid ${issue?.path.join(".") || "value"} (${issue?.message ?? "invalid"})`);
  }
  const result = toJSON(value);
  if (result === undefined) return invalid("the objective's result cannot be stored as JSON (a cycle or a BigInt)");
  const { loss, status } = value as { loss?: unknown; status?: string };
  if (status === "fail") {
    return { status: "fail", error: { message: "the objective reported status \"fail\"", kind: "reported-fail" }, result };
  }
  if (typeof loss !== "number" || !Number.isFinite(loss)) {
    return { ...invalid(`the objective's result has loss ${describeValue(loss)}`), result } as CheckedResult;
  }
  return { status: "ok", loss, result };
}
