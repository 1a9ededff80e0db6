/**
 * Quickstart: tune a regression model over a conditional space. The model is either ridge
 * regression on polynomial features (its own degree and penalty) or k-nearest neighbours (its
 * own k and weighting); each trial scores one configuration by 5-fold cross-validation.
 *
 *   npm start
 *
 * The search is recorded where MLflow records by default: ./mlflow.db in the working directory (or ./mlruns
 * when that folder already holds MLflow's file store).
 */
import { fmin } from "../src/index.js";
import { defaultTrackingUri } from "../src/tracking/index.js";
import { crossValidate, space } from "./quickstartObjective.js";

const result = await fmin({
  fn: crossValidate,
  space,
  maxEvals: 150,
  seed: 42,
  tracking: true,
  experiment: "quickstart",
});

console.log(`best cross-validated MSE: ${result.bestLoss.toFixed(5)} (trial ${result.bestTrial.tid} of ${result.trials.length})`);
console.log("best (Hyperopt form):", result.best);
console.log("best parameters:", result.bestParams);
const recordedIn = defaultTrackingUri();
console.log(`recorded in ${recordedIn}, experiment "quickstart": one parent run, a child run per trial`);
console.log(`to look at it: mlflow ui --backend-store-uri ${recordedIn.startsWith("sqlite:") ? "sqlite:///mlflow.db (or plain `mlflow ui` in this folder)" : "./mlruns"}`);
