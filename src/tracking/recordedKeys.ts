import { LIMITS } from "./mlflow/limits.js";
import { keyProblem, sanitizeKey } from "./mlflow/validation.js";

/**
 * The keys a search's records use: a key MLflow accepts stays as it is, another is rewritten (reported once).
 * Two different keys never share one: a later key that would land on an earlier one gets a `_2`, `_3`...
 * suffix, and the warning names both.
 */
export class RecordedKeys {
  private readonly keyOf = new Map<string, string>();
  private readonly rawOf = new Map<string, string>();

  constructor(private readonly warn: (message: string) => void) {}

  of(raw: string): string {
    const known = this.keyOf.get(raw);
    if (known !== undefined) return known;
    let key = keyProblem(raw) === undefined ? raw : sanitizeKey(raw);
    const taken = this.rawOf.get(key);
    if (taken !== undefined) {
      const collided = key;
      const suffixed = (i: number) => `${collided.slice(0, LIMITS.keyLength - String(i).length - 1)}_${i}`;
      let n = 2;
      while (this.rawOf.has(suffixed(n))) n++;
      key = suffixed(n);
      this.warn(
        `keys ${JSON.stringify(taken)} and ${JSON.stringify(raw)} would both be recorded as ${JSON.stringify(collided)}; ${JSON.stringify(raw)} is recorded as ${JSON.stringify(key)}`,
      );
    } else if (key !== raw) {
      this.warn(`key ${JSON.stringify(raw)} is not a valid MLflow key; recorded as ${JSON.stringify(key)}`);
    }
    this.keyOf.set(raw, key);
    this.rawOf.set(key, raw);
    return key;
  }
}
