import { HyperoptArgumentError } from "../errors.js";
import { hp } from "./hp.js";
import { isChoiceNode, isSpaceNode } from "./nodes.js";
import { isPlainObject } from "./labels.js";

/**
 * The JSON form of a space, the one the benchmark suite uses: an object with a `dist` key is a
 * distribution node (`{dist: "uniform", label, low, high}`, `{dist: "choice", label, options}`,
 * `{dist: "pchoice", label, options: [{p, value}]}`, `{dist: "randint", label, low, high}`, ...);
 * any other object is a dict of sub-spaces, an array a list of them, anything else a constant.
 */
export type SpaceJSON = unknown;

export function spaceToJSON(space: unknown): SpaceJSON {
  if (isSpaceNode(space)) {
    const d = space.distribution;
    if (isChoiceNode(space)) {
      if (d.kind === "pchoice") {
        return {
          dist: "pchoice",
          label: space.label,
          options: space.options.map((value, i) => ({ p: d.probabilities[i], value: spaceToJSON(value) })),
        };
      }
      return { dist: "choice", label: space.label, options: space.options.map(spaceToJSON) };
    }
    const { kind, ...rest } = d;
    return { dist: kind, label: space.label, ...rest };
  }
  if (Array.isArray(space)) return space.map(spaceToJSON);
  if (isPlainObject(space)) {
    if ("dist" in space) {
      throw new HyperoptArgumentError("space", 'space: a constant object with a "dist" key has no JSON form (the key marks a distribution)');
    }
    return Object.fromEntries(Object.entries(space).map(([k, v]) => [k, spaceToJSON(v)]));
  }
  if (typeof space === "number" && !Number.isFinite(space)) {
    throw new HyperoptArgumentError("space", `space: the constant ${space} has no JSON form`);
  }
  if (space === null || ["string", "number", "boolean"].includes(typeof space)) return space;
  throw new HyperoptArgumentError("space", `space: a constant of type ${typeof space} has no JSON form`);
}

const numericArgs: Record<string, readonly string[]> = {
  uniform: ["low", "high"],
  quniform: ["low", "high", "q"],
  loguniform: ["low", "high"],
  qloguniform: ["low", "high", "q"],
  normal: ["mu", "sigma"],
  qnormal: ["mu", "sigma", "q"],
  lognormal: ["mu", "sigma"],
  qlognormal: ["mu", "sigma", "q"],
  randint: ["low", "high"],
  uniformint: ["low", "high"],
};

/** Rebuilds a space from its JSON form, validating every node as `hp` does. */
export function spaceFromJSON(json: SpaceJSON, where = "space"): unknown {
  if (Array.isArray(json)) return json.map((item, i) => spaceFromJSON(item, `${where}[${i}]`));
  if (!isPlainObject(json)) return json;
  if (!("dist" in json)) {
    return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, spaceFromJSON(v, `${where}.${k}`)]));
  }
  const { dist, label } = json;
  if (typeof label !== "string") throw new HyperoptArgumentError(`${where}.label`, `${where}.label must be a string, got ${JSON.stringify(label)}`);
  if (dist === "choice") {
    if (!Array.isArray(json.options)) throw new HyperoptArgumentError(`${where}.options`, `${where}.options must be an array`);
    return hp.choice(label, json.options.map((o, i) => spaceFromJSON(o, `${where}.options[${i}]`)));
  }
  if (dist === "pchoice") {
    if (!Array.isArray(json.options)) throw new HyperoptArgumentError(`${where}.options`, `${where}.options must be an array of {p, value}`);
    return hp.pchoice(
      label,
      json.options.map((o: unknown, i) => {
        if (!isPlainObject(o)) throw new HyperoptArgumentError(`${where}.options[${i}]`, `${where}.options[${i}] must be an object {p, value}`);
        return [o.p as number, spaceFromJSON(o.value, `${where}.options[${i}].value`)] as const;
      }),
    );
  }
  const names = typeof dist === "string" ? numericArgs[dist] : undefined;
  if (!names) {
    throw new HyperoptArgumentError(
      `${where}.dist`,
      `${where}.dist must be one of choice, pchoice, ${Object.keys(numericArgs).join(", ")}; got ${JSON.stringify(dist)}`,
    );
  }
  const values = names.map((n) => json[n]) as number[];
  const build = hp[dist as keyof typeof hp] as (label: string, ...args: number[]) => unknown;
  return build(label, ...values);
}
