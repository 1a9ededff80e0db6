import { describe, expect, it } from "vitest";
import { reportData } from "../../src/report/data.js";
import { renderReport, scriptSafeJSON } from "../../src/report/html.js";
import { hp } from "../../src/space/hp.js";
import { spaceToJSON } from "../../src/space/json.js";
import type { Trial } from "../../src/trials/trial.js";

const hostile = "</script><script>window.hacked = 1</script>";

describe("the report page", () => {
  it("keeps embedded text from closing its <script> element, and reads back to the same value", () => {
    const value = { a: hostile, b: "<!-- x -->", c: "\u2028\u2029" };
    const text = scriptSafeJSON(value);
    expect(text).not.toMatch(/<\/script|<!--|\u2028|\u2029/i);
    expect(JSON.parse(text)).toEqual(value);
  });

  it("escapes labels and option names in the page's HTML, and inlines every script", () => {
    const space = { [hostile]: hp.choice(hostile, [hostile, "<b>"]) };
    const trials: Trial[] = [{ tid: 0, status: "ok", assignment: { [hostile]: 0 }, params: {}, loss: 1, startTime: 0, endTime: 10, metrics: [] }];
    const html = renderReport(reportData({ source: "<src>", trials, space: spaceToJSON(space) }), "<title>");
    expect(html.match(/<\/script>/g)).toHaveLength(3);
    expect(html.match(/<script[ >]/g)).toHaveLength(3);
    expect(html).not.toContain("window.hacked = 1</script>");
    expect(html).toContain("&#60;src&#62;");
    const markup = html.replace(/(<script[^>]*>)[^]*?<\/script>/g, "$1</script>");
    expect(markup.match(/<[a-z]+\b[^>]*>/g)?.filter((tag) => /\s(src|href)=/.test(tag))).toEqual([]);
  });

  it("summarizes the best trial and counts ok and failed trials", () => {
    const space = { x: hp.uniform("x", 0, 1), kind: hp.choice("kind", ["a", "b"]) };
    const trials: Trial[] = [
      { tid: 0, status: "ok", assignment: { x: 0.5, kind: 1 }, params: {}, loss: 2, startTime: 1_000, endTime: 2_000, metrics: [] },
      { tid: 1, status: "ok", assignment: { x: 0.25, kind: 0 }, params: {}, loss: 0.5, startTime: 2_000, endTime: 4_000, metrics: [] },
      { tid: 2, status: "fail", assignment: { x: 0.75, kind: 0 }, params: {}, startTime: 4_000, endTime: 5_000, metrics: [], error: { kind: "error", message: "nan" } },
      { tid: 3, status: "running", assignment: { x: 0.1, kind: 0 }, params: {}, startTime: 5_000, metrics: [] },
    ];
    const data = reportData({ source: "s", trials, space: spaceToJSON(space), seed: 3 });
    expect(data.settings.counts).toEqual({ total: 3, ok: 2, failed: 1 });
    expect(data.settings.time).toEqual({ start: 1_000, end: 5_000, seconds: 4 });
    expect(data.trials.map((t) => [t.tid, t.loss, t.error])).toEqual([[0, 2, null], [1, 0.5, null], [2, null, "nan"]]);
    expect(data.params).toEqual([
      { label: "x", kind: "uniform", log: false, conditional: false },
      { label: "kind", kind: "choice", log: false, conditional: false, choices: ["a", "b"] },
    ]);
    expect(renderReport(data)).toContain("Best loss 0.5 at trial 1 of 3: x = 0.25, kind = a");
  });
});
