import { describe, expect, it } from "vitest";
import { cli } from "../support/cli.js";

describe("hyperopt-ts --help", () => {
  it("lists every subcommand, and each has its own --help", async () => {
    const top = await cli("--help");
    expect(top.code).toBe(0);
    for (const name of ["run", "report", "export", "bench", "worker"]) {
      expect(top.stdout).toMatch(new RegExp(`^  ${name}\\b`, "m"));
      const help = await cli(name, "--help");
      expect(help.code, name).toBe(0);
      expect(help.stdout).toContain(`Usage: hyperopt-ts ${name}`);
    }
    expect((await cli("run", "--help")).stdout).toContain("Exit codes: 0 finished, 1 no trial succeeded, 2 bad command line or search file, 130 interrupted.");
    expect((await cli("report", "--help")).stdout).toContain("-o, --output <file>");
  });
});
