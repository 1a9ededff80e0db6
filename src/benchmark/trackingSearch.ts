import { hp } from "../space/hp.js";

/**
 * The search `npm run bench:tracking` records: 3 to 4 parameters (a choice between two model families with a
 * parameter each) and an objective that returns at once, so that recording's own cost shows.
 */
export function trackingSearch() {
  const space = {
    lr: hp.loguniform("lr", Math.log(1e-4), Math.log(1e-1)),
    layers: hp.quniform("layers", 1, 6, 1),
    model: hp.choice("model", [{ kind: "svm", C: hp.loguniform("C", -5, 5) }, { kind: "tree", depth: hp.randint("depth", 2, 12) }]),
  };
  type Params = { lr: number; layers: number; model: { kind: string; C?: number; depth?: number } };
  const loss = (p: Params): number => (Math.log10(p.lr) + 2.5) ** 2 + (p.layers - 3) ** 2 / 10 + (p.model.kind === "svm" ? Math.abs(Math.log(p.model.C ?? 1)) / 5 : 0.3);
  return { space, loss };
}
