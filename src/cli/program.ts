import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { HyperoptArgumentError } from "../errors.js";
import { register as registerBench } from "./benchCommand.js";
import { register as registerExport } from "./exportCommand.js";
import { register as registerReport } from "./reportCommand.js";
import { register as registerRun } from "./runCommand.js";
import { register as registerWorker } from "./workerCommand.js";
import { CliError, EXIT } from "./exit.js";

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

/** The `hyperopt-ts` command and its subcommands. */
export function createProgram(): Command {
  const program = new Command("hyperopt-ts")
    .description("hyperparameter search from the command line: run a search file, report on it, export its trials, benchmark algorithms, serve a queue's trials")
    .version(version())
    .exitOverride()
    .showHelpAfterError();
  registerRun(program);
  registerReport(program);
  registerExport(program);
  registerBench(program);
  registerWorker(program);
  return program;
}

/** Runs the command line on `argv` (the arguments after the program name); resolves to the exit code. */
export async function runCommandLine(argv: readonly string[]): Promise<number> {
  try {
    await createProgram().parseAsync([...argv], { from: "user" });
    return EXIT.finished;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.finished : EXIT.usage;
    if (error instanceof CliError) {
      process.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof HyperoptArgumentError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`hyperopt-ts: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
