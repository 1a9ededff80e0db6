import seedrandom from "seedrandom";

/** A seeded stream of random numbers. */
export interface Rng {
  /** Uniform on [0, 1). */
  random(): number;
  /** Uniform on [low, high). */
  uniform(low: number, high: number): number;
  /** Standard normal. */
  normal(): number;
  /** Uniform integer on [0, n). */
  int(n: number): number;
}

class AleaRng implements Rng {
  private spare: number | undefined;
  constructor(private readonly next: () => number) {}

  random(): number {
    return this.next();
  }

  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  normal(): number {
    if (this.spare !== undefined) {
      const z = this.spare;
      this.spare = undefined;
      return z;
    }
    let u = 0;
    let v = 0;
    let s = 0;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    return u * f;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

/** A stream determined by its seed alone (seedrandom's Alea generator). */
export function createRng(seed: number | string): Rng {
  return new AleaRng(seedrandom.alea(String(seed)));
}

/**
 * The stream an algorithm uses for trial `tid` of the search seeded `seed`: the suggestion for
 * trial k depends only on (seed, k, history), whatever else ran before it.
 */
export function trialRng(seed: number, tid: number, stream = ""): Rng {
  return createRng(`${seed}/${tid}/${stream}`);
}
