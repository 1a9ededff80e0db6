import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { CLIENT_SCRIPT } from "./client.js";
import { cellValue } from "./columns.js";
import { reportData, type ReportData, type ReportSource } from "./data.js";

let echartsSource: string | undefined;

/** ECharts' minified browser build, read once from the installed package. */
function echartsScript(): string {
  if (echartsSource === undefined) {
    const main = createRequire(import.meta.url).resolve("echarts");
    echartsSource = readFileSync(join(dirname(main), "echarts.min.js"), "utf8");
  }
  return echartsSource;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that cannot end the <script> element holding it (`<` as \u003c) nor break a JS parser (U+2028/9). */
export function scriptSafeJSON(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** Script text with any `</script` written as `<\/script`, which means the same to JavaScript. */
function inlineScript(code: string): string {
  return code.replace(/<\/(script)/gi, "<\\/$1");
}

function formatNumber(x: number): string {
  return Number.isInteger(x) ? String(x) : Number(x.toPrecision(6)).toString();
}

function cellText(value: string | number | boolean | null): string {
  if (value === null) return "";
  return typeof value === "number" ? formatNumber(value) : String(value);
}

function bestTable(data: ReportData, count: number): string {
  const best = data.trials
    .filter((t) => t.loss !== null)
    .sort((a, b) => (a.loss as number) - (b.loss as number) || a.tid - b.tid)
    .slice(0, count);
  if (best.length === 0) return "<p>No trial succeeded.</p>";
  const head = ["rank", "trial", "loss", ...data.params.map((p) => p.label), "seconds"].map((h) => `<th>${escapeHtml(h)}</th>`).join("");
  const rows = best.map((t, i) => {
    const cells = [String(i + 1), String(t.tid), formatNumber(t.loss as number), ...data.params.map((p) => cellText(cellValue(p, t.params))), t.duration === null ? "" : t.duration.toFixed(2)];
    return `<tr>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`;
  });
  return `<table><thead><tr>${head}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function settingsList(data: ReportData): string {
  const s = data.settings;
  const algorithm = s.algorithm === null ? "not recorded" : `${s.algorithm.name} ${JSON.stringify(s.algorithm.settings)}`;
  const time = s.time.start === null ? "–" : `${new Date(s.time.start).toISOString()} to ${s.time.end === null ? "–" : new Date(s.time.end).toISOString()} (${s.time.seconds?.toFixed(1) ?? "–"} s)`;
  const items: [string, string][] = [
    ["source", s.source],
    ["algorithm", algorithm],
    ["seed", s.seed === null ? "not recorded" : String(s.seed)],
    ["trials", `${s.counts.total}: ${s.counts.ok} ok, ${s.counts.failed} failed`],
    ["time", time],
  ];
  const space = s.space === null ? "not recorded" : JSON.stringify(s.space, null, 2);
  return `<dl>${items.map(([k, v]) => `<dt>${k}</dt><dd>${escapeHtml(v)}</dd>`).join("")}<dt>space</dt><dd><pre>${escapeHtml(space)}</pre></dd></dl>`;
}

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 1200px; padding: 16px 24px; color: #222; background: #fff; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ddd; }
.chart { width: 100%; height: 380px; }
.charts { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
table { border-collapse: collapse; font-size: 0.9em; } th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: right; }
dt { font-weight: 600; margin-top: 0.5em; } dd { margin-left: 1em; } pre { font-size: 0.85em; max-height: 300px; overflow: auto; background: #f6f6f6; padding: 8px; }
`;

/** The report as one self-contained HTML page: its data, ECharts and the drawing script inline, nothing fetched. */
export function renderReport(data: ReportData, title = "hyperopt-ts search report"): string {
  const best = data.trials.filter((t) => t.loss !== null).sort((a, b) => (a.loss as number) - (b.loss as number))[0];
  const summary =
    best === undefined
      ? "No trial succeeded."
      : `Best loss ${formatNumber(best.loss as number)} at trial ${best.tid} of ${data.settings.counts.total}: ${data.params
          .filter((p) => best.params[p.label] !== undefined)
          .map((p) => `${p.label} = ${cellText(cellValue(p, best.params))}`)
          .join(", ")}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="summary">${escapeHtml(summary)}</p>
<div class="charts">
<section><div class="chart" data-chart="history"></div></section>
<section><div class="chart" data-chart="importance"></div></section>
</div>
<div class="chart" data-chart="parallel"></div>
<div class="chart" data-chart="slice"></div>
<h2>Best trials</h2>
${bestTable(data, 10)}
<h2>Settings</h2>
${settingsList(data)}
<script type="application/json" id="report-data">${scriptSafeJSON(data)}</script>
<script>${inlineScript(echartsScript())}</script>
<script>${inlineScript(CLIENT_SCRIPT)}</script>
</body>
</html>
`;
}

/** The report page of a search, from its trials and what is known of its settings. */
export function reportHtml(source: ReportSource, title?: string): string {
  return renderReport(reportData(source), title);
}
