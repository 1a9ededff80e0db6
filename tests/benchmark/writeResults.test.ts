import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it, vi } from "vitest";
import { writeRequested, writeResults } from "../../benchmarks/writeResults.js";
import { tempDir } from "../support/tempDir.js";

const files = { "speed.md": "# Speed\n", "speed.json": "{}\n" };
const resultsIn = (dir: string): URL => pathToFileURL(join(dir, "results") + "/");

describe("benchmark results", () => {
  it("are printed only, never written, without --write", () => {
    const dir = tempDir("bench-results");
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const wrote = writeResults(files, ["node", "speed.ts"], resultsIn(dir));
    const said = String(stderr.mock.calls[0]?.[0]);
    stderr.mockRestore();
    expect(wrote).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
    expect(said).toMatch(/run with --write to replace speed\.md, speed\.json/);
  });

  it("replace the committed files with --write", () => {
    const dir = tempDir("bench-results");
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const wrote = writeResults(files, ["node", "speed.ts", "--write"], resultsIn(dir));
    stderr.mockRestore();
    expect(wrote).toBe(true);
    expect(readFileSync(join(dir, "results", "speed.md"), "utf8")).toBe("# Speed\n");
    expect(existsSync(join(dir, "results", "speed.json"))).toBe(true);
  });

  it("look for --write among the command's own arguments only", () => {
    expect(writeRequested(["/usr/bin/node", "--write"])).toBe(false);
    expect(writeRequested(["node", "quality.ts", "--write"])).toBe(true);
    expect(writeRequested(["node", "quality.ts"])).toBe(false);
  });
});
