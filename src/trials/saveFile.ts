import { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { z } from "zod";
import { HyperoptArgumentError } from "../errors.js";
import type { Trial } from "./trial.js";
import { Trials } from "./trials.js";

const errorSchema = z.object({ message: z.string(), stack: z.string().optional(), kind: z.string() });
const trialSchema = z.object({
  tid: z.number().int().nonnegative(),
  status: z.enum(["running", "ok", "fail", "timeout", "cancelled"]),
  assignment: z.record(z.string(), z.number()),
  params: z.unknown(),
  loss: z.number().optional(),
  result: z.record(z.string(), z.unknown()).optional(),
  error: errorSchema.optional(),
  startTime: z.number(),
  endTime: z.number().optional(),
  metrics: z.array(z.object({ name: z.string(), value: z.number(), step: z.number(), timestamp: z.number() })).default([]),
});
const headerSchema = z.object({
  format: z.literal("hyperopt-ts.trials"),
  version: z.literal(1),
  seed: z.number().optional(),
  space: z.unknown().optional(),
});

/** Checks one trial line of a save file. */
function parseTrial(value: unknown, where: string): Trial {
  const r = trialSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new HyperoptArgumentError(where, `${where}: not a trial record (${issue?.path.join(".") ?? ""}: ${issue?.message ?? ""})`);
  }
  return r.data as Trial;
}

/**
 * A search's save file: a header line, then one JSON line per finished trial, appended as each
 * trial ends. Appending keeps saving linear in the number of trials; a line cut short by a crash
 * is dropped when the file is read, and the file is rewritten whole (to a temporary file, then
 * renamed over it) each time a search opens it.
 */
export class SaveFile {
  constructor(readonly path: string) {}

  exists(): boolean {
    return existsSync(this.path);
  }

  /** Reads the history; finished trials only. */
  read(): Trials {
    const lines = readFileSync(this.path, "utf8").split("\n");
    const where = `trialsSaveFile (${this.path})`;
    let header: z.infer<typeof headerSchema>;
    try {
      header = headerSchema.parse(JSON.parse(lines[0] ?? ""));
    } catch {
      throw new HyperoptArgumentError("trialsSaveFile", `${where}: not a hyperopt-ts save file (its first line is not the header)`);
    }
    const trials: Trial[] = [];
    const last = lines.length - 1;
    for (let i = 1; i <= last; i++) {
      const line = lines[i] as string;
      if (line.trim() === "") continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        if (i === last) break;
        throw new HyperoptArgumentError("trialsSaveFile", `${where}: line ${i + 1} is not JSON`);
      }
      trials.push(parseTrial(value, `${where} line ${i + 1}`));
    }
    trials.sort((a, b) => a.tid - b.tid);
    const out = new Trials(trials);
    out.seed = header.seed;
    out.space = header.space;
    return out;
  }

  /** Replaces the file with this history (finished trials only), atomically. */
  writeAll(trials: Trials): void {
    const { trials: all, ...header } = trials.toJSON();
    const body = all.filter((t) => t.status !== "running").map((t) => `${JSON.stringify(t)}\n`).join("");
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(header)}\n${body}`);
    renameSync(tmp, this.path);
  }

  /** Adds one finished trial. */
  append(trial: Trial): void {
    appendFileSync(this.path, `${JSON.stringify(trial)}\n`);
  }
}
