import { describe, expect, it } from "vitest";
import { cli } from "../support/cli.js";

describe("hyperopt-ts bench", () => {
  it("prints the markdown table of the chosen algorithms, problems, seeds and budgets", async () => {
    const r = await cli("bench", "--algorithms", "rand,tpe", "--problems", "branin", "--seeds", "2", "--budgets", "5,10");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("### Best observed loss after 5 evaluations");
    expect(r.stdout).toContain("### Best observed loss after 10 evaluations");
    expect(r.stdout).toContain("| problem | rand | tpe |");
    expect(r.stdout.match(/^\| branin \| \**[\d.]+ \[[\d.]+, [\d.]+\]\** \| \**[\d.]+ \[/gm)).toHaveLength(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(4);
  });

  it("exits 2 on an unknown algorithm or problem, or a bad number", async () => {
    const cases = [
      [["bench", "--algorithms", "rand,bayes"], /--algorithms: unknown name "bayes"; expected some of rand, anneal, tpe-hyperopt, tpe/],
      [["bench", "--problems", "rosenbrock9"], /--problems: unknown name "rosenbrock9"/],
      [["bench", "--seeds", "0"], /expected a whole number >= 1, got "0"/],
      [["bench", "--budgets", "10,x"], /expected a whole number >= 1, got "x"/],
    ] as const;
    for (const [args, message] of cases) {
      const r = await cli(...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});
