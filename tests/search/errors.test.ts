import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fmin, hp, HyperoptArgumentError } from "../../src/index.js";
import { tempDir } from "../support/tempDir.js";

const space = { x: hp.uniform("x", 0, 1), c: hp.choice("c", ["a", "b"]) };
const quiet = { showProgressbar: false, maxEvals: 2 } as const;
const tmp = (): string => tempDir("errors");

async function argumentError(run: Promise<unknown>): Promise<HyperoptArgumentError> {
  const e = await run.catch((x: unknown) => x);
  expect(e).toBeInstanceOf(HyperoptArgumentError);
  return e as HyperoptArgumentError;
}

describe("errors that say what happened", () => {
  it("a trialsSaveFile that is a directory", async () => {
    const dir = tmp();
    const e = await argumentError(fmin({ fn: () => 0, space, trialsSaveFile: dir, ...quiet }));
    expect(e.argument).toBe("trialsSaveFile");
    expect(e.message).toBe(`trialsSaveFile: ${dir} is a directory; give the path of a file in it`);
  });

  it("a trialsSaveFile in a directory that does not exist", async () => {
    const file = join(tmp(), "missing", "trials.jsonl");
    const e = await argumentError(fmin({ fn: () => 0, space, trialsSaveFile: file, ...quiet }));
    expect(e.message).toBe(`trialsSaveFile: the directory ${join(file, "..")} of ${file} does not exist; create it first`);
  });

  it("an empty save file", async () => {
    const file = join(tmp(), "trials.jsonl");
    writeFileSync(file, "");
    const e = await argumentError(fmin({ fn: () => 0, space, trialsSaveFile: file, ...quiet }));
    expect(e.argument).toBe("trialsSaveFile");
    expect(e.message).toBe(`trialsSaveFile (${file}): the file is empty; delete it to start a new search`);
  });

  it("a missing objective module", async () => {
    const path = join(tmp(), "objective.mjs");
    const e = await argumentError(fmin({ fn: path, space, ...quiet }));
    expect(e.argument).toBe("fn");
    expect(e.message).toBe(`fn: the objective module ${path} does not exist`);
  });

  it("a syntax error in a JavaScript objective module, with file and line", async () => {
    const dir = tmp();
    const path = join(dir, "objective.mjs");
    writeFileSync(path, "export default function (p) {\n  return p.x +;\n}\n");
    const e = await argumentError(fmin({ fn: path, space, ...quiet }));
    expect(e.argument).toBe("fn");
    expect(e.message).toBe(`fn: the objective module has a syntax error at ${path}:2: Unexpected token ';'`);
  });

  it("a syntax error in a TypeScript objective module, with file, line and column", async () => {
    const dir = tmp();
    mkdirSync(join(dir, "src"));
    const path = join(dir, "src", "objective.ts");
    writeFileSync(path, "export default function (p: { x: number }): number {\n  return p.x +;\n}\n");
    const e = await argumentError(fmin({ fn: path, space, ...quiet }));
    expect(e.message).toMatch(new RegExp(`^fn: the objective module has a syntax error at ${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:2:\\d+: `));
  });

  it("hp.choice with options that are not an array", () => {
    expect(() => hp.choice("c", "abc" as never)).toThrow('hp.choice("c"): argument "options" must be an array of options, got "abc"');
  });

  it("a point to evaluate that names a choice's value instead of its index", async () => {
    const e = await argumentError(fmin({ fn: () => 0, space, pointsToEvaluate: [{ x: 0.5, c: "b" as never }], ...quiet }));
    expect(e.argument).toBe("pointsToEvaluate.0.c");
    expect(e.message).toMatch(/option "pointsToEvaluate.0.c" must be .*choices take the option's index/);
    const outside = await argumentError(fmin({ fn: () => 0, space, pointsToEvaluate: [{ x: 0.5, c: 2 }], ...quiet }));
    expect(outside.message).toBe('pointsToEvaluate[0]: "c" = 2 lies outside its choice distribution (a choice takes its option\'s index)');
  });

  it("a status that is not ok or fail shows the value", async () => {
    const r = await fmin({ fn: () => ({ loss: 1, status: "STATUS_OK" as never }), space, ...quiet }).catch((e: { trials: { trials: { error?: { message: string } }[] } }) => e);
    expect(r.trials.trials[0]?.error?.message).toMatch(/status must be "ok" or "fail" \(STATUS_OK or STATUS_FAIL\), got "STATUS_OK"/);
  });
});
