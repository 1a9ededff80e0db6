import { describe, expect, it } from "vitest";
import { speedSpaces } from "../../src/benchmark/problems.js";
import { compile } from "../../src/space/compile.js";
import { sampleAssignment } from "../../src/space/sample.js";
import { spaceEval } from "../../src/space/spaceEval.js";
import { createRng } from "../../src/rng/rng.js";

describe("the speed benchmark's spaces", () => {
  it("are read from the suite file as spaces whose history loss is finite", () => {
    const spaces = speedSpaces();
    expect(spaces.map((s) => s.name)).toEqual(["uniform2d", "mixed10d"]);
    expect(compile(spaces[0]?.space).params.map((p) => p.label)).toEqual(["x", "y"]);
    expect(compile(spaces[1]?.space).params.length).toBeGreaterThanOrEqual(10);
    const rng = createRng(1);
    for (const { space, loss } of spaces) {
      const config = spaceEval(space, sampleAssignment(compile(space), rng));
      expect(Number.isFinite(loss(config))).toBe(true);
    }
  });
});
