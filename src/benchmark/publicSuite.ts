/** The public suite (benchmarks/suite-public.json): names, spaces in JSON form, noise and known minima. */
export const publicSuite = {
  "name": "hyperopt-ts public benchmark suite",
  "version": 1,
  "problems": [
    {
      "name": "quadratic1",
      "space": {
        "x": {
          "dist": "uniform",
          "label": "x",
          "low": -5,
          "high": 5
        }
      },
      "noise": null,
      "minLoss": 0
    },
    {
      "name": "branin",
      "space": {
        "x": {
          "dist": "uniform",
          "label": "x",
          "low": -5,
          "high": 10
        },
        "y": {
          "dist": "uniform",
          "label": "y",
          "low": 0,
          "high": 15
        }
      },
      "noise": null,
      "minLoss": 0.39788735772973816
    },
    {
      "name": "rosenbrock4",
      "space": {
        "x0": {
          "dist": "uniform",
          "label": "x0",
          "low": -2,
          "high": 2
        },
        "x1": {
          "dist": "uniform",
          "label": "x1",
          "low": -2,
          "high": 2
        },
        "x2": {
          "dist": "uniform",
          "label": "x2",
          "low": -2,
          "high": 2
        },
        "x3": {
          "dist": "uniform",
          "label": "x3",
          "low": -2,
          "high": 2
        }
      },
      "noise": null,
      "minLoss": 0
    },
    {
      "name": "q1_lognormal",
      "space": {
        "x": {
          "dist": "lognormal",
          "label": "x",
          "mu": 0,
          "sigma": 2
        }
      },
      "noise": null,
      "minLoss": 0
    },
    {
      "name": "n_arms",
      "space": {
        "x": {
          "dist": "choice",
          "label": "x",
          "options": [
            0,
            1
          ]
        }
      },
      "noise": {
        "sigma": 1,
        "salt": 1001
      },
      "minLoss": -1
    },
    {
      "name": "gauss_wave2",
      "space": {
        "x": {
          "dist": "uniform",
          "label": "x",
          "low": -20,
          "high": 20
        },
        "hf": {
          "dist": "choice",
          "label": "hf",
          "options": [
            {
              "branch": "plain"
            },
            {
              "branch": "sin",
              "amp": {
                "dist": "uniform",
                "label": "amp",
                "low": 0,
                "high": 1
              }
            }
          ]
        }
      },
      "noise": {
        "sigma": 0.1,
        "salt": 2002
      },
      "minLoss": -2.8352608859464388
    },
    {
      "name": "sphere10_shifted",
      "space": {
        "x0": {
          "dist": "uniform",
          "label": "x0",
          "low": -5,
          "high": 5
        },
        "x1": {
          "dist": "uniform",
          "label": "x1",
          "low": -5,
          "high": 5
        },
        "x2": {
          "dist": "uniform",
          "label": "x2",
          "low": -5,
          "high": 5
        },
        "x3": {
          "dist": "uniform",
          "label": "x3",
          "low": -5,
          "high": 5
        },
        "x4": {
          "dist": "uniform",
          "label": "x4",
          "low": -5,
          "high": 5
        },
        "x5": {
          "dist": "uniform",
          "label": "x5",
          "low": -5,
          "high": 5
        },
        "x6": {
          "dist": "uniform",
          "label": "x6",
          "low": -5,
          "high": 5
        },
        "x7": {
          "dist": "uniform",
          "label": "x7",
          "low": -5,
          "high": 5
        },
        "x8": {
          "dist": "uniform",
          "label": "x8",
          "low": -5,
          "high": 5
        },
        "x9": {
          "dist": "uniform",
          "label": "x9",
          "low": -5,
          "high": 5
        }
      },
      "noise": null,
      "minLoss": 0
    }
  ],
  "speedSpaces": {
    "uniform2d": {
      "x": {
        "dist": "uniform",
        "label": "x",
        "low": -5,
        "high": 10
      },
      "y": {
        "dist": "uniform",
        "label": "y",
        "low": 0,
        "high": 15
      }
    },
    "mixed10d": {
      "u0": {
        "dist": "uniform",
        "label": "u0",
        "low": -5,
        "high": 5
      },
      "u1": {
        "dist": "uniform",
        "label": "u1",
        "low": -5,
        "high": 5
      },
      "u2": {
        "dist": "uniform",
        "label": "u2",
        "low": -5,
        "high": 5
      },
      "u3": {
        "dist": "uniform",
        "label": "u3",
        "low": -5,
        "high": 5
      },
      "l0": {
        "dist": "loguniform",
        "label": "l0",
        "low": -7,
        "high": 0
      },
      "l1": {
        "dist": "loguniform",
        "label": "l1",
        "low": -7,
        "high": 0
      },
      "q0": {
        "dist": "quniform",
        "label": "q0",
        "low": 1,
        "high": 100,
        "q": 1
      },
      "q1": {
        "dist": "quniform",
        "label": "q1",
        "low": 10,
        "high": 500,
        "q": 10
      },
      "c0": {
        "dist": "choice",
        "label": "c0",
        "options": [
          "a",
          "b",
          "c"
        ]
      },
      "c1": {
        "dist": "choice",
        "label": "c1",
        "options": [
          0,
          1,
          2,
          3,
          4
        ]
      }
    }
  }
} as const;
