import { readFileSync } from "node:fs";
import { z } from "zod";
import { HyperoptArgumentError, zodArgumentError } from "../errors.js";

const problemSchema = z.object({
  name: z.string(),
  space: z.unknown(),
  noise: z.object({ sigma: z.number(), salt: z.number() }).nullable(),
  min_loss: z.number().nullable().optional(),
  minLoss: z.number().nullable().optional(),
  success_below: z.number().optional(),
});

/** A benchmark suite file (the format of benchmarks/suite-public.json). */
export const suiteSchema = z.object({
  problems: z.array(problemSchema),
  speed_spaces: z
    .object({ uniform2d: z.object({ space: z.unknown() }).loose(), mixed10d: z.object({ space: z.unknown() }).loose() })
    .loose()
    .optional(),
});

export type SuiteJSON = z.infer<typeof suiteSchema>;
export type SuiteProblemJSON = z.infer<typeof problemSchema>;

/** A suite file shipped with the package (read from the package root, from src/ or dist/ alike). */
export function packagedSuiteUrl(file: "suite-public.json" | "suite-extra.json"): URL {
  return new URL(`../../benchmarks/${file}`, import.meta.url);
}

/** Checks a parsed suite JSON value against the suite format. */
export function parseSuite(value: unknown, where = "benchmark suite"): SuiteJSON {
  const parsed = suiteSchema.safeParse(value);
  if (!parsed.success) throw zodArgumentError(where, parsed.error, value, { label: (p) => `suite.${p}`, argument: (p) => `suite.${p}`, schema: suiteSchema, root: "suite" });
  return parsed.data;
}

/** Reads and checks a suite file. */
export function readSuiteFile(path: string | URL): SuiteJSON {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (cause) {
    throw new HyperoptArgumentError("path", `benchmark: cannot read the suite file ${String(path)}: ${(cause as Error).message}`, { cause, expected: "a readable suite JSON file", received: String(path) });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new HyperoptArgumentError("path", `benchmark: the suite file ${String(path)} is not JSON: ${(cause as Error).message}`, { cause, expected: "a suite JSON file", received: String(path) });
  }
  return parseSuite(value, `benchmark suite ${String(path)}`);
}
