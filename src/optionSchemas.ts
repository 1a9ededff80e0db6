import { z } from "zod";

/** A whole number >= `min`; every way of missing it says so ("a whole number >= 1"). */
export function wholeNumber(min: number): z.ZodNumber {
  const expected = `a whole number >= ${min}`;
  return z.number({ error: expected }).int(expected).min(min, expected);
}

const SECONDS = "a finite number of seconds > 0";

/** A finite number of seconds > 0. */
export const positiveSeconds = z.number({ error: SECONDS }).positive(SECONDS).finite(SECONDS);

/** The longest heartbeat of a queue, in seconds: the driver checks its trials this often, and a worker's job lock lasts this long. */
export const MAX_HEARTBEAT_SECONDS = 3600;

const HEARTBEAT = `a number of seconds > 0 and <= ${MAX_HEARTBEAT_SECONDS}`;

/** A queue's heartbeat. */
export const heartbeatSeconds = z.number({ error: HEARTBEAT }).positive(HEARTBEAT).max(MAX_HEARTBEAT_SECONDS, HEARTBEAT);
