// Text sparklines (▁▂▃▄▅▆▇█) for monthly values in Slack messages, where images are costly.

const BARS = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"] as const;
const LOWEST = BARS[0];
const MIDDLE = BARS[3];
const STEPS = BARS.length - 1;

function bar(level: number): string {
  return BARS[Math.min(STEPS, Math.max(0, level))] ?? LOWEST;
}

/**
 * One bar per value, scaled from 0 (not from the minimum) to the maximum, so a flat but busy
 * account does not look like a crash. Zero and negative values are ▁ and every positive value is
 * at least ▂, so a month with any orders stays visibly different from a month without.
 */
export function sparkline(values: readonly bigint[] | readonly number[]): string {
  if (values.length === 0) return "";
  if (typeof values[0] === "bigint") return bigintSparkline(values as readonly bigint[]);
  return numberSparkline(values as readonly number[]);
}

function bigintSparkline(values: readonly bigint[]): string {
  let max = 0n;
  for (const v of values) if (v > max) max = v;
  if (max === 0n) return LOWEST.repeat(values.length);
  if (values.every((v) => v === max)) return MIDDLE.repeat(values.length);
  const steps = BigInt(STEPS);
  return values
    .map((v) => {
      if (v <= 0n) return LOWEST;
      // round(v * 7 / max), half up, in integers: exact for any size.
      return bar(Math.max(1, Number((2n * v * steps + max) / (2n * max))));
    })
    .join("");
}

function numberSparkline(values: readonly number[]): string {
  const clean = values.map((v) => (Number.isFinite(v) && v > 0 ? v : 0));
  const max = Math.max(...clean);
  if (max === 0) return LOWEST.repeat(clean.length);
  if (clean.every((v) => v === max)) return MIDDLE.repeat(clean.length);
  // The epsilon keeps float noise (3.4999999996 for an exact 3.5) from pulling a value one bar down.
  return clean
    .map((v) => (v === 0 ? LOWEST : bar(Math.max(1, Math.round((v * STEPS) / max + 1e-9)))))
    .join("");
}
