import { TrackingValidationError } from "./errors.js";

const EXPECTED = "a non-empty relative path with '/' separators and no empty, '.' or '..' segments";

/**
 * A relative artifact path with '/' separators that cannot leave the run's artifact folder:
 * absolute paths, drive letters, backslashes and '.'/'..' segments are refused.
 */
export function validateArtifactPath(path: unknown, argument = "artifactPath"): string {
  const problem = artifactPathProblem(path);
  if (problem !== undefined) throw new TrackingValidationError(argument, problem, EXPECTED, path);
  return path as string;
}

/** What is wrong with `path` as an artifact path, or undefined when it is fine. */
export function artifactPathProblem(path: unknown): string | undefined {
  if (typeof path !== "string" || path.length === 0) return `artifact path must be a non-empty string, got ${JSON.stringify(path)}`;
  const bad =
    path.startsWith("/") ||
    path.includes("\\") ||
    path.includes("\0") ||
    /^[A-Za-z]:/.test(path) ||
    path.split("/").some((segment) => segment === "" || segment === "." || segment === "..");
  return bad ? `artifact path ${JSON.stringify(path)} must be relative, with '/' separators and no empty, '.' or '..' segments` : undefined;
}
