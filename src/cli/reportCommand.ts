import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "commander";
import { reportHtml } from "../report/html.js";
import { readSearchHistory, searchLocation } from "./searchHistory.js";

interface ReportFlags {
  output: string;
  tracking?: string;
  run?: string;
  title?: string;
}

export function register(program: Command): void {
  program
    .command("report")
    .description("write one self-contained HTML report of a search: loss history, parallel coordinates, parameter importance, slices, best trials, settings")
    .argument("[save-file]", "the search's save file (trialsSaveFile)")
    .option("--tracking <uri>", "read the search from MLflow instead (with --run)")
    .option("--run <parent-run-id>", "the search's parent run in MLflow")
    .option("-o, --output <file>", "the HTML file to write", "report.html")
    .option("--title <text>", "the page's title")
    .action(async (saveFile: string | undefined, flags: ReportFlags) => {
      const source = await readSearchHistory(searchLocation(saveFile, flags));
      const output = resolve(flags.output);
      writeFileSync(output, reportHtml(source, flags.title));
      process.stdout.write(`wrote ${output} (${source.trials.length} trials)\n`);
    });
}
