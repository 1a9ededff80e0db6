/**
 * Nested params as flat string pairs: `{ model: { C: 1 }, layers: [8, 16] }` gives
 * `model.C = "1"`, `layers.0 = "8"`, `layers.1 = "16"`. Strings stay as they are, other leaves are
 * JSON (`true`, `null`, numbers as JavaScript prints them); an empty object or array is kept as `{}` / `[]`.
 */
export function flattenParams(value: unknown, prefix = ""): Array<[string, string]> {
  if (Array.isArray(value)) {
    if (value.length === 0) return prefix ? [[prefix, "[]"]] : [];
    return value.flatMap((item, i) => flattenParams(item, join(prefix, String(i))));
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return prefix ? [[prefix, "{}"]] : [];
    return entries.flatMap(([key, item]) => flattenParams(item, join(prefix, key)));
  }
  return [[prefix || "value", leaf(value)]];
}

function join(prefix: string, key: string): string {
  return prefix ? `${prefix}.${key}` : key;
}

function leaf(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value === undefined) return "undefined";
  return JSON.stringify(value) ?? String(value);
}
