import { fmin } from "../../src/search/fmin.js";
import { tpe } from "../../src/algorithms/tpe/tpe.js";
import { hp } from "../../src/space/hp.js";
import { Trials } from "../../src/trials/trials.js";
import type { ReportSource } from "../../src/report/data.js";

/** A small tuning-like search for report tests: lr and optimizer matter, dropout does not, large lr diverges. */
export async function tunedSearch(maxEvals = 150): Promise<ReportSource> {
  const space = {
    lr: hp.loguniform("lr", Math.log(1e-5), Math.log(1)),
    layers: hp.quniform("layers", 1, 6, 1),
    dropout: hp.uniform("dropout", 0, 0.5),
    optimizer: hp.choice("optimizer", [{ name: "adam" }, { name: "sgd", momentum: hp.uniform("momentum", 0, 0.99) }]),
  };
  const trials = new Trials();
  await fmin({
    fn: (p) => {
      if (p.lr > 0.3) throw new Error("loss diverged");
      const momentum = p.optimizer.name === "sgd" ? (p.optimizer as { momentum: number }).momentum : 0.9;
      return (Math.log10(p.lr) + 2.5) ** 2 + 0.05 * (p.layers - 3) ** 2 + (p.optimizer.name === "sgd" ? 0.5 + (momentum - 0.9) ** 2 : 0);
    },
    space,
    algo: tpe.suggest,
    maxEvals,
    seed: 7,
    trials,
    showProgressbar: false,
    handleSignals: false,
  });
  return { source: "tests/report (synthetic search)", trials: trials.trials, seed: 7, space: trials.space, algorithm: { name: "tpe", settings: {} } };
}
