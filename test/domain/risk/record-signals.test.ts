// Record signals (complaints, loyalty, warning signs, fading with age) and receivable signals.
import { describe, expect, it } from "vitest";
import { defaultResponseTargets } from "../../../src/domain/complaints.ts";
import { SIGNAL } from "../../../src/domain/risk/codes.ts";
import {
  overdueReceivables,
  type Receivable,
  type RecordSignalsInput,
  type RiskComplaint,
  type RiskSign,
  receivableSignals,
  recordSignals,
} from "../../../src/domain/risk/record-signals.ts";

const AS_OF = new Date("2026-11-24T13:00:00Z");
const DAY = 86_400_000;

function daysAgo(days: number): Date {
  return new Date(AS_OF.getTime() - days * DAY);
}

/** The calendar date `days` before 2026-11-24. */
function dateAgo(days: number): string {
  return new Date(Date.UTC(2026, 10, 24 - days)).toISOString().slice(0, 10);
}

function input(parts: Partial<RecordSignalsInput>): RecordSignalsInput {
  return {
    timeZone: "UTC",
    responseTargets: defaultResponseTargets,
    complaints: [],
    loyaltyReads: [],
    signs: [],
    ...parts,
  };
}

function complaint(parts: Partial<RiskComplaint> & { raisedDaysAgo: number }): RiskComplaint {
  const { raisedDaysAgo, ...rest } = parts;
  return {
    category: "delivery",
    severity: "medium",
    status: "open",
    createdAt: daysAgo(raisedDaysAgo),
    reopenedAt: null,
    ...rest,
  };
}

function sign(parts: Partial<RiskSign> & { kind: RiskSign["kind"]; daysAgo: number }): RiskSign {
  const { daysAgo: age, ...rest } = parts;
  return {
    observedOn: dateAgo(age),
    details: "",
    competitorName: null,
    competitorMoves: [],
    changedRole: null,
    ...rest,
  };
}

const pick = (signals: ReturnType<typeof recordSignals>) =>
  signals.map(({ code, strength, strong, text }) => ({ code, strength, strong, text }));

describe("recordSignals: complaints", () => {
  it.each<{ name: string; complaints: RiskComplaint[]; expected: ReturnType<typeof pick> }>([
    { name: "no records", complaints: [], expected: [] },
    {
      name: "a high complaint past its target",
      complaints: [complaint({ raisedDaysAgo: 12, severity: "high" })],
      expected: [
        {
          code: SIGNAL.complaintOverdue,
          strength: 0.585,
          strong: true,
          text: "High complaint (delivery) 9 days past its 3-day target, open 12 days",
        },
      ],
    },
    {
      name: "a low complaint within target",
      complaints: [complaint({ raisedDaysAgo: 2, severity: "low", category: "service" })],
      expected: [
        {
          code: SIGNAL.complaintOpen,
          strength: 0.1,
          strong: false,
          text: "1 open complaint within target (most severe: low, oldest 2 days)",
        },
      ],
    },
    {
      name: "resolved, awaiting the customer's confirmation: the clock stopped, it counts half",
      complaints: [complaint({ raisedDaysAgo: 20, status: "resolved" })],
      expected: [
        {
          code: SIGNAL.complaintOpen,
          strength: 0.075,
          strong: false,
          text: "1 open complaint within target (most severe: medium, oldest 20 days)",
        },
      ],
    },
    {
      name: "reopened: the clock restarts at the reopening",
      complaints: [complaint({ raisedDaysAgo: 120, reopenedAt: daysAgo(2) })],
      expected: [
        {
          code: SIGNAL.complaintOpen,
          strength: 0.15,
          strong: false,
          text: "1 open complaint within target (most severe: medium, oldest 2 days)",
        },
      ],
    },
    {
      name: "confirmed long ago: nothing",
      complaints: [complaint({ raisedDaysAgo: 200, status: "confirmed", severity: "critical" })],
      expected: [],
    },
    {
      name: "repeated complaints in 90 days, closed ones included",
      complaints: [
        complaint({ raisedDaysAgo: 80, status: "confirmed" }),
        complaint({ raisedDaysAgo: 40, status: "confirmed", category: "service" }),
        complaint({ raisedDaysAgo: 30, severity: "low", status: "resolved" }),
        complaint({ raisedDaysAgo: 95, status: "confirmed", category: "price" }),
      ],
      expected: [
        {
          code: SIGNAL.complaintOpen,
          strength: 0.05,
          strong: false,
          text: "1 open complaint within target (most severe: low, oldest 30 days)",
        },
        {
          code: SIGNAL.complaintsRepeated,
          strength: 0.35,
          strong: true,
          text: "3 complaints in the last 90 days (Delivery \u00d72, Service)",
        },
      ],
    },
    {
      name: "several overdue: the most severe leads, the count is told",
      complaints: [
        complaint({ raisedDaysAgo: 30, severity: "low" }),
        complaint({ raisedDaysAgo: 5, severity: "critical", category: "product_quality" }),
      ],
      expected: [
        {
          code: SIGNAL.complaintOverdue,
          strength: 0.71,
          strong: true,
          text: "Critical complaint (product quality) 4 days past its 1-day target, open 5 days; 2 complaints overdue",
        },
        {
          code: SIGNAL.complaintsRepeated,
          strength: 0.25,
          strong: false,
          text: "2 complaints in the last 90 days (Delivery, Product quality)",
        },
      ],
    },
  ])("$name", ({ complaints, expected }) => {
    expect(pick(recordSignals(input({ complaints }), AS_OF))).toEqual(expected);
  });
});

describe("recordSignals: loyalty", () => {
  it.each<{ name: string; reads: RecordSignalsInput["loyaltyReads"]; expected: ReturnType<typeof pick> }>([
    { name: "no reads", reads: [], expected: [] },
    {
      name: "disloyal after loyal",
      reads: [
        { occurredOn: dateAgo(60), read: "loyal" },
        { occurredOn: dateAgo(10), read: "disloyal" },
      ],
      expected: [
        {
          code: SIGNAL.loyaltyDisloyal,
          strength: 0.529,
          strong: true,
          text: "last loyalty read: disloyal (10 days ago), loyal before",
        },
      ],
    },
    {
      name: "disloyal twice",
      reads: [
        { occurredOn: dateAgo(10), read: "disloyal" },
        { occurredOn: dateAgo(40), read: "disloyal" },
      ],
      expected: [
        {
          code: SIGNAL.loyaltyDisloyal,
          strength: 0.629,
          strong: true,
          text: "last loyalty read: disloyal (10 days ago), disloyal before too",
        },
      ],
    },
    {
      name: "an old disloyal read fades and is no longer strong",
      reads: [{ occurredOn: dateAgo(200), read: "disloyal" }],
      expected: [
        {
          code: SIGNAL.loyaltyDisloyal,
          strength: 0.255,
          strong: false,
          text: "last loyalty read: disloyal (7 months ago)",
        },
      ],
    },
    {
      name: "worsening from loyal to average",
      reads: [
        { occurredOn: dateAgo(3), read: "average" },
        { occurredOn: dateAgo(50), read: "loyal" },
      ],
      expected: [
        {
          code: SIGNAL.loyaltyWorsening,
          strength: 0.247,
          strong: false,
          text: "loyalty worsening: average 3 days ago, loyal before",
        },
      ],
    },
    {
      name: "improving",
      reads: [
        { occurredOn: dateAgo(3), read: "loyal" },
        { occurredOn: dateAgo(50), read: "disloyal" },
      ],
      expected: [],
    },
    { name: "one average read", reads: [{ occurredOn: dateAgo(3), read: "average" }], expected: [] },
    { name: "older than a year", reads: [{ occurredOn: dateAgo(400), read: "disloyal" }], expected: [] },
  ])("$name", ({ reads, expected }) => {
    expect(pick(recordSignals(input({ loyaltyReads: reads }), AS_OF))).toEqual(expected);
  });
});

describe("recordSignals: warning signs", () => {
  it.each<{ name: string; signs: RiskSign[]; expected: ReturnType<typeof pick> }>([
    {
      name: "purchasing contact changed",
      signs: [sign({ kind: "contact_change", daysAgo: 12, changedRole: "purchasing" })],
      expected: [
        {
          code: SIGNAL.purchasingContactChanged,
          strength: 0.456,
          strong: true,
          text: "purchasing contact changed 12 days ago",
        },
      ],
    },
    {
      name: "decision maker changed",
      signs: [sign({ kind: "contact_change", daysAgo: 0, changedRole: "decision_maker" })],
      expected: [
        {
          code: SIGNAL.decisionMakerChanged,
          strength: 0.5,
          strong: true,
          text: "decision maker changed today",
        },
      ],
    },
    {
      name: "another contact changed: milder, not strong",
      signs: [sign({ kind: "contact_change", daysAgo: 3, changedRole: "finance" })],
      expected: [
        {
          code: SIGNAL.contactChanged,
          strength: 0.195,
          strong: false,
          text: "finance contact changed 3 days ago",
        },
      ],
    },
    {
      name: "a competitor poaching, with its name and moves",
      signs: [
        sign({
          kind: "competitor_activity",
          daysAgo: 20,
          competitorName: "Acme",
          competitorMoves: ["price", "poaching"],
        }),
      ],
      expected: [
        {
          code: SIGNAL.competitorActivity,
          strength: 0.471,
          strong: true,
          text: "competitor activity 20 days ago: Acme (price, poaching the customer)",
        },
      ],
    },
    {
      name: "strategy change with long details cut",
      signs: [
        sign({
          kind: "strategy_change",
          daysAgo: 30,
          details: `They are   building their own plant ${"and more ".repeat(20)}`,
        }),
      ],
      expected: [
        {
          code: SIGNAL.strategyChange,
          strength: 0.49,
          strong: true,
          text: "customer strategy change 30 days ago: They are building their own plant and more and more and more and more and more\u2026",
        },
      ],
    },
    {
      name: "our rep leaving",
      signs: [sign({ kind: "rep_leaving", daysAgo: 5 })],
      expected: [
        {
          code: SIGNAL.repLeaving,
          strength: 0.425,
          strong: true,
          text: "our rep is leaving (noted 5 days ago)",
        },
      ],
    },
    {
      name: "procurement reform and a payment problem are not strong alone",
      signs: [
        sign({ kind: "procurement_reform", daysAgo: 10, details: "Tender for all suppliers" }),
        sign({ kind: "payment_problem", daysAgo: 10, details: "Asked for 90-day terms" }),
      ],
      expected: [
        {
          code: SIGNAL.procurementReform,
          strength: 0.433,
          strong: false,
          text: "procurement reform 10 days ago: Tender for all suppliers",
        },
        {
          code: SIGNAL.paymentProblem,
          strength: 0.324,
          strong: false,
          text: "payment problem 10 days ago: Asked for 90-day terms",
        },
      ],
    },
    {
      name: "two escalations add up, capped at 1.25 times a fresh one",
      signs: [
        sign({ kind: "complaint_escalation", daysAgo: 1, details: "CEO wrote to our CEO" }),
        sign({ kind: "complaint_escalation", daysAgo: 2, details: "Threatened to cancel" }),
      ],
      expected: [
        {
          code: SIGNAL.complaintEscalation,
          strength: 0.688,
          strong: true,
          text: "complaint escalating 1 day ago: CEO wrote to our CEO (2 such signs in the last 365 days)",
        },
      ],
    },
    { name: "older than a year", signs: [sign({ kind: "strategy_change", daysAgo: 366 })], expected: [] },
  ])("$name", ({ signs, expected }) => {
    expect(pick(recordSignals(input({ signs }), AS_OF))).toEqual(expected);
  });

  it("a sign matters less as it ages", () => {
    const strengthAt = (age: number) =>
      recordSignals(
        input({ signs: [sign({ kind: "contact_change", daysAgo: age, changedRole: "purchasing" })] }),
        AS_OF,
      )[0];
    const ages = [0, 12, 60, 61, 120, 200, 365];
    const strengths = ages.map((age) => strengthAt(age)?.strength ?? 0);
    for (let i = 1; i < strengths.length; i++) expect(strengths[i]).toBeLessThan(strengths[i - 1] ?? 0);
    expect(strengthAt(60)?.strong).toBe(true);
    expect(strengthAt(61)?.strong).toBe(false);
    expect(strengthAt(200)?.text).toBe("purchasing contact changed 7 months ago");
    expect(strengthAt(200)?.strength).toBe(0.107);
  });

  // 23:30 UTC on the 24th is already the 25th in Tokyo.
  it.each([
    { timeZone: "UTC", text: "purchasing contact changed today" },
    { timeZone: "Asia/Tokyo", text: "purchasing contact changed 1 day ago" },
  ])("sign dates are calendar days in the team's time zone ($timeZone)", ({ timeZone, text }) => {
    const signals = recordSignals(
      input({ timeZone, signs: [sign({ kind: "contact_change", daysAgo: 0, changedRole: "purchasing" })] }),
      new Date("2026-11-24T23:30:00Z"),
    );
    expect(signals[0]?.text).toBe(text);
  });

  it("a sign dated after today counts as today", () => {
    const signals = recordSignals(input({ signs: [sign({ kind: "rep_leaving", daysAgo: -1 })] }), AS_OF);
    expect(signals[0]?.text).toBe("our rep is leaving (noted today)");
  });
});

describe("receivables", () => {
  const eur = (dueDaysAgo: number, amount: bigint, paidOn: string | null = null): Receivable => ({
    dueOn: dateAgo(dueDaysAgo),
    amount,
    paidOn,
    currency: "EUR",
  });

  it.each<{ name: string; receivables: Receivable[]; expected: ReturnType<typeof pick> }>([
    { name: "none", receivables: [], expected: [] },
    {
      name: "three overdue invoices",
      receivables: [eur(45, 500_000n), eur(30, 400_000n), eur(20, 340_000n), eur(-10, 999_999n)],
      expected: [
        {
          code: SIGNAL.receivablesOverdue,
          strength: 0.317,
          strong: false,
          text: "\u20ac12,400.00 overdue by 45 days on 3 invoices",
        },
      ],
    },
    {
      name: "within the grace period",
      receivables: [eur(14, 100_000n), eur(3, 100_000n)],
      expected: [],
    },
    {
      name: "paid, due today, credit notes: not overdue; a payment dated after today is not made yet",
      receivables: [
        eur(60, 100_000n, dateAgo(5)),
        eur(0, 100_000n),
        eur(90, -50_000n),
        eur(61, 250_000n, dateAgo(-3)),
      ],
      expected: [
        {
          code: SIGNAL.receivablesOverdue,
          strength: 0.377,
          strong: true,
          text: "\u20ac2,500.00 overdue by 61 days on 1 invoice",
        },
      ],
    },
    {
      name: "several currencies, the longest delay first",
      receivables: [
        eur(20, 100_000n),
        { dueOn: dateAgo(150), amount: 50_000n, paidOn: null, currency: "usd" },
      ],
      expected: [
        {
          code: SIGNAL.receivablesOverdue,
          strength: 0.6,
          strong: true,
          text: "$500.00 and \u20ac1,000.00 overdue by 150 days on 2 invoices",
        },
      ],
    },
    {
      name: "huge amounts",
      receivables: [eur(30, 10n ** 25n), eur(30, 10n ** 25n)],
      expected: [
        {
          code: SIGNAL.receivablesOverdue,
          strength: 0.26,
          strong: false,
          text: "\u20ac200,000,000,000,000,000,000,000.00 overdue by 30 days on 2 invoices",
        },
      ],
    },
  ])("$name", ({ receivables, expected }) => {
    expect(pick(receivableSignals(receivables, AS_OF, "UTC"))).toEqual(expected);
  });

  it("sums overdue receivables per currency", () => {
    expect(
      overdueReceivables([eur(45, 500_000n), eur(30, 400_000n), eur(5, 1n, dateAgo(1))], AS_OF, "UTC"),
    ).toEqual([{ currency: "EUR", amount: 900_000n, invoices: 2, maxDaysOverdue: 45 }]);
  });

  // 23:30 UTC on the 24th is the 25th in Tokyo: an invoice due on the 24th is one day overdue there.
  it.each([
    { timeZone: "UTC", expected: [] },
    { timeZone: "Asia/Tokyo", expected: [{ currency: "EUR", amount: 1n, invoices: 1, maxDaysOverdue: 1 }] },
  ])("due dates are calendar days in the time zone ($timeZone)", ({ timeZone, expected }) => {
    expect(overdueReceivables([eur(0, 1n)], new Date("2026-11-24T23:30:00Z"), timeZone)).toEqual(expected);
  });
});
