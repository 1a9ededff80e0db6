/** Bad input: names the argument that was wrong and what was expected. */
export class HyperoptArgumentError extends Error {
  readonly argument: string;
  constructor(argument: string, message: string) {
    super(message);
    this.name = "HyperoptArgumentError";
    this.argument = argument;
  }
}
