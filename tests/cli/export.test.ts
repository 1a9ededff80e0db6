import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { hp } from "../../src/space/hp.js";
import { spaceToJSON } from "../../src/space/json.js";
import { SaveFile } from "../../src/trials/saveFile.js";
import { Trials } from "../../src/trials/trials.js";
import type { Trial } from "../../src/trials/trial.js";
import { cli, folderWith } from "../support/cli.js";

const space = {
  note: hp.choice("note", ['say "hi", then go', "line\nbreak", "plain"]),
  model: hp.choice("model", [{ kind: "svm", C: hp.loguniform("C", -5, 5) }, { kind: "tree", depth: hp.randint("depth", 2, 12) }]),
};

function saveFileOf(dir: string): string {
  const trials: Trial[] = [
    { tid: 0, status: "ok", assignment: { note: 0, model: 0, C: 1.5 }, params: {}, loss: 0.25, startTime: 1_000, endTime: 3_500, metrics: [] },
    { tid: 1, status: "ok", assignment: { note: 1, model: 1, depth: 7 }, params: {}, loss: 0.5, startTime: 4_000, endTime: 4_500, metrics: [] },
    { tid: 2, status: "fail", assignment: { note: 2, model: 1, depth: 3 }, params: {}, startTime: 5_000, endTime: 5_100, metrics: [], error: { kind: "error", message: "bad, \"very\" bad" } },
  ];
  const history = new Trials(trials);
  history.seed = 4;
  history.space = spaceToJSON(space);
  const path = join(dir, "search.jsonl");
  new SaveFile(path).writeAll(history);
  return path;
}

describe("hyperopt-ts export", () => {
  it("writes CSV with one row per trial, parameters as columns, quotes and newlines escaped, inactive parameters empty", async () => {
    const dir = folderWith({});
    const r = await cli("export", saveFileOf(dir), "--format", "csv");
    expect(r.code).toBe(0);
    const rows = parse(r.stdout) as string[][];
    expect(rows[0]).toEqual(["tid", "status", "loss", "start", "seconds", "note", "model", "C", "depth", "error"]);
    expect(rows.slice(1)).toEqual([
      ["0", "ok", "0.25", "1970-01-01T00:00:01.000Z", "2.5", 'say "hi", then go', "svm", "1.5", "", ""],
      ["1", "ok", "0.5", "1970-01-01T00:00:04.000Z", "0.5", "line\nbreak", "tree", "", "7", ""],
      ["2", "fail", "", "1970-01-01T00:00:05.000Z", "0.1", "plain", "tree", "", "3", 'bad, "very" bad'],
    ]);
    expect(r.stdout).toContain('"say ""hi"", then go"');
  });

  it("writes JSON objects with null for inactive parameters, to a file with -o", async () => {
    const dir = folderWith({});
    const out = join(dir, "trials.json");
    expect((await cli("export", saveFileOf(dir), "--format", "json", "-o", out)).code).toBe(0);
    const rows = JSON.parse(readFileSync(out, "utf8")) as Record<string, unknown>[];
    expect(rows).toHaveLength(3);
    expect(rows[1]).toEqual({ tid: 1, status: "ok", loss: 0.5, start: "1970-01-01T00:00:04.000Z", seconds: 0.5, note: "line\nbreak", model: "tree", C: null, depth: 7, error: null });
  });

  it("exits 2 on a bad format, a missing file, or a file that is not a save file", async () => {
    const dir = folderWith({ "other.txt": "hello\n" });
    const cases = [
      [["export", saveFileOf(dir), "--format", "xlsx"], /argument 'xlsx' is invalid\. Allowed choices are csv, json/],
      [["export", join(dir, "none.jsonl")], /none\.jsonl: no such file/],
      [["export", join(dir, "other.txt")], /not a hyperopt-ts save file/],
      [["export"], /give a save file, or --tracking <uri> and --run <parent-run-id>/],
    ] as const;
    for (const [args, message] of cases) {
      const r = await cli(...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});
