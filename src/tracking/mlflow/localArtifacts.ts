import { readdir, stat } from "node:fs/promises";
import { basename, isAbsolute, join, relative, sep } from "node:path";
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

/**
 * The files to upload for a local file or folder stored as `artifactPath`: a file as it is, a folder whole
 * (every file below it, under `artifactPath/<its path in the folder>`).
 */
export async function filesToUpload(artifactPath: string, local: string): Promise<Array<{ path: string; file: string }>> {
  if (!(await stat(local)).isDirectory()) return [{ path: artifactPath, file: local }];
  const entries = await readdir(local, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort()
    .map((file) => ({ path: `${artifactPath}/${relative(local, file).split(sep).join("/")}`, file }));
}

/** The objective's `artifacts` as (artifact path, local file or folder) pairs: a bare path is stored under its file name. */
export function artifactEntries(artifacts: readonly string[] | Readonly<Record<string, string>> | undefined): Array<{ path: string; file: string }> {
  if (artifacts === undefined) return [];
  if (Array.isArray(artifacts)) return artifacts.map((file: string) => ({ path: basename(file), file }));
  return Object.entries(artifacts).map(([path, file]) => ({ path, file }));
}
