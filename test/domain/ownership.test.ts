// The ranking of a departing rep's accounts.
import { describe, expect, it } from "vitest";
import { type AccountAtStake, rankAccountsAtStake } from "../../src/domain/ownership.ts";

describe("rankAccountsAtStake", () => {
  const account = (name: string, revenue: bigint, risk: AccountAtStake["risk"]): AccountAtStake => ({
    accountId: name,
    name,
    revenue12m: revenue,
    currency: "EUR",
    risk,
  });

  it("riskier band first, then larger revenue, then higher score, unscored last", () => {
    const ranked = rankAccountsAtStake([
      account("small-critical", 100n, { band: "critical", risk: 80 }),
      account("big-low", 9_000_000n, { band: "low", risk: 10 }),
      account("unscored", 50_000_000n, null),
      account("big-critical", 5_000n, { band: "critical", risk: 76 }),
      account("high-a", 700n, { band: "high", risk: 60 }),
      account("high-b", 700n, { band: "high", risk: 70 }),
    ]);
    expect(ranked.map((a) => a.name)).toEqual([
      "big-critical",
      "small-critical",
      "high-b",
      "high-a",
      "big-low",
      "unscored",
    ]);
  });
});
