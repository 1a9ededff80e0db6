import { describeValue, HyperoptArgumentError } from "../../errors.js";

/**
 * Input that MLflow would refuse (its `INVALID_PARAMETER_VALUE`) or silently corrupt. A `HyperoptArgumentError`:
 * `argument` is the option or MLflow field that was wrong (`trackingUri`, `key`, `max_results`, ...), `expected`
 * what it should have been, in words, and `received` what was given, rendered for reading.
 */
export class TrackingValidationError extends HyperoptArgumentError {
  override readonly name = "TrackingValidationError";
  readonly errorCode = "INVALID_PARAMETER_VALUE";
  declare readonly expected: string;
  declare readonly received: string;
  constructor(argument: string, message: string, expected: string, received: unknown, options?: ErrorOptions) {
    super(argument, message, { ...options, expected, received: describeValue(received) });
  }
}

/**
 * The error for a tracking input that is not what MLflow takes: "`subject` must be `expected`, got `received`",
 * where `subject` names the input in the message (default: `argument`).
 */
export function invalidTrackingArgument(argument: string, expected: string, received: unknown, subject = argument): TrackingValidationError {
  return new TrackingValidationError(argument, `${subject} must be ${expected}, got ${describeValue(received)}`, expected, received);
}

/**
 * A tracking store refused or failed a call. `errorCode` is MLflow's (`RESOURCE_DOES_NOT_EXIST`, ...) or
 * `CONNECTION_ERROR` / `TIMEOUT`, or `STORE_CLOSED` for a call after `close`; `retryable` says whether the
 * same call may succeed later.
 */
export class MlflowError extends Error {
  override readonly name = "MlflowError";
  constructor(
    message: string,
    readonly errorCode: string,
    readonly retryable: boolean,
    readonly httpStatus?: number,
  ) {
    super(message);
  }
}

/**
 * fmin's `registerModel` could not register the best trial's model. Thrown after the search, once every record
 * is stored; `result` holds what fmin would have returned (when a trial succeeded).
 */
export class ModelRegistrationError extends Error {
  override readonly name = "ModelRegistrationError";
  result: unknown;
}

export function isRetryable(error: unknown): boolean {
  return error instanceof MlflowError && error.retryable;
}

/** The error code of a tracking failure, `UNKNOWN` for anything else. */
export function errorCodeOf(error: unknown): string {
  if (error instanceof MlflowError || error instanceof TrackingValidationError) return error.errorCode;
  return "UNKNOWN";
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
