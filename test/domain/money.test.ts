// Money formatting, parsing of imported amounts, and change labels.
import { describe, expect, it } from "vitest";
import {
  formatMoney,
  formatPercentChange,
  minorToDecimalString,
  minorUnitDigits,
  parseMoneyToMinor,
  percentChange,
} from "../../src/domain/money.ts";

describe("minorUnitDigits", () => {
  it.each([
    ["USD", 2],
    ["eur", 2],
    ["JPY", 0],
    ["KRW", 0],
    ["BHD", 3],
    ["KWD", 3],
  ])("%s has %i minor-unit digits", (currency, digits) => {
    expect(minorUnitDigits(currency)).toBe(digits);
  });

  it.each(["", "US", "USDX", "12$"])("rejects %j", (currency) => {
    expect(() => minorUnitDigits(currency)).toThrow(RangeError);
  });
});

describe("minorToDecimalString", () => {
  it.each([
    [0n, 2, "0.00"],
    [5n, 2, "0.05"],
    [-5n, 2, "-0.05"],
    [123456n, 2, "1234.56"],
    [1235n, 0, "1235"],
    [1234567n, 3, "1234.567"],
    [10n ** 30n + 1n, 2, "10000000000000000000000000000.01"],
  ])("%s with %i digits is %s", (minor, digits, expected) => {
    expect(minorToDecimalString(minor, digits)).toBe(expected);
  });
});

describe("formatMoney", () => {
  it.each([
    [123456n, "USD", "en-US", "$1,234.56"],
    [1200n, "EUR", "en-US", "€12.00"],
    [1235n, "JPY", "en-US", "¥1,235"],
    [0n, "USD", "en-US", "$0.00"],
    [-123456n, "USD", "en-US", "-$1,234.56"],
    [1234567n, "BHD", "en-US", "BHD 1,234.567"],
    [123456n, "eur", "de-DE", "1.234,56 €"],
    [99n, "CHF", "de-CH", "CHF 0.99"],
  ])("%s %s in %s is %s", (minor, currency, locale, expected) => {
    // ICU separates symbol and number with a no-break space in some locales.
    expect(formatMoney(minor, currency, locale).replace(/\u00a0/g, " ")).toBe(expected);
  });

  it("defaults to en-US", () => {
    expect(formatMoney(123456n, "USD")).toBe("$1,234.56");
  });

  it("prints huge amounts digit for digit (no float rounding)", () => {
    expect(formatMoney(123456789012345678901234567n, "USD")).toBe("$1,234,567,890,123,456,789,012,345.67");
    expect(formatMoney(-(2n ** 64n) - 1n, "JPY")).toBe("-¥18,446,744,073,709,551,617");
    expect(formatMoney(9_007_199_254_740_993n, "EUR")).toBe("€90,071,992,547,409.93");
  });

  it("rejects a malformed currency", () => {
    expect(() => formatMoney(1n, "dollars")).toThrow(RangeError);
  });
});

describe("parseMoneyToMinor", () => {
  it.each([
    ["1234.5", "USD", 123450n],
    ["1,234.50", "USD", 123450n],
    ["-3", "USD", -300n],
    ["+0.01", "USD", 1n],
    ["\u22127.10", "EUR", -710n],
    ["  42  ", "EUR", 4200n],
    ["0", "EUR", 0n],
    ["-0", "EUR", 0n],
    ["1,234,567", "JPY", 1234567n],
    ["1234", "JPY", 1234n],
    ["1.234", "BHD", 1234n],
    ["１２３.４", "USD", 12340n],
    ["123456789012345678901234567.89", "USD", 12345678901234567890123456789n],
  ])("%j in %s is %s minor units", (text, currency, minor) => {
    expect(parseMoneyToMinor(text, currency)).toEqual({ ok: true, minor });
  });

  it.each([
    ["", "USD", "empty"],
    ["   ", "USD", "empty"],
    ["1.234", "USD", "too_many_decimals"],
    ["1.234", "EUR", "too_many_decimals"],
    ["1.5", "JPY", "too_many_decimals"],
    ["abc", "USD", "invalid_format"],
    ["12abc", "USD", "invalid_format"],
    ["1,23", "USD", "invalid_format"],
    ["1,2345.00", "USD", "invalid_format"],
    [",123", "USD", "invalid_format"],
    ["1.", "USD", "invalid_format"],
    [".5", "USD", "invalid_format"],
    ["1 234.00", "USD", "invalid_format"],
    ["$12.00", "USD", "invalid_format"],
    ["--1", "USD", "invalid_format"],
    ["1e5", "USD", "invalid_format"],
    ["1".repeat(101), "USD", "invalid_format"],
    ["12", "", "invalid_currency"],
    ["12", "EURO", "invalid_currency"],
  ])("%j in %j fails with %s", (text, currency, code) => {
    const result = parseMoneyToMinor(text, currency);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(code);
      expect(result.error.message.length).toBeGreaterThan(0);
    }
  });

  it("says why a European thousands separator is refused", () => {
    const result = parseMoneyToMinor("1.234", "EUR");
    expect(result).toEqual({
      ok: false,
      error: { code: "too_many_decimals", message: '"1.234" has 3 decimals, but EUR has 2.' },
    });
  });

  it("round-trips with minorToDecimalString", () => {
    for (const minor of [0n, 1n, -1n, 99n, 100n, 123456789n, -(10n ** 25n) - 7n]) {
      expect(parseMoneyToMinor(minorToDecimalString(minor, 2), "USD")).toEqual({ ok: true, minor });
    }
  });
});

describe("percentChange", () => {
  it.each([
    [112n, 100n, 12],
    [62n, 100n, -38],
    [100n, 100n, 0],
    [-50n, -100n, 50],
    [-150n, -100n, -50],
    [1n, 3n, -66.6666],
    [10n ** 30n, 10n ** 29n, 900],
    [5, 4, 25],
    [0.5, 0.25, 100],
  ])("%s vs %s is %s%", (current, previous, expected) => {
    expect(percentChange(current, previous)).toBeCloseTo(expected, 3);
  });

  it.each([
    [5n, 0n],
    [0, 0],
    [Number.NaN, 1],
  ])("%s vs %s has no percentage", (current, previous) => {
    expect(percentChange(current, previous)).toBeNull();
  });
});

describe("formatPercentChange", () => {
  it.each([
    [112n, 100n, "+12%"],
    [62n, 100n, "\u221238%"],
    [62, 100, "\u221238%"],
    [100n, 100n, "0%"],
    [1001n, 1000n, "0%"],
    [1005n, 1000n, "+1%"],
    [995n, 1000n, "\u22121%"],
    [2n, 3n, "\u221233%"],
    [0n, 100n, "\u2212100%"],
    [5n, 0n, "new"],
    [5, 0, "new"],
    [0n, 0n, "\u2013"],
    [0, 0, "\u2013"],
    [-5n, 0n, "\u2013"],
    [-50n, -100n, "+50%"],
    [Number.POSITIVE_INFINITY, 1, "\u2013"],
    [10n ** 30n, 1n, "+99,999,999,999,999,999,999,999,999,999,900%"],
  ])("%s vs %s is %s", (current, previous, expected) => {
    expect(formatPercentChange(current, previous)).toBe(expected);
  });
});
