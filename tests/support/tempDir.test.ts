import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tempDir } from "./tempDir.js";

describe("tempDir", () => {
  let made = "";

  it("makes a new empty folder for the test", () => {
    made = tempDir("support");
    writeFileSync(join(made, "file.txt"), "kept until the test ends");
    expect(existsSync(join(made, "file.txt"))).toBe(true);
    expect(tempDir("support")).not.toBe(made);
  });

  it("has removed the folder, with its files, once the test that made it ended", () => {
    expect(made).not.toBe("");
    expect(existsSync(made)).toBe(false);
  });
});
