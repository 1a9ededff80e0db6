import type { GroupColumns } from "./observations.js";

/**
 * Per trial position, the bandwidth the kernel of one numeric dimension had there at the last
 * fit and the constants that follow from it (log mass inside the bounds, log normaliser). A
 * kernel's mean is fixed by its trial, and most bandwidths do not change from one suggestion to
 * the next, so a refit recomputes the constants only where the bandwidth changed.
 */
export interface KernelConstants {
  sigma: Float64Array;
  logMass: Float64Array;
  logNorm: Float64Array;
}

const caches = new WeakMap<GroupColumns, KernelConstants[]>();

function grown(a: Float64Array, size: number, fill: number): Float64Array {
  const b = new Float64Array(size).fill(fill);
  b.set(a);
  return b;
}

/** The constants of dimension d of a group's columns, sized to cover every position of the columns (unknown ones: NaN bandwidth). */
export function kernelConstants(cols: GroupColumns, d: number): KernelConstants {
  let byDim = caches.get(cols);
  if (!byDim) caches.set(cols, (byDim = []));
  let k = byDim[d];
  if (!k) byDim[d] = k = { sigma: new Float64Array(0), logMass: new Float64Array(0), logNorm: new Float64Array(0) };
  if (k.sigma.length < cols.count) {
    const size = Math.max(cols.count, 2 * k.sigma.length, 16);
    k.sigma = grown(k.sigma, size, NaN);
    k.logMass = grown(k.logMass, size, 0);
    k.logNorm = grown(k.logNorm, size, 0);
  }
  return k;
}
