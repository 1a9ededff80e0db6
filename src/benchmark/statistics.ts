/** numpy.percentile with linear interpolation (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (pos - lo);
}

/** Median and quartiles. */
export interface Quartiles {
  median: number;
  q25: number;
  q75: number;
}

export function quartiles(values: readonly number[]): Quartiles {
  return { median: percentile(values, 50), q25: percentile(values, 25), q75: percentile(values, 75) };
}

/** Average rank of each column over rows (1 = lowest value; ties share their mean rank). */
export function meanRanks(rows: readonly (readonly number[])[]): number[] {
  const width = rows[0]?.length ?? 0;
  const sums = new Array<number>(width).fill(0);
  for (const row of rows) {
    row.forEach((v, i) => {
      let less = 0;
      let equal = 0;
      for (const w of row) {
        if (w < v) less++;
        else if (w === v) equal++;
      }
      sums[i] = (sums[i] as number) + less + (equal + 1) / 2;
    });
  }
  return sums.map((s) => s / Math.max(rows.length, 1));
}
