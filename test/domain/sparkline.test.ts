// Text sparklines: scaling from zero, flat series, zero months, bigint and number input.
import { describe, expect, it } from "vitest";
import { sparkline } from "../../src/domain/sparkline.ts";

describe("sparkline", () => {
  it.each<[string, readonly bigint[] | readonly number[], string]>([
    ["empty", [], ""],
    ["one zero", [0n], "▁"],
    ["all zero", [0n, 0n, 0n], "▁▁▁"],
    ["all equal and positive", [5n, 5n, 5n, 5n], "▄▄▄▄"],
    ["a single positive value", [7], "▄"],
    ["zero to max", [0n, 1n, 5n, 10n], "▁▂▅█"],
    ["steps from zero to seven", [0, 1, 2, 3, 4, 5, 6, 7], "▁▂▃▄▅▆▇█"],
    ["scale starts at zero, not at the minimum", [90n, 95n, 100n], "▇██"],
    ["rounds to the nearest bar, half up", [2n, 3n, 14n], "▂▃█"],
    ["a tiny month stays above an empty one", [0n, 1n, 1_000_000n], "▁▂█"],
    ["negative values show as empty", [-5n, 0n, 10n], "▁▁█"],
    ["non-finite numbers show as empty", [Number.NaN, 2, Number.POSITIVE_INFINITY, 4], "▁▅▁█"],
    ["fractions", [0.5, 1.5, 3], "▂▅█"],
    ["float noise does not pull a bar down (0.03 * 7 / 0.14 = 1.4999…)", [0.03, 0.14], "▃█"],
    ["huge bigints stay exact", [10n ** 30n - 1n, 10n ** 30n, 2n * 10n ** 30n], "▄▅█"],
  ])("%s", (_name, values, expected) => {
    expect(sparkline(values)).toBe(expected);
  });

  it("gives one bar per month", () => {
    const months = Array.from({ length: 12 }, (_, i) => BigInt(i * 1000));
    expect([...sparkline(months)]).toHaveLength(12);
  });
});
