// The three judgments (§4), the blacklist candidate (§2.4) and the expected-profit helper.
import { describe, expect, it } from "vitest";
import {
  expectedProfit12m,
  judgeRetention,
  type RetentionInput,
} from "../../../src/domain/risk/judgments.ts";

const base: RetentionInput = {
  expectedProfit12m: 820_000n,
  retentionCost: 200_000n,
  indirectValue: null,
  longTermValue: { flagged: false, note: null },
  overdueReceivables: null,
  badFaith: false,
  marketDisruption: false,
  blacklistOverdueDays: 90,
  currency: "EUR",
};

const direct = (profit: string, verdict: "above" | "not above") =>
  `Direct value: expected profit in the next 12 months ${profit} vs retention cost \u20ac2,000.00: ${verdict} the cost.`;

describe("judgeRetention", () => {
  it.each<{ name: string; input: Partial<RetentionInput>; expected: ReturnType<typeof judgeRetention> }>([
    {
      name: "fight hard: direct value above the cost",
      input: {},
      expected: {
        verdict: "fight_hard",
        headline:
          "Fight hard: the expected profit of the next 12 months (\u20ac8,200.00) is above the retention cost (\u20ac2,000.00).",
        lines: [
          direct("\u20ac8,200.00", "above"),
          "Indirect value: not assessed.",
          "Long-term value: not flagged.",
        ],
        blacklistReasons: [],
      },
    },
    {
      name: "retain: indirect value above the cost",
      input: { expectedProfit12m: 150_000n, indirectValue: 500_000n },
      expected: {
        verdict: "retain",
        headline:
          "Retain: its indirect value is above the retention cost (\u20ac2,000.00), though its direct profit is not.",
        lines: [
          direct("\u20ac1,500.00", "not above"),
          "Indirect value: \u20ac5,000.00 (referrals, influence on other customers) vs retention cost \u20ac2,000.00: above the cost.",
          "Long-term value: not flagged.",
        ],
        blacklistReasons: [],
      },
    },
    {
      name: "retain: long-term value flagged, with its note",
      input: {
        expectedProfit12m: null,
        longTermValue: { flagged: true, note: " Could be our reference in the region " },
      },
      expected: {
        verdict: "retain",
        headline:
          "Retain: its long-term value is above the retention cost (\u20ac2,000.00), though its direct profit is not.",
        lines: [
          "Direct value: no estimate of future profit (too little order history).",
          "Indirect value: not assessed.",
          "Long-term value: flagged as worth more than the cost (Could be our reference in the region).",
        ],
        blacklistReasons: [],
      },
    },
    {
      name: "let go: none above the cost, equal is not above",
      input: {
        expectedProfit12m: 200_000n,
        indirectValue: 200_000n,
        longTermValue: { flagged: false, note: "maybe" },
      },
      expected: {
        verdict: "let_go",
        headline:
          "Let go gracefully: none of the three values is above the retention cost (\u20ac2,000.00). Part on good terms and leave the door open.",
        lines: [
          direct("\u20ac2,000.00", "not above"),
          "Indirect value: \u20ac2,000.00 (referrals, influence on other customers) vs retention cost \u20ac2,000.00: not above the cost.",
          "Long-term value: not flagged.",
        ],
        blacklistReasons: [],
      },
    },
    {
      name: "let go: a loss-making account",
      input: { expectedProfit12m: -50_000n },
      expected: {
        verdict: "let_go",
        headline:
          "Let go gracefully: none of the three values is above the retention cost (\u20ac2,000.00). Part on good terms and leave the door open.",
        lines: [
          direct("-\u20ac500.00", "not above"),
          "Indirect value: not assessed.",
          "Long-term value: not flagged.",
        ],
        blacklistReasons: [],
      },
    },
    {
      name: "blacklist candidate: overdue beyond the limit, even when worth fighting for",
      input: { overdueReceivables: { amount: 1_240_000n, maxDaysOverdue: 91 } },
      expected: {
        verdict: "blacklist_candidate",
        headline:
          "Blacklist candidate: \u20ac12,400.00 overdue for 91 days (limit 90 days). Blacklisting needs a manager's confirmation.",
        lines: [
          direct("\u20ac8,200.00", "above"),
          "Indirect value: not assessed.",
          "Long-term value: not flagged.",
        ],
        blacklistReasons: ["\u20ac12,400.00 overdue for 91 days (limit 90 days)"],
      },
    },
    {
      name: "blacklist candidate: bad faith and market disruption",
      input: {
        badFaith: true,
        marketDisruption: true,
        overdueReceivables: { amount: 100n, maxDaysOverdue: 90 },
      },
      expected: {
        verdict: "blacklist_candidate",
        headline:
          "Blacklist candidate: bad faith recorded; market disruption recorded. Blacklisting needs a manager's confirmation.",
        lines: [
          direct("\u20ac8,200.00", "above"),
          "Indirect value: not assessed.",
          "Long-term value: not flagged.",
        ],
        blacklistReasons: ["bad faith recorded", "market disruption recorded"],
      },
    },
  ])("$name", ({ input, expected }) => {
    expect(judgeRetention({ ...base, ...input })).toEqual(expected);
  });

  it("overdue exactly at the limit is not beyond it", () => {
    const judgment = judgeRetention({ ...base, overdueReceivables: { amount: 1n, maxDaysOverdue: 90 } });
    expect(judgment.verdict).toBe("fight_hard");
  });

  it("formats huge amounts and other currencies exactly", () => {
    const judgment = judgeRetention({
      ...base,
      currency: "JPY",
      expectedProfit12m: 10n ** 24n + 1n,
      retentionCost: 10n ** 24n,
    });
    expect(judgment.verdict).toBe("fight_hard");
    expect(judgment.lines[0]).toBe(
      "Direct value: expected profit in the next 12 months \u00a51,000,000,000,000,000,000,000,001 vs retention cost \u00a51,000,000,000,000,000,000,000,000: above the cost.",
    );
  });
});

describe("expectedProfit12m", () => {
  it.each<{ orders: number; aov: bigint; margin: number; expected: bigint }>([
    { orders: 12, aov: 100_000n, margin: 20, expected: 240_000n },
    { orders: 0, aov: 100_000n, margin: 20, expected: 0n },
    { orders: 2.5, aov: 333n, margin: 10, expected: 83n }, // 83.25 -> 83
    { orders: 1, aov: 5n, margin: 10, expected: 1n }, // 0.5 -> 1, half away from zero
    { orders: 1, aov: 5n, margin: -10, expected: -1n }, // -0.5 -> -1
    { orders: 1, aov: 100n, margin: 12.345678, expected: 12n }, // margin kept to 1e-4 points
    { orders: 1 / 3, aov: 3_000_000n, margin: 100, expected: 999_999n }, // orders kept to 1e-6: 0.333333
    { orders: 52, aov: 10n ** 25n, margin: 25, expected: 13n * 10n ** 25n },
    { orders: -2, aov: 1_000n, margin: 50, expected: 0n },
  ])("$orders orders × $aov × $margin% = $expected", ({ orders, aov, margin, expected }) => {
    expect(expectedProfit12m(orders, aov, margin)).toBe(expected);
  });

  it.each([
    [Number.NaN, 10],
    [1, Number.POSITIVE_INFINITY],
  ])("rejects non-finite inputs (%s orders, %s%%)", (orders, margin) => {
    expect(() => expectedProfit12m(orders, 100n, margin)).toThrow(RangeError);
  });
});
