/** The command line's exit codes. */
export const EXIT = {
  finished: 0,
  /** The search ran but no trial succeeded. */
  noTrialSucceeded: 1,
  /** A bad command line or config file. */
  usage: 2,
  /** Stopped by SIGINT / SIGTERM. */
  interrupted: 130,
} as const;

/** An error the command line reports as one message and an exit code, without a stack. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.usage,
  ) {
    super(message);
    this.name = "CliError";
  }
}
