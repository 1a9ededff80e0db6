/**
 * Hyperopt's linear forgetting: with n observations in time order, the newest `recent` weigh 1 and
 * the older ones ramp linearly from 1/n (the oldest) up to 1. `recent` = 0 turns it off.
 */
export function forgettingWeights(n: number, recent: number): Float64Array {
  const w = new Float64Array(n).fill(1);
  if (recent <= 0 || n <= recent) return w;
  const ramp = n - recent;
  for (let i = 0; i < ramp; i++) w[i] = ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1);
  return w;
}
