/** Bad input: names the argument that was wrong and what was expected. */
export class HyperoptArgumentError extends Error {
  readonly argument: string;
  constructor(argument: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "HyperoptArgumentError";
    this.argument = argument;
  }
}
