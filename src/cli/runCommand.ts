import type { Command } from "commander";
import { HyperoptArgumentError } from "../errors.js";
import { QueueConnectionError } from "../executors/queue/redisUrl.js";
import { AllTrialsFailed } from "../search/allTrialsFailed.js";
import { fmin, type FminResult } from "../search/fmin.js";
import { onStopSignals } from "../search/signals.js";
import { ModelRegistrationError, TrackingValidationError } from "../tracking/mlflow/errors.js";
import type { MlflowTracker } from "../tracking/mlflowTracker.js";
import { openTracker } from "../tracking/openTracker.js";
import { CliError, EXIT } from "./exit.js";
import { parseInteger, parseWhole } from "./parse.js";
import { progressLines } from "./progressLines.js";
import { readSearchFile } from "./searchFile.js";
import { searchOptions, type RunFlags, type SearchOptions } from "./searchOptions.js";

/** The MLflow tracker the search file and flags ask for (opened here, so that its parent run can be printed). */
function trackerFor(options: SearchOptions): MlflowTracker | undefined {
  return openTracker({
    ...(options.tracking !== undefined ? { tracking: options.tracking } : {}),
    ...(options.experiment !== undefined ? { experiment: options.experiment } : {}),
    ...(options.runName !== undefined ? { runName: options.runName } : {}),
    ...(options.registerModel !== undefined ? { registerModel: options.registerModel } : {}),
  });
}

function printResult(result: FminResult<unknown>): void {
  const total = result.trials.length;
  const failed = result.trials.trials.filter((t) => t.status !== "ok").length;
  process.stdout.write(
    `best loss: ${result.bestLoss} (trial ${result.bestTrial.tid}; ${total} trials, ${failed} failed; stopped: ${result.stopReason})\n` +
      `best parameters: ${JSON.stringify(result.bestParams, null, 2)}\n`,
  );
}

async function runSearch(file: string, flags: RunFlags): Promise<void> {
  const showBar = process.stderr.isTTY === true;
  let options: SearchOptions;
  let tracker: MlflowTracker | undefined;
  try {
    options = searchOptions(await readSearchFile(file), flags);
    tracker = trackerFor(options);
    if (options.registerModel !== undefined && tracker === undefined) throw new CliError("registerModel: needs tracking to MLflow, which the search file (tracking: false) or --no-tracking turned off");
  } catch (error) {
    if (error instanceof TrackingValidationError) throw new CliError(`tracking: ${error.message}`);
    if (error instanceof HyperoptArgumentError) throw new CliError(error.message);
    throw error;
  }
  const { tracking: _tracking, experiment: _experiment, runName: _runName, registerModel: _registerModel, ...searchOnly } = options;
  const interrupt = new AbortController();
  let interrupted = false;
  const removeHandlers = onStopSignals((signal) => {
    interrupted = true;
    process.stderr.write(`\nhyperopt-ts: ${signal}: stopping the search; send it again to exit at once\n`);
    interrupt.abort();
  });
  try {
    const result = await fmin({
      ...searchOnly,
      ...(tracker ? { tracker } : { tracking: false }),
      ...(showBar ? {} : { onTrial: progressLines(options.maxEvals ?? Infinity) }),
      showProgressbar: showBar,
      signal: interrupt.signal,
      handleSignals: false,
    });
    printResult(result);
    if (tracker?.parentRunId !== undefined) process.stdout.write(`recorded in MLflow as run ${tracker.parentRunId}\n`);
    if (interrupted) throw new CliError("hyperopt-ts: interrupted; the trials so far are kept", EXIT.interrupted);
  } catch (error) {
    if (error instanceof AllTrialsFailed) throw new CliError(interrupted ? "hyperopt-ts: interrupted before any trial succeeded" : error.message, interrupted ? EXIT.interrupted : EXIT.noTrialSucceeded);
    if (error instanceof ModelRegistrationError) {
      printResult(error.result as FminResult<unknown>);
      throw new CliError(`registerModel: ${error.message}`, EXIT.noTrialSucceeded);
    }
    if (error instanceof HyperoptArgumentError) throw new CliError(error.message);
    if (error instanceof QueueConnectionError) throw new CliError(`hyperopt-ts: ${error.message}`, EXIT.noTrialSucceeded);
    throw error;
  } finally {
    removeHandlers();
  }
}

export function register(program: Command): void {
  program
    .command("run")
    .description("run the search a YAML or JSON search file describes (or a plain config of value lists, as a grid)")
    .argument("<search-file>", "objective, space or grid, algo, maxEvals, seed, timeout, parallelism, trialsSaveFile, tracking, ...")
    .option("--objective <module>", "the objective's module (its default export), relative to the working directory")
    .option("--export <name>", "a named export of the module instead of its default")
    .option("--max-evals <n>", "stop after this many trials", parseWhole(1))
    .option("--seed <n>", "seed of the search", parseInteger)
    .option("--trials-save-file <file>", "keep the history in this file; a later run with it continues the search")
    .option("--tracking [uri]", "where to record the search in MLflow (sqlite:///mlflow.db, file:./mlruns, http://host:5000, ...); default: MLFLOW_TRACKING_URI, else MLflow's default store (./mlflow.db, or ./mlruns when it holds a file store)")
    .option("--no-tracking", "record nothing in MLflow")
    .option("--experiment <name>", "MLflow experiment name")
    .option("--parallelism <n>", "trials run at once, on worker threads", parseWhole(1))
    .addHelpText(
      "after",
      `
Exit codes: 0 finished, 1 no trial succeeded, 2 bad command line or search file, 130 interrupted.

Example search file (paths relative to it):
  objective: ./objective.mjs
  grid: { learning_rate: [0.01, 0.001], batch_size: [16, 32] }
  trialsSaveFile: search.jsonl`,
    )
    .action(async (file: string, flags: RunFlags) => runSearch(file, flags));
}
