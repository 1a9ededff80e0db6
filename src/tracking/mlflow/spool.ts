import { createHash, randomUUID } from "node:crypto";
import { appendFile, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { TrackingOp } from "./ops.js";

export type SpoolLine = { t: "id"; ref: string; id: string } | { t: "op"; n: number; op: TrackingOp } | { t: "done"; n: number };

export interface SpoolContents {
  ids: Map<string, string>;
  /** Ops not yet done, in order; a later line for the same `n` replaces an earlier one. */
  ops: Array<{ n: number; op: TrackingOp }>;
}

/** The default spool folder for a server: `.hyperopt-spool/<hash of the URI>` under the working directory. */
export function defaultSpoolDir(serverUri: string): string {
  const key = createHash("sha256").update(serverUri).digest("hex").slice(0, 16);
  return resolve(".hyperopt-spool", key);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Records waiting for an unreachable server, as JSON lines. A session writes `<pid>-<session>.active.jsonl`;
 * when it ends with records left it renames the file `.pending.jsonl`, which the next session claims (by an
 * atomic rename) and replays. `done` lines mark what has been sent, so a replay cut short resumes where it stopped.
 */
export class Spool {
  readonly session = randomUUID().replaceAll("-", "").slice(0, 12);
  readonly file: string;
  private claims = 0;

  constructor(
    readonly dir: string,
    private readonly serverUri: string,
  ) {
    this.file = join(dir, `${process.pid}-${this.session}.active.jsonl`);
  }

  async append(file: string, lines: readonly SpoolLine[]): Promise<void> {
    if (lines.length === 0) return;
    await mkdir(this.dir, { recursive: true });
    await writeFile(join(this.dir, "server.txt"), `${this.serverUri}\n`);
    await appendFile(file, lines.map((line) => `${JSON.stringify(line)}\n`).join(""));
  }

  async load(file: string): Promise<SpoolContents> {
    const text = await readFile(file, "utf8").catch(() => "");
    const ids = new Map<string, string>();
    const ops = new Map<number, TrackingOp>();
    for (const raw of text.split("\n")) {
      if (raw.trim() === "") continue;
      let line: SpoolLine;
      try {
        line = JSON.parse(raw) as SpoolLine;
      } catch {
        continue;
      }
      if (line.t === "id") ids.set(line.ref, line.id);
      else if (line.t === "op") ops.set(line.n, line.op);
      else ops.delete(line.n);
    }
    return { ids, ops: [...ops.entries()].sort((a, b) => a[0] - b[0]).map(([n, op]) => ({ n, op })) };
  }

  /** Files left by sessions that ended (or died) with records unsent, renamed so that no one else replays them. */
  async claimLeftovers(): Promise<string[]> {
    const claimed: string[] = [];
    for (const name of await readdir(this.dir).catch(() => [])) {
      const active = /^(\d+)-[0-9a-f]+\.active\.jsonl$/.exec(name);
      const leftover = name.endsWith(".pending.jsonl") || (active !== null && !pidAlive(Number(active[1])));
      if (!leftover) continue;
      const target = join(this.dir, `${process.pid}-${this.session}.claimed-${this.claims++}.jsonl`);
      try {
        await rename(join(this.dir, name), target);
        claimed.push(target);
      } catch {
        continue;
      }
    }
    return claimed;
  }

  /** Gives a file back for a later session, e.g. when the server is still down. */
  async release(file: string): Promise<void> {
    await rename(file, join(this.dir, `${randomUUID().replaceAll("-", "")}.pending.jsonl`)).catch(() => undefined);
  }

  async remove(file: string): Promise<void> {
    await rm(file, { force: true });
  }
}
