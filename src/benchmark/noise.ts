/** A mulberry32 generator started at `key` (unsigned 32-bit); each call gives a uniform on [0, 1). */
export function mulberry32(key: number): () => number {
  let a = key >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t = (t + Math.imul(t ^ (t >>> 7), t | 61)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The suite's noise key: (salt + imul(seed, 0x9E3779B1) + imul(trial, 0x85EBCA77)) mod 2^32. */
export function noiseKey(seed: number, trial: number, salt: number): number {
  return (salt + Math.imul(seed, 0x9e3779b1) + Math.imul(trial, 0x85ebca77)) >>> 0;
}

/**
 * The suite's deterministic standard normal noise for evaluation `trial` (0-based) of the run
 * seeded `seed`: Box-Muller on two mulberry32 draws, so every algorithm sees the same sequence.
 */
export function suiteNoise(seed: number, trial: number, salt: number): number {
  const next = mulberry32(noiseKey(seed, trial, salt));
  const u1 = next();
  const u2 = next();
  return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
}
