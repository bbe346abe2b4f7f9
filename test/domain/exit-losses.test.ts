// Task 4's amounts as typed: major units of the case's currency into exact minor units, and their checks.
import { describe, expect, it } from "vitest";
import { emptyLossInputs, type LossInputs, lossInputText, readLosses } from "../../src/domain/exit-losses.ts";

const inputs = (overrides: Partial<LossInputs> = {}): LossInputs => ({ ...emptyLossInputs, ...overrides });

describe("readLosses", () => {
  it("reads amounts into minor units; empty means not known", () => {
    expect(
      readLosses(
        inputs({
          receivablesOutstanding: "12,500.50",
          receivablesRecovered: " 500 ",
          compensationClaimed: "",
          goodsReturned: "0",
          marketGapLoss: "92233720368547758.07",
        }),
        "EUR",
      ),
    ).toEqual({
      ok: true,
      losses: {
        receivablesOutstanding: 1_250_050n,
        receivablesRecovered: 50_000n,
        compensationClaimed: null,
        compensationAgreed: null,
        goodsReturned: 0n,
        marketGapLoss: 9_223_372_036_854_775_807n,
      },
    });
  });

  it("uses the currency's decimals: none for JPY, three for BHD", () => {
    expect(readLosses(inputs({ marketGapLoss: "1,500,000" }), "JPY")).toMatchObject({
      ok: true,
      losses: { marketGapLoss: 1_500_000n },
    });
    expect(readLosses(inputs({ marketGapLoss: "1500.5" }), "JPY")).toEqual({
      ok: false,
      errors: { marketGapLoss: '"1500.5" has decimals, but JPY has no minor unit.' },
    });
    expect(readLosses(inputs({ goodsReturned: "1.005" }), "BHD")).toMatchObject({
      ok: true,
      losses: { goodsReturned: 1005n },
    });
  });

  it("refuses text, negative and too large amounts, one message per field", () => {
    expect(
      readLosses(
        inputs({
          receivablesOutstanding: "lots",
          goodsReturned: "-5",
          marketGapLoss: "92233720368547758.08",
        }),
        "USD",
      ),
    ).toEqual({
      ok: false,
      errors: {
        receivablesOutstanding:
          '"lots" is not an amount. Use digits with "." for decimals, e.g. 1234.50 or 1,234.50.',
        goodsReturned: "Cannot be negative.",
        marketGapLoss: "Too large for an amount.",
      },
    });
  });

  it("checks recovered ≤ outstanding and agreed ≤ claimed", () => {
    expect(
      readLosses(
        inputs({
          receivablesOutstanding: "100",
          receivablesRecovered: "100.01",
          compensationAgreed: "1",
        }),
        "USD",
      ),
    ).toEqual({
      ok: false,
      errors: {
        receivablesRecovered: "Cannot be more than the receivables outstanding.",
        compensationAgreed: "Cannot be more than the compensation claimed.",
      },
    });
    expect(
      readLosses(inputs({ receivablesOutstanding: "100", receivablesRecovered: "100" }), "USD"),
    ).toMatchObject({ ok: true });
  });
});

describe("lossInputText", () => {
  it.each([
    [null, "USD", null],
    [1_250_050n, "EUR", "12500.50"],
    [5n, "USD", "0.05"],
    [1_500_000n, "JPY", "1500000"],
    [9_223_372_036_854_775_807n, "USD", "92233720368547758.07"],
  ] as const)("%s %s reads %j", (minor, currency, text) => {
    expect(lossInputText(minor, currency)).toBe(text);
  });
});
