import { randomBytes, randomUUID } from "node:crypto";

/** A run id like MLflow's: `uuid4().hex`, 32 lowercase hex characters. */
export function newRunId(): string {
  return randomUUID().replaceAll("-", "");
}

/** An experiment id like the ones MLflow's file store makes: a large positive decimal number, as a string. */
export function newExperimentId(): string {
  const value = randomBytes(8).readBigUInt64BE() & 0x7fffffffffffffffn;
  return (value === 0n ? 1n : value).toString();
}
