import { InvalidArgumentError } from "commander";

/** A flag's value as a whole number >= `min`. */
export function parseWhole(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number >= ${min}, got ${JSON.stringify(value)}`);
    return n;
  };
}

/** A flag's value as an integer. */
export function parseInteger(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isInteger(n)) throw new InvalidArgumentError(`expected an integer, got ${JSON.stringify(value)}`);
  return n;
}

/** A flag's value as a comma-separated list of whole numbers >= `min`. */
export function parseWholeList(min: number): (value: string) => number[] {
  const one = parseWhole(min);
  return (value) => value.split(",").map((part) => one(part.trim()));
}

/** A flag's value as a comma-separated list of names. */
export function parseNames(value: string): string[] {
  const names = value.split(",").map((part) => part.trim());
  if (names.some((n) => n === "")) throw new InvalidArgumentError(`expected comma-separated names, got ${JSON.stringify(value)}`);
  return names;
}
