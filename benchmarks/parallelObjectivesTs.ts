import { threadId } from "node:worker_threads";
import type { TrialContext } from "../src/index.js";

/** parallelObjectives.mjs's `sleep50` as a TypeScript module, which workers import through tsx. */
export async function sleep50(params: { x: number }, ctx: TrialContext): Promise<number> {
  ctx.report("thread", threadId);
  await new Promise((resolve) => setTimeout(resolve, 50));
  return params.x;
}
