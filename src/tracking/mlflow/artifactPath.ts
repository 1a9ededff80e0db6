import { TrackingValidationError } from "./errors.js";

/**
 * A relative artifact path with '/' separators that cannot leave the run's artifact folder:
 * absolute paths, drive letters, backslashes and '.'/'..' segments are refused.
 */
export function validateArtifactPath(path: unknown): string {
  if (typeof path !== "string" || path.length === 0) {
    throw new TrackingValidationError(`artifact path must be a non-empty string, got ${JSON.stringify(path)}`);
  }
  const bad =
    path.startsWith("/") ||
    path.includes("\\") ||
    path.includes("\0") ||
    /^[A-Za-z]:/.test(path) ||
    path.split("/").some((segment) => segment === "" || segment === "." || segment === "..");
  if (bad) {
    throw new TrackingValidationError(
      `artifact path ${JSON.stringify(path)} must be relative, with '/' separators and no empty, '.' or '..' segments`,
    );
  }
  return path;
}
