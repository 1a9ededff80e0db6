import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ReportData } from "../../src/report/data.js";
import { cli, folderWith } from "../support/cli.js";

const OBJECTIVE = `export default (p) => {
  if (p.x > 4.5) throw new Error("diverged");
  return (p.x - 1) ** 2 + (p.opt === "b" ? 0 : 3);
};
`;
const SEARCH = `objective: ./objective.mjs
space:
  x: { dist: uniform, label: x, low: -5, high: 5 }
  opt: { dist: choice, label: opt, options: [a, b] }
  unused: { dist: uniform, label: unused, low: 0, high: 1 }
algo: rand
maxEvals: 120
seed: 5
trialsSaveFile: search.jsonl
`;

function embedded(html: string): ReportData {
  const m = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html);
  return JSON.parse(m?.[1] ?? "null") as ReportData;
}

describe("hyperopt-ts report", () => {
  it("writes one HTML file from a save file: every chart's element and the data behind it", async () => {
    const dir = folderWith({ "search.yaml": SEARCH, "objective.mjs": OBJECTIVE });
    expect((await cli("run", join(dir, "search.yaml"))).code).toBe(0);
    const out = join(dir, "out.html");
    const r = await cli("report", join(dir, "search.jsonl"), "-o", out, "--title", "x <search>");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`wrote ${out} (120 trials)\n`);
    const html = readFileSync(out, "utf8");
    for (const chart of ["history", "parallel", "importance", "slice"]) expect(html).toContain(`data-chart="${chart}"`);
    expect(html).toContain("<title>x &#60;search&#62;</title>");
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|https?:\/\/cdn/);
    const data = embedded(html);
    expect(data.trials).toHaveLength(120);
    expect(data.settings.counts.failed).toBe(data.trials.filter((t) => t.status === "fail").length);
    expect(data.settings.counts.failed).toBeGreaterThan(0);
    expect(data.settings.seed).toBe(5);
    expect(Object.keys(data.importance)).toEqual(["x", "opt", "unused"]);
    expect(data.importance.unused).toBeLessThan(0.05);
    expect((data.importance.x as number) + (data.importance.opt as number)).toBeGreaterThan(0.9);
  });

  it("reads a tracked search from MLflow with --tracking and --run, algorithm included; the search logged report.html on its parent run", async () => {
    const dir = folderWith({ "search.yaml": SEARCH.replace("maxEvals: 120", "maxEvals: 8"), "objective.mjs": OBJECTIVE });
    const tracking = `file:${join(dir, "mlruns")}`;
    const run = await cli("run", join(dir, "search.yaml"), "--tracking", tracking, "--experiment", "cli-report");
    expect(run.code).toBe(0);
    const runId = /recorded in MLflow as run (\w+)/.exec(run.stdout)?.[1] as string;
    expect(runId).toBeDefined();
    const logged = readdirSync(join(dir, "mlruns"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith("report.html"));
    expect(logged).toEqual([expect.stringMatching(new RegExp(`${runId}/artifacts/report\\.html$`))]);
    expect(embedded(readFileSync(join(dir, "mlruns", logged[0] as string), "utf8")).trials).toHaveLength(8);
    const out = join(dir, "tracked.html");
    const r = await cli("report", "--tracking", tracking, "--run", runId, "-o", out);
    expect(r.code).toBe(0);
    const data = embedded(readFileSync(out, "utf8"));
    expect(data.trials.map((t) => t.tid)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(data.settings.algorithm?.name).toBe("rand");
    expect(data.settings.seed).toBe(5);
    expect(data.settings.space).toMatchObject({ x: { dist: "uniform", label: "x", low: -5, high: 5 }, opt: { dist: "choice", options: ["a", "b"] } });
    expect(data.params.map((p) => p.label)).toEqual(["x", "opt", "unused"]);
  });

  it("exits 2 when the source is missing or given twice, or the run does not exist", async () => {
    const dir = folderWith({});
    const cases = [
      [["report", join(dir, "none.jsonl")], /none\.jsonl: no such file/],
      [["report", join(dir, "a.jsonl"), "--tracking", `file:${dir}`, "--run", "abc"], /give either a save file or --tracking and --run, not both/],
      [["report", "--tracking", `file:${join(dir, "mlruns")}`, "--run", "0123456789abcdef"], /--run 0123456789abcdef: cannot read the run from /],
      [["report", "--run", "abc"], /give a save file, or --tracking <uri> and --run <parent-run-id>/],
      [["report", "--tracking", "http://me:s3cret@127.0.0.1:1", "--run", "abc"], /^--run abc: cannot read the run from http:\/\/127\.0\.0\.1:1\/: .*ECONNREFUSED/],
    ] as const;
    for (const [args, message] of cases) {
      const r = await cli(...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toContain("s3cret");
    }
  });
});
