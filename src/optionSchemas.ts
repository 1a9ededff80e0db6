import { z } from "zod";

/** A whole number >= `min`; every way of missing it says so ("a whole number >= 1"). */
export function wholeNumber(min: number): z.ZodNumber {
  const expected = `a whole number >= ${min}`;
  return z.number({ error: expected }).int(expected).min(min, expected);
}

/** What `positiveSeconds` expects, in words. */
export const SECONDS_EXPECTED = "a finite number of seconds > 0";

/** A finite number of seconds > 0. */
export const positiveSeconds = z.number({ error: SECONDS_EXPECTED }).positive(SECONDS_EXPECTED).finite(SECONDS_EXPECTED);

/** The longest heartbeat of a queue, in seconds: the driver checks its trials this often, and a worker's job lock lasts this long. */
export const MAX_HEARTBEAT_SECONDS = 3600;

/** What `heartbeatSeconds` expects, in words. */
export const HEARTBEAT_EXPECTED = `a number of seconds > 0 and <= ${MAX_HEARTBEAT_SECONDS}`;

/** A queue's heartbeat. */
export const heartbeatSeconds = z.number({ error: HEARTBEAT_EXPECTED }).positive(HEARTBEAT_EXPECTED).max(MAX_HEARTBEAT_SECONDS, HEARTBEAT_EXPECTED);
