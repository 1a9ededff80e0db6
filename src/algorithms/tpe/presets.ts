import { z } from "zod";
import { wholeNumber as whole } from "../../optionSchemas.js";

/** Every knob of TPE. */
export interface TpeSettings {
  /** Finished trials needed before the model is used; until then, random draws. */
  nStartupJobs: number;
  /** Candidates drawn from the "below" model; the one with the best l(x)/g(x) wins. */
  nEiCandidates: number;
  /** Fraction that sets how many finished trials are "below" (see `split`). */
  gamma: number;
  /** "sqrt": ceil(gamma * sqrt(n)) below (Hyperopt); "linear": ceil(gamma * n) (Optuna). */
  split: "sqrt" | "linear";
  /** At most this many trials are "below". */
  nBelowCap: number;
  /** Weight of the prior component, relative to one observation. */
  priorWeight: number;
  /**
   * Hyperopt's linear forgetting: the newest `linearForgetting` observations of a model weigh
   * fully, older ones less (0: off).
   */
  linearForgetting: number;
  /** Bandwidths are at least priorSigma / min(minSigmaDivisor, 1 + components). */
  minSigmaDivisor: number;
  /**
   * false: one independent estimator per parameter (Hyperopt). true: one joint product-kernel
   * estimator per group of parameters that are active together, and joint candidate scoring.
   */
  multivariate: boolean;
  /**
   * Bandwidth of the multivariate kernel per dimension: "neighbour" (Hyperopt's rule, the
   * larger gap to the sorted neighbours) or "scott" (scale * n^(-1/(d+4)) * priorSigma).
   */
  bandwidth: "neighbour" | "scott";
  /** Multiplies every multivariate bandwidth (observation components only). */
  bandwidthScale: number;
  /**
   * Multivariate only: this share of the candidates is drawn from the below kernel of the
   * best trial alone (a local search around the incumbent); the rest from the whole below model.
   */
  incumbentShare: number;
  /**
   * Multivariate only: this share of the candidates is drawn from the prior component alone
   * (after the incumbent's share), so options and regions the below model has not seen still
   * compete on l(x)/g(x).
   */
  priorShare: number;
  /**
   * Multivariate only: the "above" model keeps every observation up to this many (0: all); beyond,
   * it is thinned to half as many, the newest quarter of this number and at most as many older
   * trials (one per slot of older trials), each weighted by how many it stands for. It bounds the
   * cost of a suggestion in long searches.
   */
  maxAboveComponents: number;
  /** Running trials join the "above" model as if they had the worst loss (a constant liar). */
  constantLiar: boolean;
  /**
   * Multivariate only: never suggest a configuration already in the history (all active
   * parameters equal) while an unevaluated one can be found; the best-scoring non-repeating
   * candidate wins, else a fresh draw from the prior.
   */
  avoidDuplicates: boolean;
  /**
   * Multivariate only: the prior's pseudo-counts per option of a choice whose options hold
   * parameters of their own (a branch point), as in Hyperopt's smoothed counts; 0: such
   * choices are smoothed like every other categorical parameter (see priorWeight).
   */
  branchPriorWeight: number;
  /**
   * Multivariate only: every `exploreEvery`-th trial after the start-up is a space-filling step instead of
   * a model suggestion (the one of 64 prior draws farthest from the history), so that a narrow basin away
   * from the incumbent's is still found (0: never).
   */
  exploreEvery: number;
}

/** Hyperopt's `tpe.suggest` defaults. */
export const hyperoptPreset: Readonly<TpeSettings> = Object.freeze({
  nStartupJobs: 20,
  nEiCandidates: 24,
  gamma: 0.25,
  split: "sqrt",
  nBelowCap: 25,
  priorWeight: 1,
  linearForgetting: 25,
  minSigmaDivisor: 100,
  multivariate: false,
  bandwidth: "neighbour",
  bandwidthScale: 1,
  constantLiar: true,
  incumbentShare: 0,
  avoidDuplicates: false,
  branchPriorWeight: 0,
  priorShare: 0,
  maxAboveComponents: 0,
  exploreEvery: 0,
});

/** Our default, chosen on the public benchmark suite (see docs/algorithms.md). */
export const defaultPreset: Readonly<TpeSettings> = Object.freeze({
  ...hyperoptPreset,
  nStartupJobs: 10,
  gamma: 0.1,
  split: "linear",
  multivariate: true,
  linearForgetting: 0,
  incumbentShare: 0.75,
  avoidDuplicates: true,
  branchPriorWeight: 50,
  maxAboveComponents: 256,
});

const positive = z.number({ error: "a finite number > 0" }).finite("a finite number > 0").positive("a finite number > 0");
const share = z.number({ error: "a number in [0, 1]" }).min(0, "a number in [0, 1]").max(1, "a number in [0, 1]");

/** `tpe.configure`'s check of its settings: every key known, every value in range. */
export const tpeSettingsSchema = z.strictObject({
  nStartupJobs: whole(0),
  nEiCandidates: whole(1),
  gamma: z.number({ error: "a number in (0, 1]" }).gt(0, "a number in (0, 1]").max(1, "a number in (0, 1]"),
  split: z.enum(["sqrt", "linear"], { error: '"sqrt" or "linear"' }),
  nBelowCap: whole(1),
  priorWeight: positive,
  linearForgetting: whole(0),
  minSigmaDivisor: positive,
  multivariate: z.boolean({ error: "a boolean" }),
  bandwidth: z.enum(["neighbour", "scott"], { error: '"neighbour" or "scott"' }),
  bandwidthScale: positive,
  incumbentShare: share,
  priorShare: share,
  maxAboveComponents: whole(0),
  avoidDuplicates: z.boolean({ error: "a boolean" }),
  exploreEvery: whole(0),
  branchPriorWeight: z.number({ error: "a finite number >= 0" }).finite("a finite number >= 0").min(0, "a finite number >= 0"),
  constantLiar: z.boolean({ error: "a boolean" }),
} satisfies Record<keyof TpeSettings, z.ZodType>).partial();
