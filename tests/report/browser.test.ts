import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportData, type ReportData } from "../../src/report/data.js";
import { renderReport } from "../../src/report/html.js";
import { openOffline, type OpenedPage } from "../support/chromium.js";
import { tunedSearch } from "../support/reportFixture.js";

const screenshotFile = fileURLToPath(new URL("../../docs/report.png", import.meta.url));

/** Per chart: the canvas's size and how many of its pixels are painted, and in how many colours. */
interface Drawn {
  chart: string;
  width: number;
  height: number;
  painted: number;
  colours: number;
}

/** What the test reads of a <canvas> (the project's TypeScript settings leave out the DOM's types). */
interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: "2d"): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
}

describe("the report in headless Chromium, network off", { timeout: 60_000 }, () => {
  let opened: OpenedPage;
  let data: ReportData;
  let file: string;
  let dir: string;

  beforeAll(async () => {
    data = reportData(await tunedSearch());
    dir = mkdtempSync(join(tmpdir(), "hyperopt-report-browser-"));
    file = join(dir, "report.html");
    writeFileSync(file, renderReport(data));
    opened = await openOffline(file);
    await opened.page.waitForSelector("body[data-drawn]", { timeout: 30_000 });
  }, 60_000);
  afterAll(async () => {
    await opened?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("makes no request besides the file and logs no error", () => {
    expect(opened.requests).toEqual([pathToFileURL(file).href]);
    expect(opened.errors).toEqual([]);
  });

  it("draws every chart: a canvas of non-zero size with many painted pixels in several colours", async () => {
    const drawn = await opened.page.$$eval("[data-chart]", (elements) =>
      elements.map((el) => {
        const canvas = el.querySelector("canvas") as unknown as CanvasLike;
        const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        const colours = new Set<number>();
        for (let i = 0; i < pixels.length; i += 4) {
          if ((pixels[i + 3] as number) === 0) continue;
          painted++;
          colours.add(((pixels[i] as number) << 16) | ((pixels[i + 1] as number) << 8) | (pixels[i + 2] as number));
        }
        return { chart: el.getAttribute("data-chart") as string, width: canvas.width, height: canvas.height, painted, colours: colours.size };
      }),
    );
    expect(drawn.map((d: Drawn) => d.chart).sort()).toEqual(["history", "importance", "parallel", "slice"]);
    for (const d of drawn) {
      expect(d.width * d.height, d.chart).toBeGreaterThan(100_000);
      expect(d.painted, d.chart).toBeGreaterThan(2_000);
      expect(d.colours, d.chart).toBeGreaterThan(5);
    }
  });

  it("embeds its data for programs to read back", async () => {
    const embedded = await opened.page.$eval("#report-data", (el) => JSON.parse(el.textContent ?? "null") as unknown);
    expect(embedded).toEqual(JSON.parse(JSON.stringify(data)));
    expect(await opened.page.locator("table tbody tr").count()).toBe(10);
  });

  it("shows a screenshot that is not blank (written to docs/report.png with UPDATE_SCREENSHOT=1)", async () => {
    const shot = PNG.sync.read(await opened.page.screenshot({ fullPage: true }));
    const counts = new Map<number, number>();
    for (let i = 0; i < shot.data.length; i += 4) {
      const key = ((shot.data[i] as number) << 16) | ((shot.data[i + 1] as number) << 8) | (shot.data[i + 2] as number);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const background = Math.max(...counts.values());
    expect(counts.size).toBeGreaterThan(200);
    expect(background / (shot.width * shot.height)).toBeLessThan(0.95);
    if (process.env.UPDATE_SCREENSHOT === "1") writeFileSync(screenshotFile, PNG.sync.write(shot));
  });
});
