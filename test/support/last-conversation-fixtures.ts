// Task 1's test data: the facts of a brief as plain data, and an account with a history worth a brief
// in the database (orders over two years and earlier, receivables with one overdue, feedback with
// loyalty reads, an open complaint, a risk assessment). Dates are relative to 2026-11-23.
import type { CardComplaint, CardRisk } from "../../src/domain/account-card.ts";
import type { ExitBriefFacts, ReceivableTotals } from "../../src/domain/last-conversation.ts";
import type { WindowStats } from "../../src/domain/trends.ts";
import type { PrismaClient } from "../../src/generated/prisma/client.ts";
import type { ServiceDeps } from "../../src/services/deps.ts";
import { type ExitStartDraft, startExit } from "../../src/services/exit/start-exit.ts";

export const HISTORY_NOW = new Date("2026-11-23T12:00:00Z");

/** Starts exit handling for the account (price too high, Globex won, ending 2026-12-31); returns the case id. */
export async function startLeavingCase(
  deps: ServiceDeps,
  accountId: string,
  draft: Partial<ExitStartDraft> = {},
): Promise<string> {
  const started = await startExit(deps, {
    accountId,
    draft: {
      reason: "price_too_high",
      surfaceReason: "Budget cuts",
      deepReason: null,
      competitorWon: "Globex",
      expectedEndOn: "2026-12-31",
      ...draft,
    },
    warningId: null,
    actorSlackId: "U0STARTER",
    submissionKey: `start-${accountId}`,
  });
  if (!started.ok) throw new Error("the exit case did not start");
  return started.caseId;
}

export async function seedAccountHistory(
  prisma: PrismaClient,
  accountId: string,
  prefix: string,
): Promise<void> {
  const order = (id: string, at: string, amount: bigint, cost: bigint | null) => ({
    accountId,
    externalId: `${prefix}-${id}`,
    orderedAt: new Date(`${at}T10:00:00Z`),
    quantity: 10,
    amount,
    cost,
    currency: "USD",
  });
  await prisma.order.createMany({
    data: [
      // The first order ever: the customer since 2019.
      order("O0", "2019-04-02", 10_000n, 8_000n),
      // The 12 months before the last 12: four orders of $500.00, $200.00 profit each.
      order("O1", "2025-01-10", 50_000n, 30_000n),
      order("O2", "2025-04-10", 50_000n, 30_000n),
      order("O3", "2025-07-10", 50_000n, 30_000n),
      order("O4", "2025-10-10", 50_000n, 30_000n),
      // The last 12 months: two orders of $400.00, $100.00 profit each.
      order("O5", "2026-03-10", 40_000n, 30_000n),
      order("O6", "2026-08-10", 40_000n, 30_000n),
    ],
  });
  await prisma.receivable.createMany({
    data: [
      {
        accountId,
        externalId: `${prefix}-INV1`,
        issuedOn: new Date("2026-09-14"),
        dueOn: new Date("2026-10-14"),
        amount: 100_000n,
        currency: "USD",
      },
      {
        accountId,
        externalId: `${prefix}-INV2`,
        issuedOn: new Date("2026-11-15"),
        dueOn: new Date("2026-12-15"),
        amount: 25_000n,
        currency: "USD",
      },
      {
        accountId,
        externalId: `${prefix}-INV3`,
        issuedOn: new Date("2026-08-01"),
        dueOn: new Date("2026-09-01"),
        amount: 70_000n,
        currency: "USD",
        paidOn: new Date("2026-09-05"),
      },
    ],
  });
  await prisma.interaction.createMany({
    data: [
      {
        accountId,
        kind: "visit",
        occurredOn: new Date("2026-06-01"),
        summary: "Annual review went well",
        praised: "Reliable delivery",
        loyalty: "loyal",
        createdBy: "U0OWNER",
      },
      {
        accountId,
        kind: "call",
        occurredOn: new Date("2026-10-20"),
        summary: "They asked for a 10% discount",
        praised: "Friendly support",
        complained: "Prices went up by $3,000 this year",
        loyalty: "disloyal",
        createdBy: "U0OWNER",
      },
    ],
  });
  await prisma.complaint.create({
    data: {
      accountId,
      category: "delivery",
      severity: "high",
      description: "Pallets arrived broken twice",
      ownerSlackId: "U0OWNER",
      createdBy: "U0OWNER",
      createdAt: new Date("2026-11-10T09:00:00Z"),
    },
  });
  const scan = await prisma.riskScan.create({ data: { asOf: new Date("2026-11-20") } });
  await prisma.riskAssessment.create({
    data: {
      scanId: scan.id,
      accountId,
      asOf: new Date("2026-11-20"),
      risk: 81,
      band: "critical",
      verdict: "fight_hard",
      reasons: [
        {
          code: "order_value_decline",
          text: "order value −60% ($400.00 in the last 90 days vs $1,000.00)",
          strength: 0.6,
          strong: true,
        },
        { code: "loyalty_disloyal", text: "latest loyalty read: disloyal", strength: 0.4, strong: false },
      ],
    },
  });
}

function stats(orderCount: number, amount: bigint, profit: bigint | null): WindowStats {
  return {
    orderCount,
    quantity: orderCount * 10,
    amount,
    costKnownAmount: profit === null ? 0n : amount,
    cost: profit === null ? 0n : amount - profit,
    profit,
    marginPct: profit === null || amount === 0n ? null : (Number(profit) / Number(amount)) * 100,
    costCoverage: profit === null ? 0 : 1,
  };
}

export const briefComplaint: CardComplaint = {
  category: "delivery",
  severity: "high",
  status: "open",
  description: "Pallets arrived broken, credit of $2,500.00 promised",
  ownerSlackId: "U0OWNER",
  reopened: false,
  age: { ageDays: 10, targetDays: 3, overdueDays: 7 },
};

export const briefRisk: CardRisk = {
  asOf: "2026-11-20",
  risk: 84,
  band: "critical",
  verdict: "fight_hard",
  reasons: [
    { code: "order_value_decline", text: "order value −40% ($6,000.00 in the last 90 days vs $10,000.00)" },
    { code: "receivables_overdue", text: "EUR 1,200.50 overdue for 40 days" },
  ],
  pAlive: 0.4,
  expectedOrders13w: 1.2,
  previous: null,
};

const overdue: ReceivableTotals = {
  currency: "USD",
  outstanding: 1_234_567n,
  invoices: 3,
  overdue: 734_500n,
  overdueInvoices: 2,
  maxDaysOverdue: 40,
};

/** Facts of a brief (pure data), for the domain and view tests. */
export function briefFacts(overrides: Partial<ExitBriefFacts> = {}): ExitBriefFacts {
  return {
    today: "2026-11-23",
    account: { name: "ACME Corporation", segment: "Distributor", region: "North" },
    customerSince: "2019-04-02",
    lastOrderDay: "2026-09-01",
    typicalGapDays: 30,
    year: {
      currency: "USD",
      fromDay: "2025-11-24",
      toDay: "2026-11-23",
      current: stats(10, 12_000_000n, 2_000_000n),
      previous: stats(18, 20_000_000n, 5_000_000n),
    },
    months: [
      { month: "2026-10", amount: 1_000_000n, orderCount: 1 },
      { month: "2026-11", amount: 0n, orderCount: 0 },
    ],
    contacts: [
      { name: "Paula Purchase", role: "purchasing", email: "paula@acme.test", phone: "+1 555 0100" },
    ],
    loyalty: { reads: ["disloyal", "average"], direction: "worsening" },
    feedback: [{ occurredOn: "2026-10-01", praised: "fast delivery", complained: "price went up by $3,000" }],
    interactions: [
      {
        occurredOn: "2026-10-01",
        kind: "visit",
        ourParticipants: ["U0OWNER"],
        contactNames: ["Paula Purchase"],
        summary: "Quarterly review",
      },
    ],
    openComplaints: [briefComplaint],
    openComplaintCount: 1,
    receivables: [overdue],
    risk: briefRisk,
    reason: {
      reason: "price_too_high",
      surfaceReason: "Budget cuts",
      deepReason: null,
      competitorWon: "Globex",
      expectedEndOn: "2026-12-31",
    },
    ...overrides,
  };
}

/** A usable AI draft of the talking points. */
export const aiDraft = {
  opening: "Thank them for seven good years.",
  questions: ["What finally decided it?", "What one thing should we change?"],
  watchOuts: ["Settle the overdue invoice first."],
  leaveDoorOpen: "Tell them the door stays open.",
};
