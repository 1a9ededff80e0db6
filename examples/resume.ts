/**
 * A search that survives being stopped: every finished trial is appended to a save file, and
 * running the script again continues from it. Run it twice, or stop it with Ctrl-C and run it
 * again: the continued search equals one that was never interrupted.
 *
 *   npx tsx examples/resume.ts            # 60 trials, saved to .hyperopt-resume.jsonl
 *   npx tsx examples/resume.ts 120        # continues the same search to 120 trials
 *   npx tsx examples/resume.ts --fresh    # deletes the save file first
 */
import { existsSync, rmSync } from "node:fs";
import { fmin, hp } from "../src/index.js";

const saveFile = ".hyperopt-resume.jsonl";
const args = process.argv.slice(2);
if (args.includes("--fresh")) rmSync(saveFile, { force: true });
const maxEvals = Number(args.find((a) => /^\d+$/.test(a)) ?? 60);

const space = {
  x: hp.uniform("x", -10, 10),
  y: hp.normal("y", 0, 3),
  shape: hp.choice("shape", [{ kind: "bowl" }, { kind: "ridge", tilt: hp.uniform("tilt", 0, 1) }]),
};

const resuming = existsSync(saveFile);
const result = await fmin({
  fn: async (p) => {
    await new Promise((r) => setTimeout(r, 20));
    const base = (p.x - 2) ** 2 + (p.y + 1) ** 2;
    return p.shape.kind === "bowl" ? base : base * (1 - p.shape.tilt / 2) + 1;
  },
  space,
  maxEvals,
  seed: 2024,
  trialsSaveFile: saveFile,
});

console.log(`${resuming ? "continued" : "started"} the search in ${saveFile}: ${result.trials.length} trials`);
console.log(`best loss ${result.bestLoss.toFixed(4)} at`, result.bestParams);
