/** `x` written the way Python's `repr(float)` writes it, as MLflow's file store does in metric files. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa = "0", exp = "0"] = x.toExponential().split("e");
  const exponent = Number(exp);
  if (exponent >= -4 && exponent < 16) {
    const fixed = String(x);
    return fixed.includes(".") ? fixed : `${fixed}.0`;
  }
  const sign = exponent < 0 ? "-" : "+";
  return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, "0")}`;
}

/** Reads a float written by Python (`nan`, `inf`, `1e-05`, ...). */
export function parsePyFloat(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === "nan") return NaN;
  if (t === "inf" || t === "infinity") return Infinity;
  if (t === "-inf" || t === "-infinity") return -Infinity;
  return Number(t);
}
