/**
 * Quickstart: tune a regression model over a conditional space. The model is either ridge
 * regression on polynomial features (its own degree and penalty) or k-nearest neighbours (its
 * own k and weighting); each trial scores one configuration by 5-fold cross-validation.
 *
 *   npm start
 */
import { fmin } from "../src/index.js";
import { crossValidate, space } from "./quickstartObjective.js";

const result = await fmin({
  fn: crossValidate,
  space,
  maxEvals: 150,
  seed: 42,
  tracking: "file:./mlruns",
  experiment: "quickstart",
});

console.log(`best cross-validated MSE: ${result.bestLoss.toFixed(5)} (trial ${result.bestTrial.tid} of ${result.trials.length})`);
console.log("best (Hyperopt form):", result.best);
console.log("best parameters:", result.bestParams);
console.log("recorded in ./mlruns, experiment \"quickstart\": one parent run, a child run per trial");
