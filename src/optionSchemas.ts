import { z } from "zod";

/** A whole number >= `min`; every way of missing it says so ("a whole number >= 1"). */
export function wholeNumber(min: number): z.ZodNumber {
  const expected = `a whole number >= ${min}`;
  return z.number({ error: expected }).int(expected).min(min, expected);
}

const SECONDS = "a number of seconds > 0";

/** A finite number of seconds > 0. */
export const positiveSeconds = z.number({ error: SECONDS }).positive(SECONDS).finite(SECONDS);
