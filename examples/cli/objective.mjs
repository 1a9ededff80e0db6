// Trains a linear model on a synthetic regression problem with mini-batch SGD or Adam and
// returns its validation error: the kind of objective the tutorials' config.yaml tunes.

function generator(seed) {
  let state = seed;
  const random = () => (state = (state * 1664525 + 1013904223) % 4294967296) / 4294967296;
  return () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
}

const FEATURES = 8;
const truth = Array.from({ length: FEATURES }, generator(7));

function dataset(n, seed) {
  const gaussian = generator(seed);
  const x = Array.from({ length: n }, () => Array.from({ length: FEATURES }, gaussian));
  const y = x.map((row) => row.reduce((s, v, j) => s + v * truth[j], 0) + 0.1 * gaussian());
  return { x, y };
}

const train = dataset(512, 1);
const valid = dataset(256, 2);

function mse(w, { x, y }) {
  return x.reduce((s, row, i) => s + (row.reduce((p, v, j) => p + v * w[j], 0) - y[i]) ** 2, 0) / x.length;
}

export default function objective({ learning_rate, batch_size, optimizer, epochs = 3 }) {
  const w = new Array(FEATURES).fill(0);
  const m = new Array(FEATURES).fill(0);
  const v = new Array(FEATURES).fill(0);
  let step = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let start = 0; start < train.x.length; start += batch_size) {
      const grad = new Array(FEATURES).fill(0);
      const end = Math.min(start + batch_size, train.x.length);
      for (let i = start; i < end; i++) {
        const err = train.x[i].reduce((p, xv, j) => p + xv * w[j], 0) - train.y[i];
        for (let j = 0; j < FEATURES; j++) grad[j] += (2 * err * train.x[i][j]) / (end - start);
      }
      step++;
      for (let j = 0; j < FEATURES; j++) {
        if (optimizer === "adam") {
          m[j] = 0.9 * m[j] + 0.1 * grad[j];
          v[j] = 0.999 * v[j] + 0.001 * grad[j] ** 2;
          w[j] -= (learning_rate * (m[j] / (1 - 0.9 ** step))) / (Math.sqrt(v[j] / (1 - 0.999 ** step)) + 1e-8);
        } else {
          w[j] -= learning_rate * grad[j];
        }
      }
    }
  }
  const loss = mse(w, valid);
  if (!Number.isFinite(loss)) throw new Error(`training diverged at learning_rate ${learning_rate}`);
  return loss;
}
