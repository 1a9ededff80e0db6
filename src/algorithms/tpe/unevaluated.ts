import type { Rng } from "../../rng/rng.js";
import type { Assignment } from "../../space/assignment.js";
import type { CompiledParam, CompiledSpace } from "../../space/compile.js";
import { sampleAssignment } from "../../space/sample.js";
import type { Trial } from "../../trials/trial.js";
import { enumerateGrid, gridValues } from "../grid.js";
import type { History } from "./history.js";

/**
 * What it takes to avoid suggesting a configuration twice: the keys of every configuration in
 * the history (running trials included), and fresh draws when the model offers only repeats.
 */

/** Per space, a buffer of one double per parameter and its UTF-16 view, where configKey writes a configuration. */
const keyBuffers = new WeakMap<CompiledSpace, { values: Float64Array; units: Uint16Array }>();

/**
 * A configuration's identity: per parameter of the space, in order, its value's 64 bits as four
 * UTF-16 code units (NaN where the label is inactive; -0 written as 0), so two configurations
 * get the same key exactly when the same labels are active with equal values. Cheaper than
 * writing the numbers out in decimal.
 */
export function configKey(space: CompiledSpace, assignment: Assignment): string {
  let buffer = keyBuffers.get(space);
  if (!buffer) {
    const values = new Float64Array(space.params.length);
    keyBuffers.set(space, (buffer = { values, units: new Uint16Array(values.buffer) }));
  }
  const { params } = space;
  const { values, units } = buffer;
  for (let k = 0; k < params.length; k++) {
    const v = assignment[(params[k] as CompiledParam).label];
    values[k] = v === undefined ? NaN : v === 0 ? 0 : v;
  }
  return String.fromCharCode.apply(null, units as unknown as number[]);
}

interface KeyCache {
  readonly space: CompiledSpace;
  /** The history's epoch when the cache was started. */
  readonly epoch: number;
  /** Positions read so far (0..count-1). */
  count: number;
  readonly keys: Set<string>;
}

const caches = new WeakMap<readonly Trial[], KeyCache>();

/**
 * The keys of the configurations in the history's trials, kept per trials array and extended
 * while it only grows (see History; a trial's assignment is never replaced); rebuilt otherwise.
 */
export function evaluatedKeys(space: CompiledSpace, { trials, epoch }: History): ReadonlySet<string> {
  let cache = caches.get(trials);
  if (cache?.space !== space || cache.epoch !== epoch) caches.set(trials, (cache = { space, epoch, count: 0, keys: new Set() }));
  for (let i = cache.count; i < trials.length; i++) cache.keys.add(configKey(space, (trials[i] as Trial).assignment));
  cache.count = trials.length;
  return cache.keys;
}

/** Prior draws tried for an unevaluated configuration before a finite space is enumerated. */
const PRIOR_DRAWS = 64;
/** Finite spaces up to this many configurations (counted without conditions) are enumerated. */
const ENUMERATION_LIMIT = 20_000;

const finiteKinds = new Set(["choice", "pchoice", "randint", "uniformint", "quniform", "qloguniform"]);

/** Every configuration of a finite space (all parameters discrete, not too many), or undefined. */
function finiteConfigurations(space: CompiledSpace): Assignment[] | undefined {
  let bound = 1;
  for (const p of space.params) {
    if (!finiteKinds.has(p.distribution.kind)) return undefined;
    bound *= gridValues(p, undefined).length;
    if (bound > ENUMERATION_LIMIT) return undefined;
  }
  return enumerateGrid(space);
}

const finiteCache = new WeakMap<CompiledSpace, Assignment[] | null>();

/**
 * An unevaluated configuration drawn from the prior (up to 64 draws); failing that, on a finite
 * space, one picked at random among those not yet evaluated. Undefined when none was found.
 */
export function unevaluatedDraw(space: CompiledSpace, seen: ReadonlySet<string>, rng: Rng): Assignment | undefined {
  for (let i = 0; i < PRIOR_DRAWS; i++) {
    const a = sampleAssignment(space, rng);
    if (!seen.has(configKey(space, a))) return a;
  }
  let all = finiteCache.get(space);
  if (all === undefined) finiteCache.set(space, (all = finiteConfigurations(space) ?? null));
  const left = all?.filter((a) => !seen.has(configKey(space, a))) ?? [];
  return left.length === 0 ? undefined : left[Math.floor(rng.random() * left.length)];
}
