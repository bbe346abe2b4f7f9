// The churn report's pure core: periods, who counts as a customer at the start, who was lost, the
// annualised rate against 5–10%, reason and loyalty mixes, money per currency, key accounts at risk.
import { describe, expect, it } from "vitest";
import type { AccountStatus } from "../../src/domain/account-card.ts";
import {
  annualise,
  benchmarkOf,
  type ChurnAccount,
  churnHistory,
  churnRate,
  controlSentence,
  customPeriod,
  isCustomerAtStartOf,
  isWholeYear,
  type KeyAccountRisk,
  keyAccountsAtRisk,
  type LostCase,
  loyaltyLine,
  loyaltyMix,
  moneyLine,
  moneyLost,
  monthsWithin,
  parsePeriodKind,
  periodFigures,
  periodToDate,
  previousPeriod,
  type ReportPeriod,
  rangeProblem,
  rateBrief,
  rateSentence,
  reasonMix,
  type StatusChange,
  statusAtStartOf,
  trailingTwelveMonths,
} from "../../src/domain/churn-report.ts";
import type { ChurnReason, ExitLosses } from "../../src/domain/exit.ts";

const noLosses: ExitLosses = {
  receivablesOutstanding: null,
  receivablesRecovered: null,
  compensationClaimed: null,
  compensationAgreed: null,
  goodsReturned: null,
  marketGapLoss: null,
};

function account(id: string, overrides: Partial<ChurnAccount> = {}): ChurnAccount {
  return {
    id,
    ownerSlackId: "U1",
    segment: "Retail",
    status: "active",
    createdOn: "2025-01-10",
    firstOrderOn: "2025-02-01",
    ...overrides,
  };
}

let recorded = 0;
function change(
  accountId: string,
  effectiveOn: string,
  fromStatus: AccountStatus,
  toStatus: AccountStatus,
  exitCase: LostCase | null = null,
): StatusChange {
  recorded += 1;
  return { accountId, fromStatus, toStatus, effectiveOn, recordedAt: new Date(recorded * 1000), exitCase };
}

const lostCase = (reason: ChurnReason | null, currency = "EUR", losses: Partial<ExitLosses> = {}) => ({
  reason,
  currency,
  losses: { ...noLosses, ...losses },
});

const year2026: ReportPeriod = { from: "2026-01-01", to: "2026-12-31", label: "2026" };

describe("periods", () => {
  it.each([
    [
      "month",
      "2026-11-23",
      ["2026-11-01", "2026-11-23", "November 2026 to date"],
      ["2026-10-01", "2026-10-31", "October 2026"],
    ],
    [
      "month",
      "2026-01-05",
      ["2026-01-01", "2026-01-05", "January 2026 to date"],
      ["2025-12-01", "2025-12-31", "December 2025"],
    ],
    [
      "month",
      "2024-03-31",
      ["2024-03-01", "2024-03-31", "March 2024 to date"],
      ["2024-02-01", "2024-02-29", "February 2024"],
    ],
    [
      "quarter",
      "2026-11-23",
      ["2026-10-01", "2026-11-23", "Q4 2026 to date"],
      ["2026-07-01", "2026-09-30", "Q3 2026"],
    ],
    [
      "quarter",
      "2026-02-10",
      ["2026-01-01", "2026-02-10", "Q1 2026 to date"],
      ["2025-10-01", "2025-12-31", "Q4 2025"],
    ],
    [
      "quarter",
      "2026-10-01",
      ["2026-10-01", "2026-10-01", "Q4 2026 to date"],
      ["2026-07-01", "2026-09-30", "Q3 2026"],
    ],
    [
      "year",
      "2026-11-23",
      ["2026-01-01", "2026-11-23", "2026 to date"],
      ["2025-01-01", "2025-12-31", "2025"],
    ],
  ] as const)("%s on %s", (kind, today, current, previous) => {
    expect(periodToDate(kind, today)).toEqual({ from: current[0], to: current[1], label: current[2] });
    expect(previousPeriod(kind, today)).toEqual({ from: previous[0], to: previous[1], label: previous[2] });
  });

  it.each([
    ["", "year"],
    ["month", "month"],
    [" Quarter ", "quarter"],
    ["YEAR", "year"],
    ["week", null],
    ["quarter 2025", null],
  ])("period word %j", (word, kind) => {
    expect(parsePeriodKind(word)).toBe(kind);
  });

  it("defaults a chosen range to the year to date", () => {
    expect(customPeriod(undefined, undefined, "2026-11-23")).toEqual({
      from: "2026-01-01",
      to: "2026-11-23",
      label: "2026-01-01 – 2026-11-23",
    });
    expect(customPeriod(undefined, "2025-06-30", "2026-11-23")).toMatchObject({
      from: "2025-01-01",
      to: "2025-06-30",
    });
    expect(customPeriod("2026-03-01", undefined, "2026-11-23")).toMatchObject({
      from: "2026-03-01",
      to: "2026-11-23",
    });
  });

  it.each([
    ["2026-11-23", "2025-11-24"],
    ["2026-03-01", "2025-03-02"],
    ["2028-02-29", "2027-03-01"],
    ["2027-02-28", "2026-03-01"],
    ["2026-12-31", "2026-01-01"],
  ])("the twelve months up to %s start on %s", (today, from) => {
    expect(trailingTwelveMonths(today)).toEqual({ from, to: today });
  });

  it.each([
    [{ from: "2026-01-01", to: "2026-01-01" }, null],
    [
      { from: "2026-05-01", to: "2026-04-30" },
      "The range starts on 2026-05-01, after it ends on 2026-04-30.",
    ],
    [{ from: "2026-02-30", to: "2026-04-30" }, '"2026-02-30" is not a calendar date YYYY-MM-DD.'],
    [{ from: "2026-01-01", to: "soon" }, '"soon" is not a calendar date YYYY-MM-DD.'],
  ])("range %j: %s", (range, problem) => {
    expect(rangeProblem(range)).toBe(problem);
  });

  it("splits a range into calendar months cut to it, across a year end", () => {
    expect(monthsWithin({ from: "2025-11-15", to: "2026-01-10" })).toEqual([
      { month: "2025-11", from: "2025-11-15", to: "2025-11-30" },
      { month: "2025-12", from: "2025-12-01", to: "2025-12-31" },
      { month: "2026-01", from: "2026-01-01", to: "2026-01-10" },
    ]);
    expect(monthsWithin({ from: "2026-02-03", to: "2026-02-03" })).toEqual([
      { month: "2026-02", from: "2026-02-03", to: "2026-02-03" },
    ]);
  });

  it.each([
    ["2025-01-01", "2025-12-31", true],
    ["2024-01-01", "2024-12-31", true],
    ["2025-03-01", "2026-02-28", true],
    ["2024-02-29", "2025-02-28", true],
    ["2026-01-01", "2026-11-23", false],
    ["2025-01-01", "2026-01-01", false],
    ["2025-01-01", "2026-12-31", false],
  ])("%s – %s is a whole year: %s", (from, to, expected) => {
    expect(isWholeYear({ from, to })).toBe(expected);
  });
});

describe("churn rate, annualised, against 5–10%", () => {
  it("annualises anything but a whole year by compounding the survival over 365 days", () => {
    const march = { from: "2026-03-01", to: "2026-03-31" };
    expect(annualise(0.01, march)).toBeCloseTo(1 - 0.99 ** (365 / 31), 12);
    expect(annualise(0.01, march)).toBeCloseTo(0.1116, 4);
    expect(annualise(0.07, { from: "2025-01-01", to: "2025-12-31" })).toBe(0.07);
    // Two years: the yearly rate is lower than the two-year rate.
    expect(annualise(0.19, { from: "2024-01-01", to: "2025-12-31" })).toBeCloseTo(
      1 - 0.81 ** (365 / 731),
      12,
    );
    expect(annualise(0, march)).toBe(0);
    expect(annualise(1, march)).toBe(1);
  });

  it.each([
    [0, "below"],
    [0.0499, "below"],
    [0.05, "inside"],
    [0.1, "inside"],
    [0.1001, "above"],
    [1, "above"],
  ] as const)("%f a year is %s the range", (rate, expected) => {
    expect(benchmarkOf(rate)).toBe(expected);
  });

  it("has no rate without customers at the start, and says so", () => {
    const figures = periodFigures(churnHistory([], []), year2026);
    expect(figures.churn).toEqual({
      customersAtStart: 0,
      lost: 0,
      rate: null,
      annualisedRate: null,
      benchmark: null,
    });
    expect(rateSentence(figures.churn, year2026)).toBe(
      "No customers at the start of the period (2026-01-01), so there is no churn rate.",
    );
    expect(figures.byMonth).toHaveLength(12);
    expect(figures.byOwner).toEqual([]);
    expect(figures.reasons.lostAccounts).toBe(0);
    expect(figures.moneyLost.byCurrency).toEqual([]);
  });

  it("reads a rate as a sentence, annualised for part of a year", () => {
    const ytd = { from: "2026-01-01", to: "2026-06-30" };
    expect(rateSentence(churnRate(ytd, 40, 2), ytd)).toBe(
      "2 of 40 customers at the start lost: 5.0%, 9.8% a year over 181 days, inside the 5–10% a year of top-tier companies.",
    );
    expect(rateSentence(churnRate(year2026, 40, 6), year2026)).toBe(
      "6 of 40 customers at the start lost: 15.0% in the year, above the 5–10% a year of top-tier companies.",
    );
  });
});

describe("who is a customer at the start", () => {
  const jan = "2026-01-01";

  it.each([
    ["ordering before the start", account("a"), true],
    ["first order on the start day (acquired in the period)", account("a", { firstOrderOn: jan }), false],
    [
      "created before, first order later",
      account("a", { createdOn: "2025-01-01", firstOrderOn: "2026-02-01" }),
      false,
    ],
    ["no orders, created before", account("a", { firstOrderOn: null }), true],
    [
      "no orders, created in the period",
      account("a", { createdOn: "2026-03-01", firstOrderOn: null }),
      false,
    ],
    [
      "imported later with older orders",
      account("a", { createdOn: "2026-05-01", firstOrderOn: "2024-01-01" }),
      true,
    ],
    ["lost now, no history: lost then too", account("a", { status: "lost" }), false],
    ["blacklisted now, no history", account("a", { status: "blacklisted" }), false],
    ["at risk now, no history", account("a", { status: "at_risk" }), true],
  ])("%s", (_, subject, expected) => {
    expect(isCustomerAtStartOf(subject, [], jan)).toBe(expected);
  });

  it("takes the status from the latest change before the start, or the one before the first change", () => {
    const subject = account("a", { status: "active" });
    const history = [
      change("a", "2025-06-01", "active", "lost"),
      change("a", "2025-09-01", "lost", "active"),
      change("a", "2026-03-01", "active", "blacklisted"),
    ];
    expect(statusAtStartOf(subject, history, "2025-05-01")).toBe("active");
    expect(statusAtStartOf(subject, history, "2025-06-01")).toBe("active");
    expect(statusAtStartOf(subject, history, "2025-06-02")).toBe("lost");
    expect(statusAtStartOf(subject, history, "2025-09-02")).toBe("active");
    expect(statusAtStartOf(subject, history, "2026-03-02")).toBe("blacklisted");
    // Imported as at risk before its history began.
    expect(statusAtStartOf(subject, [change("a", "2026-02-01", "at_risk", "lost")], "2026-01-01")).toBe(
      "at_risk",
    );
  });

  it("orders changes effective the same day by when they were recorded", () => {
    const later = change("a", "2025-12-01", "active", "lost");
    const earlier = { ...change("a", "2025-12-01", "lost", "active"), recordedAt: new Date(0) };
    const history = churnHistory([account("a")], [later, earlier]);
    expect(statusAtStartOf(account("a"), history.changes.get("a") ?? [], "2026-01-01")).toBe("lost");
  });
});

describe("periodFigures", () => {
  it("counts the customers at the start that turned lost in the period, not those acquired in it", () => {
    const accounts = [
      account("stays"),
      account("lost-march"),
      account("new-and-lost", { createdOn: "2026-02-01", firstOrderOn: "2026-02-10" }),
      account("lost-before", { status: "lost" }),
      account("blacklisted-in-period"),
    ];
    const changes = [
      change("lost-march", "2026-03-15", "active", "lost", lostCase("price_too_high")),
      change("new-and-lost", "2026-04-01", "active", "lost", lostCase("bankrupt")),
      change("lost-before", "2025-11-30", "active", "lost"),
      change("blacklisted-in-period", "2026-05-01", "active", "blacklisted"),
    ];
    const figures = periodFigures(churnHistory(accounts, changes), year2026);
    expect(figures.churn).toMatchObject({ customersAtStart: 3, lost: 1 });
    expect(figures.churn.rate).toBeCloseTo(1 / 3, 12);
    expect(figures.reasons.mix).toEqual([{ reason: "price_too_high", accounts: 1 }]);
    // April: new-and-lost was a customer at its start (first order in February) and was lost in it;
    // lost-march no longer was.
    const april = figures.byMonth.find((month) => month.month === "2026-04");
    expect(april?.churn).toMatchObject({ customersAtStart: 3, lost: 1 });
    const march = figures.byMonth.find((month) => month.month === "2026-03");
    expect(march?.churn).toMatchObject({ customersAtStart: 4, lost: 1 });
  });

  it("counts an account won back and lost again in its later period again, and once in a period holding both", () => {
    const history = churnHistory(
      [account("boomerang")],
      [
        change("boomerang", "2026-03-10", "active", "lost", lostCase("poor_service")),
        change("boomerang", "2026-06-01", "lost", "active"),
        change("boomerang", "2026-09-15", "active", "lost", lostCase("price_too_high")),
      ],
    );
    const figures = periodFigures(history, year2026);
    expect(figures.churn).toMatchObject({ customersAtStart: 1, lost: 1 });
    // Its latest loss speaks for it in the year.
    expect(figures.reasons.mix).toEqual([{ reason: "price_too_high", accounts: 1 }]);
    const byMonth = Object.fromEntries(
      figures.byMonth.map((month) => [month.month, [month.churn.customersAtStart, month.churn.lost]]),
    );
    expect(byMonth["2026-03"]).toEqual([1, 1]);
    expect(byMonth["2026-04"]).toEqual([0, 0]);
    // Won back on 1 June: not yet a customer at the start of June, again one at the start of July.
    expect(byMonth["2026-06"]).toEqual([0, 0]);
    expect(byMonth["2026-07"]).toEqual([1, 0]);
    expect(byMonth["2026-09"]).toEqual([1, 1]);
    expect(byMonth["2026-10"]).toEqual([0, 0]);
    const q3 = periodFigures(history, { from: "2026-07-01", to: "2026-09-30", label: "Q3 2026" });
    expect(q3.churn).toMatchObject({ customersAtStart: 1, lost: 1, rate: 1 });
  });

  it("counts a loss effective on the first day of the period, and none effective the day after it ends", () => {
    const history = churnHistory(
      [account("first-day"), account("day-after")],
      [
        change("first-day", "2026-01-01", "active", "lost"),
        change("day-after", "2027-01-01", "active", "lost"),
      ],
    );
    expect(periodFigures(history, year2026).churn).toMatchObject({ customersAtStart: 2, lost: 1 });
  });

  it("breaks the rate down by owner and segment, most lost first, no owner last on a tie", () => {
    const accounts = [
      account("a1", { ownerSlackId: "UANNA", segment: "Retail" }),
      account("a2", { ownerSlackId: "UANNA", segment: "Retail" }),
      account("b1", { ownerSlackId: "UBEN", segment: "Industry" }),
      account("b2", { ownerSlackId: "UBEN", segment: "Industry" }),
      account("b3", { ownerSlackId: "UBEN", segment: null }),
      account("n1", { ownerSlackId: null, segment: null }),
      account("n2", { ownerSlackId: null, segment: null }),
    ];
    const changes = [
      change("b1", "2026-02-01", "active", "lost"),
      change("b2", "2026-02-01", "active", "lost"),
      change("a1", "2026-02-01", "active", "lost"),
    ];
    const figures = periodFigures(churnHistory(accounts, changes), year2026);
    expect(figures.byOwner.map((g) => [g.ownerSlackId, g.churn.customersAtStart, g.churn.lost])).toEqual([
      ["UBEN", 3, 2],
      ["UANNA", 2, 1],
      [null, 2, 0],
    ]);
    expect(figures.bySegment.map((g) => [g.segment, g.churn.customersAtStart, g.churn.lost])).toEqual([
      ["Industry", 2, 2],
      ["Retail", 2, 1],
      [null, 3, 0],
    ]);
    expect(figures.byOwner[0]?.churn.rate).toBeCloseTo(2 / 3, 12);
  });

  it("adds up the money lost per currency from the lost cases of the period", () => {
    const history = churnHistory(
      [account("e1"), account("e2"), account("u1"), account("none"), account("blank")],
      [
        change(
          "e1",
          "2026-02-01",
          "active",
          "lost",
          lostCase("poor_quality", "EUR", {
            receivablesOutstanding: 10_000n,
            receivablesRecovered: 4_000n,
            marketGapLoss: 50_000n,
          }),
        ),
        change(
          "e2",
          "2026-03-01",
          "active",
          "lost",
          lostCase(null, "EUR", {
            goodsReturned: 2_500n,
            compensationClaimed: 9_000n,
            compensationAgreed: 1_000n,
          }),
        ),
        change("u1", "2026-04-01", "active", "lost", lostCase("moved_away", "USD", { marketGapLoss: 7n })),
        change("none", "2026-05-01", "active", "lost"),
        change("blank", "2026-05-01", "active", "lost", lostCase("acquired")),
      ],
    );
    const { moneyLost: money, reasons } = periodFigures(history, year2026);
    expect(money.lostAccounts).toBe(5);
    expect(money.withAmounts).toBe(3);
    expect(money.byCurrency).toEqual([
      {
        currency: "EUR",
        cases: 2,
        unrecoveredReceivables: 6_000n,
        compensationAgreed: 1_000n,
        goodsReturned: 2_500n,
        marketGapLoss: 50_000n,
        netLoss: 57_500n,
      },
      {
        currency: "USD",
        cases: 1,
        unrecoveredReceivables: 0n,
        compensationAgreed: 0n,
        goodsReturned: 0n,
        marketGapLoss: 7n,
        netLoss: 7n,
      },
    ]);
    expect(reasons).toMatchObject({ lostAccounts: 5, recorded: 3, withinControl: 1 });
    expect(reasons.withinControlShare).toBeCloseTo(1 / 3, 12);
  });
});

describe("reasonMix", () => {
  it("lists the most frequent first, the taxonomy's order on a tie, not recorded last", () => {
    const mix = reasonMix([
      null,
      "price_too_high",
      "bankrupt",
      "price_too_high",
      null,
      "poor_service",
      "moved_away",
    ]);
    expect(mix.mix).toEqual([
      { reason: "price_too_high", accounts: 2 },
      { reason: "moved_away", accounts: 1 },
      { reason: "bankrupt", accounts: 1 },
      { reason: "poor_service", accounts: 1 },
      { reason: null, accounts: 2 },
    ]);
    expect(mix).toMatchObject({ lostAccounts: 7, recorded: 5, withinControl: 3, withinControlShare: 0.6 });
  });

  it("has no controllable share when no reason was recorded", () => {
    expect(reasonMix([null, null]).withinControlShare).toBeNull();
    expect(reasonMix([])).toEqual({
      lostAccounts: 0,
      mix: [],
      recorded: 0,
      withinControl: 0,
      withinControlShare: null,
    });
  });

  it("counts a case without any amount as lost but not as money", () => {
    expect(moneyLost([lostCase("bankrupt"), null])).toEqual({
      byCurrency: [],
      lostAccounts: 2,
      withAmounts: 0,
    });
  });
});

describe("sentences", () => {
  it("reads a breakdown line, annualised only for part of a year", () => {
    const half = { from: "2026-01-01", to: "2026-06-30" };
    expect(rateBrief(churnRate(half, 30, 2), half)).toBe("2 of 30 lost: 6.7% (13.0% a year)");
    expect(rateBrief(churnRate(year2026, 30, 2), year2026)).toBe("2 of 30 lost: 6.7%");
    expect(rateBrief(churnRate(half, 0, 0), half)).toBe("no customers at the start");
  });

  it("states the controllable share, and nothing without a recorded reason", () => {
    expect(controlSentence(reasonMix(["poor_service", "bankrupt", null]))).toBe(
      "1 of 2 with a recorded reason left for reasons within our control (50%).",
    );
    expect(controlSentence(reasonMix([null]))).toBeNull();
  });

  it("spells out the money lost in its own currency", () => {
    const [eur] = moneyLost([
      lostCase("poor_service", "EUR", {
        receivablesOutstanding: 100_000n,
        receivablesRecovered: 40_000n,
        compensationClaimed: 20_000n,
        compensationAgreed: 10_000n,
      }),
    ]).byCurrency;
    expect(eur && moneyLine(eur)).toBe(
      "€500.00 net from 1 case: unrecovered receivables €600.00, less compensation agreed €100.00",
    );
    const [jpy] = moneyLost([lostCase(null, "JPY", { marketGapLoss: 1_500_000n })]).byCurrency;
    expect(jpy && moneyLine(jpy)).toBe("¥1,500,000 net from 1 case: market-gap loss ¥1,500,000");
  });

  it("lists the loyalty mix with shares", () => {
    expect(loyaltyLine(loyaltyMix(["loyal", "loyal", "disloyal", null]))).toBe(
      "Loyal 2 (50%) · Average 0 (0%) · Disloyal 1 (25%) · No read yet 1 (25%)",
    );
  });
});

describe("current customers", () => {
  it("mixes the latest loyalty reads, with those never read apart", () => {
    expect(loyaltyMix(["loyal", null, "disloyal", "loyal", null, "average"])).toEqual({
      customers: 6,
      loyal: 2,
      average: 1,
      disloyal: 1,
      noRead: 2,
    });
    expect(loyaltyMix([])).toEqual({ customers: 0, loyal: 0, average: 0, disloyal: 0, noRead: 0 });
  });

  it("keeps the high and critical key accounts, riskiest first, with their top three reasons", () => {
    const assessed = (name: string, band: KeyAccountRisk["band"], risk: number): KeyAccountRisk => ({
      accountId: `id-${name}`,
      externalId: name,
      name,
      ownerSlackId: null,
      band,
      risk,
      asOf: "2026-11-23",
      reasons: ["r1", "r2", "r3", "r4"].map((code) => ({ code, text: `${name} ${code}` })),
    });
    const atRisk = keyAccountsAtRisk([
      assessed("Low", "low", 10),
      assessed("High", "high", 60),
      assessed("Critical", "critical", 90),
      assessed("Medium", "medium", 40),
      assessed("Also high", "high", 60),
    ]);
    expect(atRisk.map((a) => a.name)).toEqual(["Critical", "Also high", "High"]);
    expect(atRisk[0]?.reasons.map((r) => r.code)).toEqual(["r1", "r2", "r3"]);
  });
});
