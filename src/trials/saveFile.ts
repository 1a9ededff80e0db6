import { appendFileSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { z } from "zod";
import { HyperoptArgumentError } from "../errors.js";
import { isFinished, type Trial } from "./trial.js";
import { parseSpaceShape, parseTrial } from "./trialSchema.js";
import { Trials } from "./trials.js";

const headerSchema = z.object({
  format: z.literal("hyperopt-ts.trials"),
  version: z.literal(1),
  seed: z.number().optional(),
  space: z.unknown().optional(),
  spaceShape: z.unknown().optional(),
});

/**
 * A search's save file: a header line, then one JSON line per finished trial, appended as each
 * trial ends. Appending keeps saving linear in the number of trials; a line cut short by a crash
 * is dropped when the file is read, and the file is rewritten whole (to a temporary file, then
 * renamed over it) each time a search opens it.
 */
export class SaveFile {
  constructor(readonly path: string) {
    checkPlace(path);
  }

  exists(): boolean {
    return existsSync(this.path);
  }

  /** Reads the history; finished trials only. */
  read(): Trials {
    const lines = readFileSync(this.path, "utf8").split("\n");
    const where = `trialsSaveFile (${this.path})`;
    if (lines.every((line) => line.trim() === "")) {
      throw saveFileError(`${where}: the file is empty; delete it to start a new search`, "a hyperopt-ts save file", "an empty file");
    }
    const header = parseHeader(lines[0] as string, where);
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
        throw saveFileError(`${where}: line ${i + 1} is not JSON`, "one JSON trial record a line", line.slice(0, 80));
      }
      trials.push(parseTrial(value, `${where} line ${i + 1}`, "trialsSaveFile"));
    }
    trials.sort((a, b) => a.tid - b.tid);
    const out = new Trials(trials);
    out.seed = header.seed;
    out.space = header.space;
    if (header.spaceShape !== undefined) out.spaceShape = parseSpaceShape(header.spaceShape, `${where} line 1`, "trialsSaveFile");
    return out;
  }

  /** Replaces the file with this history (finished trials only), atomically. */
  writeAll(trials: Trials): void {
    const { trials: all, ...header } = trials.toJSON();
    const body = all.filter(isFinished).map((t) => `${JSON.stringify(t)}\n`).join("");
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(header)}\n${body}`);
    renameSync(tmp, this.path);
  }

  /** Adds one finished trial. */
  append(trial: Trial): void {
    appendFileSync(this.path, `${JSON.stringify(trial)}\n`);
  }
}

function parseHeader(line: string, where: string): z.infer<typeof headerSchema> {
  try {
    return headerSchema.parse(JSON.parse(line));
  } catch {
    throw saveFileError(`${where}: not a hyperopt-ts save file (its first line is not the header)`, 'a first line {"format":"hyperopt-ts.trials",...}', line.slice(0, 80));
  }
}

function saveFileError(message: string, expected: string, received: string): HyperoptArgumentError {
  return new HyperoptArgumentError("trialsSaveFile", message, { expected, received });
}

/** Refuses, before the search starts, a path that names a directory or lies in a directory that does not exist. */
function checkPlace(path: string): void {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat?.isDirectory()) {
    throw saveFileError(`trialsSaveFile: ${path} is a directory; give the path of a file in it`, "a file path", `the directory ${path}`);
  }
  const parent = dirname(path);
  const parentStat = statSync(parent, { throwIfNoEntry: false });
  if (parentStat === undefined || !parentStat.isDirectory()) {
    throw saveFileError(`trialsSaveFile: the directory ${parent} of ${path} does not exist; create it first`, "a file path in an existing directory", path);
  }
}
