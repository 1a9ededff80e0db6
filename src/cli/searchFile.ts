import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Document, LineCounter } from "yaml";
import { z } from "zod";
import { closestKey, describeValue } from "../errors.js";
import { CliError } from "./exit.js";
import { heartbeatSeconds, positiveSeconds, wholeNumber as whole } from "../optionSchemas.js";

const ALGORITHM_NAMES = ["tpe", "rand", "anneal", "grid"] as const;

type GridConfig = { [key: string]: unknown[] | GridConfig };

const gridSchema: z.ZodType<GridConfig> = z.lazy(() =>
  z.record(z.string(), z.union([z.array(z.unknown()).min(1, "a non-empty list of values"), gridSchema], { error: "a list of values or a nested object of lists" }), {
    error: "an object of value lists",
  }),
);

const text = (what: string) => z.string({ error: what }).min(1, what);

const algoName = z.enum(ALGORITHM_NAMES, { error: `one of ${ALGORITHM_NAMES.join(", ")}` });

const searchConfigSchema = z.strictObject({
  objective: text("a module path, relative to the search file").optional(),
  export: text("the name of the module's export").optional(),
  space: z.unknown().optional(),
  grid: gridSchema.optional(),
  algo: z.union([algoName, z.looseObject({ name: algoName })], { error: `one of ${ALGORITHM_NAMES.join(", ")}, or { name, ...settings }` }).optional(),
  maxEvals: whole(1).optional(),
  seed: z.number({ error: "an integer" }).int("an integer").optional(),
  timeout: positiveSeconds.optional(),
  parallelism: whole(1).optional(),
  threads: whole(1).optional(),
  queue: z
    .strictObject(
      {
        redis: text("a redis:// or rediss:// URL"),
        name: text("a queue name"),
        heartbeat: heartbeatSeconds.optional(),
      },
      { error: "{ redis, name, heartbeat? }" },
    )
    .optional(),
  trialsSaveFile: text("a file path, relative to the search file").optional(),
  tracking: z.union([text("a tracking URI"), z.boolean()], { error: "a tracking URI, or true for MLflow's default store" }).optional(),
  experiment: text("an experiment name").optional(),
  runName: text("a run name").optional(),
  registerModel: z
    .strictObject({
      name: text("a registered model name"),
      artifactPath: text("the best trial's artifact folder holding the model").optional(),
      tags: z.record(z.string(), z.string(), { error: "an object of string tags" }).optional(),
      alias: text("an alias").optional(),
    }, { error: "{ name, artifactPath?, tags?, alias? }" })
    .optional(),
});

export type SearchConfig = z.infer<typeof searchConfigSchema>;

const SEARCH_KEYS = Object.keys(searchConfigSchema.shape);

/** A parsed and validated search file. */
export interface SearchFile {
  path: string;
  /** The folder paths in the file are relative to. */
  dir: string;
  config: SearchConfig;
  /** Whether the file is a plain config of value lists (the whole file is the grid). */
  plainGrid: boolean;
  /** " (line N)" for the key or value at `path` of the config, or "" when it has no place in the file. */
  lineOf(path: readonly PropertyKey[]): string;
}

function isPlainGrid(value: Record<string, unknown>): boolean {
  if ("space" in value || "grid" in value || "objective" in value) return false;
  const values = Object.values(value);
  return values.length > 0 && values.every((v) => typeof v === "object" && v !== null);
}

function locator({ isMap, isScalar }: typeof import("yaml"), doc: Document, lines: LineCounter): (path: readonly PropertyKey[]) => string {
  return (path) => {
    const keys = path.map((k) => (typeof k === "symbol" ? String(k) : k));
    const node = doc.getIn(keys, true) as { range?: [number, number, number] } | undefined;
    let offset = node?.range?.[0];
    if (offset === undefined && keys.length > 0) {
      const parent = keys.length === 1 ? doc.contents : doc.getIn(keys.slice(0, -1), true);
      const last = keys[keys.length - 1];
      if (isMap(parent)) {
        const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === last);
        offset = (pair?.key as { range?: [number, number, number] } | undefined)?.range?.[0];
      }
    }
    return offset === undefined ? "" : ` (line ${lines.linePos(offset).line})`;
  };
}

/** Reads a search file (YAML, or JSON, which YAML reads too) and validates it; errors name the key and line. */
export async function readSearchFile(file: string): Promise<SearchFile> {
  const path = resolve(file);
  let source: string;
  try {
    source = readFileSync(path, "utf8");
  } catch (error) {
    throw new CliError(`search file ${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const yaml = await import("yaml");
  const lines = new yaml.LineCounter();
  const doc = yaml.parseDocument(source, { lineCounter: lines, prettyErrors: false });
  const syntax = doc.errors[0];
  if (syntax !== undefined) {
    throw new CliError(`search file ${file} line ${lines.linePos(syntax.pos[0]).line}: not valid YAML or JSON: ${syntax.message.split("\n")[0]}`);
  }
  const value: unknown = doc.toJS();
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new CliError(`search file ${file}: expected an object of settings (objective, space or grid, algo, maxEvals, ...), got ${describeValue(value)}`);
  }
  const lineOf = locator(yaml, doc, lines);
  const plainGrid = isPlainGrid(value as Record<string, unknown>);
  const input = plainGrid ? { grid: value } : value;
  const r = searchConfigSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0] as z.core.$ZodIssue;
    const path = plainGrid ? issue.path.slice(1) : issue.path;
    if (issue.code === "unrecognized_keys") {
      const key = issue.keys[0] as string;
      const close = path.length === 0 ? closestKey(key, SEARCH_KEYS) : undefined;
      const hint = close === undefined ? `the keys are ${SEARCH_KEYS.join(", ")}` : `did you mean ${close}?`;
      throw new CliError(`search file ${file}${lineOf([...path, key])}: unknown key "${key}"; ${hint}`);
    }
    let received: unknown = input;
    for (const k of issue.path) received = typeof received === "object" && received !== null ? (received as Record<PropertyKey, unknown>)[k] : undefined;
    const name = path.length === 0 ? "the file" : path.map(String).join(".");
    throw new CliError(`search file ${file}${lineOf(path)}: ${name} must be ${issue.message}, got ${describeValue(received)}`);
  }
  return { path, dir: dirname(path), config: r.data, plainGrid, lineOf };
}
