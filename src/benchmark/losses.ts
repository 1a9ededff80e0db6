/** The loss formulas of the benchmark suites, in the shape the suite files' spaces give them. */

export function branin(x: number, y: number): number {
  const b = 5.1 / (4 * Math.PI * Math.PI);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  return (y - b * x * x + c * x - 6) ** 2 + 10 * (1 - t) * Math.cos(x) + 10;
}

type Vector = Record<string, number>;

function sumOver(n: number, term: (i: number) => number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += term(i);
  return s;
}

/** The loss formulas of the public suite, by problem name. */
export const suiteLosses: Readonly<Record<string, (config: any) => number>> = {
  quadratic1: (c: { x: number }) => (c.x - 3) ** 2,
  branin: (c: { x: number; y: number }) => branin(c.x, c.y),
  rosenbrock4: (c: Vector) => sumOver(3, (i) => 100 * ((c[`x${i + 1}`] as number) - (c[`x${i}`] as number) ** 2) ** 2 + (1 - (c[`x${i}`] as number)) ** 2),
  q1_lognormal: (c: { x: number }) => Math.min(0.1 * (c.x - 10) ** 2, 10),
  n_arms: (c: { x: number }) => (c.x === 0 ? -1 : 0),
  gauss_wave2: (c: { x: number; hf: { branch: string; amp?: number } }) => {
    const t = 2 * Math.exp(-((c.x / 5) ** 2));
    return c.hf.branch === "plain" ? -t : -(t + Math.sin(c.x) * (c.hf.amp as number));
  },
  sphere10_shifted: (c: Vector) => sumOver(10, (i) => ((c[`x${i}`] as number) - 1) ** 2),
};

/** The speed benchmark's history loss on the 10-D mixed space. */
export function mixed10dLoss(c: Vector & { c0: string; c1: number }): number {
  return (
    sumOver(4, (i) => ((c[`u${i}`] as number) - 1) ** 2) +
    (Math.log(c.l0 as number) + 3) ** 2 +
    (Math.log(c.l1 as number) + 5) ** 2 +
    (((c.q0 as number) - 30) / 20) ** 2 +
    (((c.q1 as number) - 200) / 100) ** 2 +
    (c.c0 === "b" ? 0 : 1) +
    0.5 * Math.abs(c.c1 - 2)
  );
}

/** The cubic of Hyperopt's randint test, with roots at 3, 10 and 50. */
function cubicWithRoots(t: number): number {
  return Math.abs(t ** 3 - 63 * t ** 2 + 680 * t - 1500);
}

type ModelConfig =
  | { family: "linear"; c: number }
  | { family: "kernel"; gamma: number; c: number }
  | { family: "tree"; depth: number; leaf: number };

function modelSelect(m: ModelConfig): number {
  if (m.family === "linear") return 0.3 + 0.05 * (Math.log10(m.c) / 3) ** 2;
  if (m.family === "tree") return 0.28 + 0.004 * Math.abs(m.depth - 8) + 0.05 * (m.leaf - 0.3) ** 2;
  const r2 = ((Math.log10(m.gamma) + 2) / 0.8) ** 2 + ((Math.log10(m.c) - 1) / 1.0) ** 2;
  return 0.1 + 0.5 * (1 - Math.exp(-r2 / 2));
}

/** The loss formulas of the extra suite (benchmarks/suite-extra.json), by problem name. */
export const extraLosses: Readonly<Record<string, (config: any) => number>> = {
  model_select: (c: { model: ModelConfig }) => modelSelect(c.model),
  deceptive2d: (c: { x: number; y: number }) =>
    -Math.exp(-((c.x + 2) ** 2 + (c.y + 2) ** 2) / (2 * 1.5 ** 2)) - 1.5 * Math.exp(-((c.x - 3) ** 2 + (c.y - 3) ** 2) / (2 * 1.0 ** 2)),
  roots_randint2: (c: { t: number }) => cubicWithRoots(c.t),
  roots_randint5: (c: { t: number }) => cubicWithRoots(c.t),
  roots_randint20: (c: { t: number }) => cubicWithRoots(c.t),
  roots_choice98: (c: { t: number }) => cubicWithRoots(c.t),
};
