import type { z } from "zod";

export interface ArgumentErrorDetails extends ErrorOptions {
  /** What the argument should have been, in words ("a whole number >= 1"). */
  expected?: string;
  /** What was given, rendered for reading (see `describeValue`). */
  received?: string;
}

/** Bad input: names the argument that was wrong, what was expected and what was received. */
export class HyperoptArgumentError extends Error {
  readonly argument: string;
  readonly expected: string | undefined;
  readonly received: string | undefined;
  constructor(argument: string, message: string, details: ArgumentErrorDetails = {}) {
    const { expected, received, ...options } = details;
    super(message, options);
    this.name = "HyperoptArgumentError";
    this.argument = argument;
    this.expected = expected;
    this.received = received;
  }
}

/**
 * The error for an argument that is not what `where` (a function or option group, e.g. "fmin")
 * expects: "`where`: `argument` must be `expected`, got `received`".
 */
export function invalidArgument(where: string, argument: string, expected: string, received: unknown, options?: ErrorOptions): HyperoptArgumentError {
  const got = describeValue(received);
  return new HyperoptArgumentError(argument, `${where}: ${argument} must be ${expected}, got ${got}`, { ...options, expected, received: got });
}

/**
 * The error for the first issue zod found in `input`: the argument is the issue's path below
 * `prefix` (e.g. `option "maxEvals"`), the expectation the issue's message.
 */
export function zodArgumentError(where: string, error: z.ZodError, input: unknown, name: (path: string) => string = (p) => p): HyperoptArgumentError {
  const issue = error.issues[0];
  const path = issue?.path ?? [];
  let received: unknown = input;
  for (const key of path) received = typeof received === "object" && received !== null ? (received as Record<PropertyKey, unknown>)[key] : undefined;
  const argument = name(path.length === 0 ? "options" : path.map(String).join("."));
  return invalidArgument(where, argument, issue?.message ?? "valid", received);
}

/** A short readable rendering of a value for error messages. */
export function describeValue(v: unknown): string {
  if (typeof v === "function") return "a function";
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean" || v === undefined) return String(v);
  try {
    return JSON.stringify(v)?.slice(0, 200) ?? String(v);
  } catch {
    return String(v);
  }
}
