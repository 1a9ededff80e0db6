import { writeFileSync } from "node:fs";
import { Option, type Command } from "commander";
import { trialTable, type TrialTable } from "../report/rows.js";
import { readSearchHistory, searchLocation } from "./searchHistory.js";

interface ExportFlags {
  format: "csv" | "json";
  output?: string;
  tracking?: string;
  run?: string;
}

/** The table as CSV; csv-stringify is loaded here, by the one command that writes CSV. */
async function csv(table: TrialTable): Promise<string> {
  const { stringify } = await import("csv-stringify/sync");
  return stringify([table.columns, ...table.rows.map((row) => row.map((cell) => (cell === null ? "" : cell)))], { cast: { boolean: (b) => String(b) } });
}

function json(table: TrialTable): string {
  const objects = table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c, row[i] ?? null])));
  return `${JSON.stringify(objects, null, 2)}\n`;
}

export function register(program: Command): void {
  program
    .command("export")
    .description("export a search's trials, one row per trial with the parameters as columns (inactive conditional parameters empty)")
    .argument("[save-file]", "the search's save file (trialsSaveFile)")
    .addOption(new Option("--format <format>", "csv or json").choices(["csv", "json"]).default("csv"))
    .option("-o, --output <file>", "write to this file instead of stdout")
    .option("--tracking <uri>", "read the search from MLflow instead (with --run)")
    .option("--run <parent-run-id>", "the search's parent run in MLflow")
    .action(async (saveFile: string | undefined, flags: ExportFlags) => {
      const source = await readSearchHistory(searchLocation(saveFile, flags));
      const table = trialTable(source.trials, source.space);
      const text = flags.format === "csv" ? await csv(table) : json(table);
      if (flags.output === undefined) process.stdout.write(text);
      else writeFileSync(flags.output, text);
    });
}
