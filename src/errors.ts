import { distance } from "fastest-levenshtein";
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
export function invalidArgument(where: string, argument: string, expected: string, received: unknown, options?: ErrorOptions, label = argument): HyperoptArgumentError {
  const got = describeValue(received);
  return new HyperoptArgumentError(argument, `${where}: ${label} must be ${expected}, got ${got}`, { ...options, expected, received: got });
}

/** How an argument is named in a message, from its path inside the input (e.g. "maxEvals" -> `option "maxEvals"`). */
export type ArgumentNamer = (path: string) => string;

/** How a zod issue becomes a `HyperoptArgumentError`. */
export interface ZodErrorNaming {
  /** Names the argument in the message (default: its path). */
  label?: ArgumentNamer;
  /** The error's `argument`, or how to make it from the issue's path (default: the path, or `root` at the top). */
  argument?: string | ArgumentNamer;
  /** The schema that found the issue, to suggest a known key for an unknown one. */
  schema?: z.ZodType;
  /** The path of an issue about the input as a whole (default "options"). */
  root?: string;
}

/**
 * The error for the first issue zod found in `input`: the argument is the issue's path (named in
 * the message by `label`), the expectation the issue's message, the received value the one at
 * the path. An unknown key is named with the closest known key of `schema` when one is close
 * ("did you mean maxEvals?").
 */
export function zodArgumentError(where: string, error: z.ZodError, input: unknown, naming: ZodErrorNaming = {}): HyperoptArgumentError {
  const label = naming.label ?? ((p: string) => p);
  const issue = error.issues[0];
  const path = issue?.path ?? [];
  if (issue?.code === "unrecognized_keys") return unknownKeyError(where, path, issue.keys[0] ?? "", label, naming);
  let received: unknown = input;
  for (const key of path) received = typeof received === "object" && received !== null ? (received as Record<PropertyKey, unknown>)[key] : undefined;
  const at = path.length === 0 ? (naming.root ?? "options") : path.map(String).join(".");
  return invalidArgument(where, argumentAt(naming, at), issue?.message ?? "valid", received, undefined, label(at));
}

/** Checks `input` against `schema` and returns the parsed value, or throws the first issue as a `HyperoptArgumentError`. */
export function parseArgument<T extends z.ZodType>(where: string, schema: T, input: unknown, naming: Omit<ZodErrorNaming, "schema"> = {}): z.output<T> {
  const r = schema.safeParse(input);
  if (!r.success) throw zodArgumentError(where, r.error, input, { ...naming, schema });
  return r.data;
}

function unknownKeyError(where: string, path: readonly PropertyKey[], key: string, label: ArgumentNamer, naming: ZodErrorNaming): HyperoptArgumentError {
  const known = naming.schema === undefined ? [] : keysAt(naming.schema, path);
  const at = [...path.map(String), key].join(".");
  const argument = argumentAt(naming, at);
  const suggestion = closestKey(key, known);
  const expected = known.length === 0 ? "no such key" : `one of ${known.join(", ")}`;
  const hint = suggestion === undefined ? (known.length === 0 ? "" : `; expected ${expected}`) : `; did you mean ${suggestion}?`;
  return new HyperoptArgumentError(argument, `${where}: unknown ${label(at)}${hint}`, { expected, received: JSON.stringify(key) });
}

function argumentAt(naming: ZodErrorNaming, path: string): string {
  return typeof naming.argument === "function" ? naming.argument(path) : (naming.argument ?? path);
}

/** The known key closest to `key` when it is a plausible misspelling or extension of it (case, `_` and `-` ignored). */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const plain = (s: string): string => s.toLowerCase().replace(/[_-]/g, "");
  const target = plain(key);
  let best: { key: string; d: number } | undefined;
  for (const candidate of known) {
    const other = plain(candidate);
    const extension = Math.min(target.length, other.length) >= 4 && (target.startsWith(other) || other.startsWith(target));
    const d = extension ? Math.min(1, distance(target, other)) : distance(target, other);
    if (best === undefined || d < best.d) best = { key: candidate, d };
  }
  if (best === undefined) return undefined;
  return best.d <= Math.max(1, Math.floor(Math.min(target.length, best.key.length) / 3)) ? best.key : undefined;
}

/** The part of a zod schema's definition the key lookup reads (zod's `def`; read structurally so this module loads without zod). */
interface SchemaDef {
  type: string;
  shape?: Record<string, { def: SchemaDef }>;
  innerType?: { def: SchemaDef };
  options?: readonly { def: SchemaDef }[];
}

/** The keys of the object schema found at `path` inside `schema` (optional, default, nullable and union wrappers looked through). */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current = objectsIn((schema as unknown as { def: SchemaDef }).def);
  for (const key of path) {
    current = current.flatMap((shape) => {
      const next = typeof key === "string" ? shape[key] : undefined;
      return next === undefined ? [] : objectsIn(next.def);
    });
  }
  return [...new Set(current.flatMap((shape) => Object.keys(shape)))];
}

/** The object shapes a schema stands for: its own, or what it wraps, or its union's object options. */
function objectsIn(def: SchemaDef): Record<string, { def: SchemaDef }>[] {
  if (def.type === "object" && def.shape !== undefined) return [def.shape];
  if (def.innerType !== undefined) return objectsIn(def.innerType.def);
  if (def.type === "union" && def.options !== undefined) return def.options.flatMap((option) => objectsIn(option.def));
  return [];
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
