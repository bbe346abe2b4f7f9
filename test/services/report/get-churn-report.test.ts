// getChurnReport against a real database: status history and lost cases as the exit workflow writes
// them, the quarter to date next to the previous quarter, loyalty now, key accounts at risk, time zones.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  classifyAllAccounts,
  reclassifyAccount,
} from "../../../src/services/classification/classify-accounts.ts";
import { getChurnReport } from "../../../src/services/report/get-churn-report.ts";
import { seedAccount } from "../../support/churn.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { testDeps } from "../../support/deps.ts";

const NOW = new Date("2026-11-23T12:00:00Z");
const created = new Date("2025-01-01T00:00:00Z");
let db: TestDatabase;
const ids: Record<string, string> = {};

const order = (at: string, amount: bigint, currency = "EUR") => ({ at: new Date(at), amount, currency });

beforeAll(async () => {
  db = await createTestDatabase();
  const base = { createdAt: created, segment: "Retail", ownerSlackId: "UANNA" };
  const specs = [
    // The key account: nearly all the revenue of the last twelve months.
    {
      ...base,
      externalId: "A1",
      name: "Alpha",
      orders: [order("2025-03-01T09:00:00Z", 1_000n), order("2026-06-01T09:00:00Z", 100_000n)],
      changes: [],
    },
    {
      ...base,
      externalId: "A2",
      name: "Beta",
      orders: [order("2025-05-01T09:00:00Z", 4_000n)],
      changes: [
        {
          on: "2026-10-15",
          from: "active",
          to: "lost",
          loss: {
            reason: "price_too_high",
            receivablesOutstanding: 10_000n,
            receivablesRecovered: 2_000n,
            marketGapLoss: 50_000n,
          },
        },
      ],
    },
    {
      ...base,
      externalId: "A3",
      name: "Gamma",
      ownerSlackId: "UBEN",
      segment: "Industry",
      orders: [order("2025-06-01T09:00:00Z", 3_000n)],
      // The change does not name its case: the case closed lost that day stands for it.
      changes: [
        {
          on: "2026-08-10",
          from: "active",
          to: "lost",
          loss: { reason: "bankrupt", currency: "USD", goodsReturned: 500n, linked: false },
        },
      ],
    },
    {
      ...base,
      externalId: "A4",
      name: "Delta",
      ownerSlackId: "UBEN",
      // Won in the quarter and lost in it: not a customer at its start.
      orders: [order("2026-10-05T09:00:00Z", 2_000n)],
      changes: [{ on: "2026-11-01", from: "active", to: "lost", loss: { reason: "poor_quality" } }],
    },
    {
      ...base,
      externalId: "A5",
      name: "Epsilon",
      ownerSlackId: "UBEN",
      orders: [order("2025-02-01T09:00:00Z", 2_000n)],
      // Lost in Q3 (no case recorded), won back, lost again in Q4.
      changes: [
        { on: "2026-07-20", from: "active", to: "lost" },
        { on: "2026-09-01", from: "lost", to: "active" },
        { on: "2026-11-10", from: "active", to: "lost", loss: { reason: "poor_service" } },
      ],
    },
    {
      ...base,
      externalId: "A6",
      name: "Zeta",
      orders: [order("2025-02-01T09:00:00Z", 2_000n)],
      changes: [{ on: "2026-05-01", from: "active", to: "blacklisted" }],
    },
    // Never ordered, but known since 2025: a customer. Created in the quarter: not yet one at its start.
    { ...base, externalId: "A7", name: "Eta", orders: [], changes: [] },
    {
      ...base,
      externalId: "A8",
      name: "Theta",
      createdAt: new Date("2026-10-20T08:00:00Z"),
      orders: [],
      changes: [],
    },
    {
      ...base,
      externalId: "A9",
      name: "Iota",
      ownerSlackId: null,
      segment: null,
      orders: [
        // Before the twelve months and after now: neither is revenue of the window.
        order("2025-01-10T09:00:00Z", 1_000_000n),
        order("2026-03-01T09:00:00Z", 5_000n),
        order("2026-12-01T09:00:00Z", 10_000_000n),
      ],
      changes: [],
    },
    // First order 17:00 UTC on 31 December 2025: already 1 January 2026 in Shanghai.
    { ...base, externalId: "A11", name: "Kappa", orders: [order("2025-12-31T17:00:00Z", 100n)], changes: [] },
  ] as const;
  for (const spec of specs) {
    ids[spec.externalId] = await seedAccount(db.prisma, {
      ...spec,
      orders: [...spec.orders],
      changes: spec.changes.map((change) => ({ ...change })),
    });
  }
  await db.prisma.interaction.createMany({
    data: [
      {
        accountId: ids.A1 ?? "",
        kind: "visit",
        occurredOn: new Date("2026-06-01"),
        summary: "ok",
        loyalty: "loyal",
        createdBy: "U",
      },
      {
        accountId: ids.A1 ?? "",
        kind: "call",
        occurredOn: new Date("2026-11-01"),
        summary: "unhappy",
        loyalty: "disloyal",
        createdBy: "U",
      },
      {
        accountId: ids.A1 ?? "",
        kind: "call",
        occurredOn: new Date("2026-11-05"),
        summary: "no read",
        createdBy: "U",
      },
      {
        accountId: ids.A7 ?? "",
        kind: "email",
        occurredOn: new Date("2026-10-01"),
        summary: "meh",
        loyalty: "average",
        createdBy: "U",
      },
      // A lost account's read does not count among current customers.
      {
        accountId: ids.A2 ?? "",
        kind: "visit",
        occurredOn: new Date("2026-09-01"),
        summary: "fine",
        loyalty: "loyal",
        createdBy: "U",
      },
    ],
  });
  const older = await db.prisma.riskScan.create({ data: { asOf: new Date("2026-11-01") } });
  const latest = await db.prisma.riskScan.create({ data: { asOf: new Date("2026-11-22") } });
  const assess = (
    scanId: string,
    accountId: string,
    band: "low" | "high" | "critical",
    risk: number,
    asOf: string,
  ) =>
    db.prisma.riskAssessment.create({
      data: {
        scanId,
        accountId,
        asOf: new Date(asOf),
        risk,
        band,
        verdict: "retain",
        reasons: ["order_overdue", "value_down", "contact_changed", "complaints"].map((code) => ({
          code,
          text: `${code} text`,
          strength: 0.5,
          strong: false,
        })),
      },
    });
  await assess(older.id, ids.A1 ?? "", "low", 10, "2026-11-01");
  await assess(latest.id, ids.A1 ?? "", "critical", 85, "2026-11-22");
  // High, but not a key account.
  await assess(latest.id, ids.A9 ?? "", "high", 60, "2026-11-22");
  // Key accounts are the classification's, as the daily scan saves it.
  await classifyAllAccounts(
    testDeps(db, () => NOW),
    { asOfDay: "2026-11-23", until: NOW, scanId: null },
  );
});

afterAll(async () => {
  await db?.drop();
});

describe("getChurnReport", () => {
  it("reports the quarter to date next to the previous quarter from the status history", async () => {
    const report = await getChurnReport(
      testDeps(db, () => NOW),
      { period: "quarter" },
    );
    expect(report.today).toBe("2026-11-23");
    expect(report.current.period).toEqual({ from: "2026-10-01", to: "2026-11-23", label: "Q4 2026 to date" });
    // A1, A2, A5 (won back), A7, A9, A11; lost: A2 and A5. Not A3 (lost before), A4 (won in Q4), A6, A8.
    expect(report.current.churn).toMatchObject({ customersAtStart: 6, lost: 2 });
    expect(report.current.churn.rate).toBeCloseTo(2 / 6, 12);
    expect(report.current.churn.annualisedRate).toBeCloseTo(1 - (4 / 6) ** (365 / 54), 12);
    expect(report.current.churn.benchmark).toBe("above");
    expect(report.previous?.period).toEqual({ from: "2026-07-01", to: "2026-09-30", label: "Q3 2026" });
    // A1, A2, A3, A5, A7, A9, A11; lost: A3 and A5.
    expect(report.previous?.churn).toMatchObject({ customersAtStart: 7, lost: 2 });
  });

  it("tells why they left and what it cost, per currency, from the lost cases", async () => {
    const report = await getChurnReport(
      testDeps(db, () => NOW),
      { period: "quarter" },
    );
    expect(report.current.reasons.mix).toEqual([
      { reason: "poor_service", accounts: 1 },
      { reason: "price_too_high", accounts: 1 },
    ]);
    expect(report.current.reasons).toMatchObject({ recorded: 2, withinControl: 2, withinControlShare: 1 });
    expect(report.current.moneyLost).toEqual({
      lostAccounts: 2,
      withAmounts: 1,
      byCurrency: [
        {
          currency: "EUR",
          cases: 1,
          unrecoveredReceivables: 8_000n,
          compensationAgreed: 0n,
          goodsReturned: 0n,
          marketGapLoss: 50_000n,
          netLoss: 58_000n,
        },
      ],
    });
    // Q3: Gamma's case found by its closing day; Epsilon's first loss has none.
    expect(report.previous?.reasons.mix).toEqual([
      { reason: "bankrupt", accounts: 1 },
      { reason: null, accounts: 1 },
    ]);
    expect(report.previous?.moneyLost.byCurrency.map((loss) => [loss.currency, loss.netLoss])).toEqual([
      ["USD", 500n],
    ]);
  });

  it("breaks the period down by owner and segment", async () => {
    const report = await getChurnReport(
      testDeps(db, () => NOW),
      { period: "quarter" },
    );
    expect(
      report.current.byOwner.map((g) => [g.ownerSlackId, g.churn.customersAtStart, g.churn.lost]),
    ).toEqual([
      ["UANNA", 4, 1],
      ["UBEN", 1, 1],
      [null, 1, 0],
    ]);
    expect(report.current.bySegment.map((g) => [g.segment, g.churn.customersAtStart, g.churn.lost])).toEqual([
      ["Retail", 5, 2],
      [null, 1, 0],
    ]);
    expect(report.current.byMonth.map((m) => [m.month, m.churn.customersAtStart, m.churn.lost])).toEqual([
      ["2026-10", 6, 1],
      // Delta (first order in October) and Theta (known since October) are customers at its start.
      ["2026-11", 7, 2],
    ]);
  });

  it("mixes the latest loyalty read of current customers and lists the key accounts at risk", async () => {
    const report = await getChurnReport(
      testDeps(db, () => NOW),
      { period: "year" },
    );
    // Current: A1 (disloyal, its latest read), A7 (average), A8, A9, A11 (never read).
    expect(report.loyalty).toEqual({ customers: 5, loyal: 0, average: 1, disloyal: 1, noRead: 3 });
    expect(report.keyAccounts).toMatchObject({
      revenueFrom: "2025-11-24",
      revenueTo: "2026-11-23",
      keyAccounts: 1,
      assessed: 1,
    });
    expect(report.keyAccounts.atRisk).toEqual([
      {
        accountId: ids.A1,
        externalId: "A1",
        name: "Alpha",
        ownerSlackId: "UANNA",
        band: "critical",
        risk: 85,
        asOf: "2026-11-22",
        reasons: [
          { code: "order_overdue", text: "order_overdue text" },
          { code: "value_down", text: "value_down text" },
          { code: "contact_changed", text: "contact_changed text" },
        ],
      },
    ]);
  });

  it("counts the accounts the classification holds key, a manager's designation included", async () => {
    const deps = testDeps(db, () => NOW);
    const base = await getChurnReport(deps, { period: "year" });
    await db.prisma.account.update({ where: { id: ids.A11 }, data: { keyDesignatedBy: "U0BOSS" } });
    try {
      expect(await reclassifyAccount(deps, ids.A11 ?? "")).toBe(true);
      const designated = await getChurnReport(deps, { period: "year" });
      expect(designated.keyAccounts.keyAccounts).toBe(base.keyAccounts.keyAccounts + 1);
    } finally {
      await db.prisma.account.update({ where: { id: ids.A11 }, data: { keyDesignatedBy: null } });
      await reclassifyAccount(deps, ids.A11 ?? "");
    }
  });

  it("reads the status at the start of a past range from changes made after it", async () => {
    const report = await getChurnReport(
      testDeps(db, () => NOW),
      { from: "2026-01-01", to: "2026-06-30" },
    );
    // Gamma, lost in August, and Zeta, blacklisted in May, were customers on 1 January; blacklisting is not a loss.
    expect(report.current.churn).toMatchObject({ customersAtStart: 8, lost: 0 });
  });

  it("counts calendar days in the configured time zone", async () => {
    const january = { from: "2026-01-01", to: "2026-01-31" };
    const utc = await getChurnReport(
      testDeps(db, () => NOW),
      january,
    );
    const shanghai = await getChurnReport(
      testDeps(db, () => NOW, { timeZone: "Asia/Shanghai" }),
      january,
    );
    // Kappa first ordered on 31 December in UTC, on 1 January in Shanghai.
    expect(utc.current.churn.customersAtStart - shanghai.current.churn.customersAtStart).toBe(1);
  });

  it("defaults to the year to date and refuses a range that is not one", async () => {
    const report = await getChurnReport(
      testDeps(db, () => NOW),
      {},
    );
    expect(report.current.period).toMatchObject({ from: "2026-01-01", to: "2026-11-23" });
    expect(report.previous).toBeNull();
    await expect(
      getChurnReport(
        testDeps(db, () => NOW),
        { from: "2026-05-01", to: "2026-04-01" },
      ),
    ).rejects.toMatchObject({
      code: "bad_request",
      userMessage: "The range starts on 2026-05-01, after it ends on 2026-04-01.",
    });
    await expect(
      getChurnReport(
        testDeps(db, () => NOW),
        { from: "2026-02-30" },
      ),
    ).rejects.toMatchObject({
      code: "bad_request",
    });
  });
});
