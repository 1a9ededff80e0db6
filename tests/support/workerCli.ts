import { runCommandLine } from "../../src/cli/program.js";

/* The `hyperopt-ts` command line as its bin runs it, from the sources: `node --import tsx workerCli.ts worker ...`. */
process.exitCode = await runCommandLine(process.argv.slice(2));
