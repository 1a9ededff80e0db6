import { TrackingValidationError } from "./errors.js";

/** The page token of a local store: the offset of the next run, base64 JSON. */
export function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString("base64");
}

export function decodeToken(token: string): number {
  let value: unknown;
  try {
    value = (JSON.parse(Buffer.from(token, "base64").toString("utf8")) as { offset?: unknown }).offset;
  } catch {
    value = undefined;
  }
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
  throw new TrackingValidationError("page_token", `page token ${JSON.stringify(token)} is not one this store issued`, "a page token this store issued", token);
}
