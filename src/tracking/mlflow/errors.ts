/** Input that MLflow would refuse or silently corrupt; the message names the argument and what was expected. */
export class TrackingValidationError extends Error {
  override readonly name = "TrackingValidationError";
  readonly errorCode = "INVALID_PARAMETER_VALUE";
}

/**
 * A tracking store refused or failed a call. `errorCode` is MLflow's (`RESOURCE_DOES_NOT_EXIST`, ...) or
 * `CONNECTION_ERROR` / `TIMEOUT`; `retryable` says whether the same call may succeed later.
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
