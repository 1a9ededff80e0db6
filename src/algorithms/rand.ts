import { trialRng } from "../rng/rng.js";
import { sampleAssignment } from "../space/sample.js";
import { defineAlgorithm } from "./algorithm.js";

/** Random search: every point an independent draw from the space's prior. */
export const rand = {
  suggest: defineAlgorithm("rand", {}, ({ space, tid, seed }) => sampleAssignment(space, trialRng(seed, tid, "rand"))),
};
