/**
 * Hyperopt's linear forgetting: with n observations in time order, the newest `lf` weigh 1 and
 * the older ones ramp linearly from 1/n (the oldest) up to 1. `lf` = 0 turns it off.
 */
export function forgettingWeights(n: number, lf: number): Float64Array {
  const w = new Float64Array(n).fill(1);
  if (lf <= 0 || n <= lf) return w;
  const ramp = n - lf;
  for (let i = 0; i < ramp; i++) w[i] = ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1);
  return w;
}
