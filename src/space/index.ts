export { compile, isActive, type CompiledSpace, type CompiledParam, type Condition } from "./compile.js";
export { checkAssignment } from "./checkAssignment.js";
export { sample, sampleAssignment, sampleDistribution } from "./sample.js";
export { spaceFromJSON, spaceToJSON, type SpaceJSON } from "./json.js";
export { spaceShape, type SpaceShape } from "./shape.js";
export type { Distribution, DistributionKind } from "./distributions.js";
export type { ChoiceNode, NumericNode, SpaceNode } from "./nodes.js";
export { createRng, trialRng, type Rng } from "../rng/rng.js";
