import type { TrialContext } from "./executor.js";
import type { ObjectiveExtras } from "./result.js";

/** What an objective may return: a loss, or an object with one (Hyperopt's result dict). */
export type ObjectiveResult =
  | number
  | ({ loss?: number; status?: "ok" | "fail" } & ObjectiveExtras & Record<string, unknown>);

export type Objective<P> = (params: P, ctx: TrialContext) => ObjectiveResult | Promise<ObjectiveResult>;
