/** Bad input: names the argument that was wrong and what was expected. */
export class HyperoptArgumentError extends Error {
  readonly argument: string;
  constructor(argument: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "HyperoptArgumentError";
    this.argument = argument;
  }
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
