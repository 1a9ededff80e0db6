import { Command } from "commander";
import { register } from "../../src/cli/commands/worker.js";

/* The `hyperopt-ts worker` command on its own, as the bin registers it: `node --import tsx workerCli.ts worker ...`. */
const program = new Command("hyperopt-ts");
register(program);
await program.parseAsync(process.argv);
