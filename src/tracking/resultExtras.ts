import { basename } from "node:path";

export interface Extras {
  metrics: Record<string, number>;
  params: Record<string, string | number | boolean>;
  tags: Record<string, string>;
  /** Artifact path -> local file or folder. */
  artifacts: Array<{ path: string; file: string }>;
}

/** The `ObjectiveExtras` inside an objective's result, keeping only well-typed entries. */
export function extrasOf(result: Record<string, unknown> | undefined): Extras {
  const out: Extras = { metrics: {}, params: {}, tags: {}, artifacts: [] };
  if (!result) return out;
  const record = (value: unknown): Record<string, unknown> =>
    value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  for (const [k, v] of Object.entries(record(result.metrics))) if (typeof v === "number") out.metrics[k] = v;
  for (const [k, v] of Object.entries(record(result.params))) {
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out.params[k] = v;
  }
  for (const [k, v] of Object.entries(record(result.tags))) if (typeof v === "string") out.tags[k] = v;
  if (Array.isArray(result.artifacts)) {
    out.artifacts = result.artifacts.filter((a): a is string => typeof a === "string").map((file) => ({ path: basename(file), file }));
  } else {
    for (const [path, file] of Object.entries(record(result.artifacts))) if (typeof file === "string") out.artifacts.push({ path, file });
  }
  return out;
}
