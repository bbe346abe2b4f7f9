// Key dates of a handover brief and the ranking of a departing rep's accounts.
import { describe, expect, it } from "vitest";
import { type AccountAtStake, rankAccountsAtStake, upcomingKeyDates } from "../../src/domain/ownership.ts";

describe("upcomingKeyDates", () => {
  it("finds the next occurrence within the window, soonest first, today included", () => {
    const dates = upcomingKeyDates(
      [
        { kind: "birthday", label: "Paula", day: "1980-12-03" },
        { kind: "founding_anniversary", label: "ACME", day: "2000-11-23" },
        { kind: "first_order_anniversary", label: "ACME", day: "2019-06-01" },
      ],
      "2026-11-23",
      60,
    );
    expect(dates.map((d) => [d.kind, d.on, d.inDays, d.years])).toEqual([
      ["founding_anniversary", "2026-11-23", 0, 26],
      ["birthday", "2026-12-03", 10, 46],
    ]);
  });

  it("crosses the year end, and needs a whole year for an anniversary", () => {
    const dates = upcomingKeyDates(
      [
        { kind: "first_order_anniversary", label: "A", day: "2025-01-10" },
        { kind: "first_order_anniversary", label: "B", day: "2026-12-01" },
        { kind: "founding_anniversary", label: "C", day: "2026-11-23" },
      ],
      "2026-12-20",
      60,
    );
    expect(dates.map((d) => [d.label, d.on, d.years])).toEqual([["A", "2027-01-10", 2]]);
  });

  it("puts 29 February on the 28th in other years, and leaves out what is beyond the window", () => {
    const dates = upcomingKeyDates(
      [
        { kind: "birthday", label: "Leap", day: "1996-02-29" },
        { kind: "birthday", label: "Far", day: "1990-06-01" },
      ],
      "2027-02-01",
      60,
    );
    expect(dates.map((d) => [d.label, d.on])).toEqual([["Leap", "2027-02-28"]]);
    expect(upcomingKeyDates([], "2027-02-01")).toEqual([]);
  });
});

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
