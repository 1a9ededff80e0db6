import { isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The local folder an artifact URI names (`/abs/path` or `file:///abs/path`), or undefined for a remote one. */
export function localArtifactDir(artifactUri: string): string | undefined {
  if (artifactUri.startsWith("file:")) {
    try {
      return fileURLToPath(artifactUri.startsWith("file://") ? artifactUri : `file://${artifactUri.slice("file:".length)}`);
    } catch {
      return undefined;
    }
  }
  return isAbsolute(artifactUri) ? artifactUri : undefined;
}

/** The local file of `artifactPath` (already validated: relative, no `..`) under a local artifact URI. */
export function localArtifactFile(artifactUri: string, artifactPath: string): string | undefined {
  const dir = localArtifactDir(artifactUri);
  return dir === undefined ? undefined : join(dir, ...artifactPath.split("/"));
}
