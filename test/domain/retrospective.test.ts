// The retrospective's rules: the orders and profit timeline, how long complaints took, the summary's
// checks, the lessons search words and reasons, and money taken out of what the AI sees.
import { describe, expect, it } from "vitest";
import {
  checkRetroSummary,
  complaintDuration,
  lessonSearchWords,
  type RetroSummaryDraft,
  reasonsMatching,
  redactMoney,
  retroTimeline,
} from "../../src/domain/retrospective.ts";
import type { OrderFact } from "../../src/domain/trends.ts";

const NOW = new Date("2026-11-23T12:00:00Z");
const DAY = 86_400_000;

function order(day: string, amount: bigint, cost: bigint | null, currency = "USD"): OrderFact {
  return { orderedAt: new Date(`${day}T10:00:00Z`), quantity: 1, amount, cost, currency };
}

describe("retroTimeline", () => {
  it("is null without orders", () => {
    expect(retroTimeline([], NOW, "UTC")).toBeNull();
  });

  it("shows 24 months with value and profit per month and the last 6 months against the 6 before", () => {
    const orders: OrderFact[] = [];
    // Two years of one order a month at 1,000 with cost 700; the last six months at 500 with cost 450.
    for (let m = 0; m < 24; m++) {
      const date = new Date(Date.UTC(2024, 11 + m, 15));
      const late = m >= 18;
      orders.push(
        order(date.toISOString().slice(0, 10), late ? 50_000n : 100_000n, late ? 45_000n : 70_000n),
      );
    }
    orders.push(order("2026-11-02", 1_000n, 1_000n, "EUR"));
    const timeline = retroTimeline(orders, NOW, "UTC");
    expect(timeline?.currency).toBe("USD");
    expect(timeline?.months).toHaveLength(24);
    expect(timeline?.months[0]).toEqual({
      month: "2024-12",
      orderCount: 1,
      amount: 100_000n,
      profit: 30_000n,
    });
    expect(timeline?.months.at(-1)).toEqual({
      month: "2026-11",
      orderCount: 1,
      amount: 50_000n,
      profit: 5_000n,
    });
    expect(timeline?.trend).toEqual({
      months: 6,
      recentAmount: 300_000n,
      earlierAmount: 600_000n,
      recentProfit: 30_000n,
      earlierProfit: 180_000n,
    });
    expect(timeline?.otherCurrencyOrders).toBe(1);
  });

  it("shows 12 months when the older year is empty, profit unknown for a month with orders but no cost", () => {
    const timeline = retroTimeline(
      [order("2026-10-05", 10_000n, null), order("2026-09-05", 10_000n, 4_000n)],
      NOW,
      "UTC",
    );
    expect(timeline?.months).toHaveLength(12);
    expect(timeline?.months.at(-2)).toEqual({
      month: "2026-10",
      orderCount: 1,
      amount: 10_000n,
      profit: null,
    });
    expect(timeline?.months.at(-3)?.profit).toBe(6_000n);
    expect(timeline?.months.at(-1)).toEqual({ month: "2026-11", orderCount: 0, amount: 0n, profit: 0n });
    // A period with a month of unknown profit has no profit total to compare.
    expect(timeline?.trend.recentProfit).toBeNull();
  });

  it("puts an order in the month of the configured time zone", () => {
    const timeline = retroTimeline(
      [{ orderedAt: new Date("2026-10-31T20:00:00Z"), quantity: 1, amount: 5n, cost: null, currency: "USD" }],
      NOW,
      "Asia/Shanghai",
    );
    expect(timeline?.months.at(-1)).toMatchObject({ month: "2026-11", orderCount: 1 });
  });
});

describe("complaintDuration", () => {
  const raised = new Date(NOW.getTime() - 30 * DAY);
  const at = (days: number) => new Date(raised.getTime() + days * DAY);
  const targets = { critical: 1, high: 3, medium: 7, low: 14 };

  it.each([
    {
      name: "confirmed by the customer",
      status: "confirmed" as const,
      steps: [
        { toStatus: "resolved" as const, at: at(4) },
        { toStatus: "confirmed" as const, at: at(9) },
      ],
      expected: { kind: "confirmed", days: 9 },
    },
    {
      name: "resolved, never confirmed",
      status: "resolved" as const,
      steps: [{ toStatus: "resolved" as const, at: at(5) }],
      expected: { kind: "resolved", days: 5 },
    },
    {
      name: "open past its target",
      status: "investigating" as const,
      steps: [{ toStatus: "investigating" as const, at: at(1) }],
      expected: { kind: "open", days: 30, targetDays: 3, overdueDays: 27 },
    },
    {
      name: "reopened: counted from the reopening",
      status: "reopened" as const,
      steps: [
        { toStatus: "resolved" as const, at: at(2) },
        { toStatus: "reopened" as const, at: at(28) },
      ],
      expected: { kind: "open", days: 2, targetDays: 3, overdueDays: 0 },
    },
  ])("$name", ({ status, steps, expected }) => {
    expect(complaintDuration({ severity: "high", status, createdAt: raised, steps }, NOW, targets)).toEqual(
      expected,
    );
  });
});

describe("checkRetroSummary", () => {
  const today = "2026-11-23";
  const draft = (overrides: Partial<RetroSummaryDraft> = {}): RetroSummaryDraft => ({
    deepReason: "  Their buyer was never visited after the contact changed ",
    reason: "relationship_change",
    lessons: ["Visit the new buyer within two weeks", null, "  "],
    actions: [
      {
        description: "Add a contact-change visit to the playbook",
        ownerSlackId: "U0001",
        dueOn: "2026-12-15",
      },
      { description: null, ownerSlackId: null, dueOn: null },
    ],
    ...overrides,
  });

  it("keeps the filled lessons and complete actions, trimmed, and skips empty rows", () => {
    expect(checkRetroSummary(draft(), today)).toEqual({
      ok: true,
      value: {
        deepReason: "Their buyer was never visited after the contact changed",
        reason: "relationship_change",
        lessons: ["Visit the new buyer within two weeks"],
        actions: [
          {
            description: "Add a contact-change visit to the playbook",
            ownerSlackId: "U0001",
            dueOn: "2026-12-15",
          },
        ],
      },
    });
  });

  it.each([
    {
      name: "no lesson",
      overrides: { lessons: [null, " "] },
      errors: { "lesson.0": expect.stringMatching(/at least one lesson/) },
    },
    {
      name: "an action without an owner or a date",
      overrides: { actions: [{ description: "Fix it", ownerSlackId: null, dueOn: null }] },
      errors: {
        "action.0.owner": "An action needs an owner.",
        "action.0.dueOn": "An action needs a due date.",
      },
    },
    {
      name: "an owner and a date without a description",
      overrides: { actions: [{ description: " ", ownerSlackId: "U0001", dueOn: today }] },
      errors: { "action.0.description": expect.stringMatching(/Say what will change/) },
    },
    {
      name: "a due date in the past",
      overrides: { actions: [{ description: "Fix it", ownerSlackId: "U0001", dueOn: "2026-11-22" }] },
      errors: { "action.0.dueOn": "The due date cannot be in the past." },
    },
    {
      name: "a due date more than a year ahead",
      overrides: { actions: [{ description: "Fix it", ownerSlackId: "U0001", dueOn: "2027-12-01" }] },
      errors: { "action.0.dueOn": "Pick a date within the next year." },
    },
    {
      name: "a date that is not one",
      overrides: { actions: [{ description: "Fix it", ownerSlackId: "U0001", dueOn: "2026-02-30" }] },
      errors: { "action.0.dueOn": "Pick a valid date." },
    },
    {
      name: "a lesson too long",
      overrides: { lessons: ["x".repeat(1001)] },
      errors: { "lesson.0": expect.stringMatching(/under 1000/) },
    },
  ])("refuses $name", ({ overrides, errors }) => {
    expect(checkRetroSummary(draft(overrides as Partial<RetroSummaryDraft>), today)).toEqual({
      ok: false,
      errors,
    });
  });

  it("accepts an action due today, and no actions at all", () => {
    expect(
      checkRetroSummary(
        draft({ actions: [{ description: "Now", ownerSlackId: "U0001", dueOn: today }] }),
        today,
      ).ok,
    ).toBe(true);
    expect(checkRetroSummary(draft({ actions: [] }), today).ok).toBe(true);
  });
});

describe("lessons search", () => {
  it("splits the words, lower case, each once, at most eight", () => {
    expect(lessonSearchWords("  Price  LATE price ")).toEqual(["price", "late"]);
    expect(lessonSearchWords("")).toEqual([]);
    expect(lessonSearchWords("a b c d e f g h i j")).toHaveLength(8);
  });

  it.each([
    ["price", ["price_too_high"]],
    ["PRICE_TOO_HIGH", ["price_too_high"]],
    ["quality", ["poor_quality"]],
    ["poor", ["poor_service", "poor_quality"]],
    ["bankrupt", ["bankrupt"]],
    ["relationship", ["relationship_change"]],
    ["zebra", []],
  ])("a word names reasons by code or label: %s", (word, reasons) => {
    expect(reasonsMatching(word)).toEqual(reasons);
  });
});

describe("redactMoney", () => {
  it.each([
    ["We lost $12,000 on them", "We lost [amount] on them"],
    ["about 12.5k EUR of returns", "about [amount] of returns"],
    ["RMB 30万 gone", "[amount] gone"],
    ["欠款 3000元", "欠款 [amount]"],
    ["£3m deal", "[amount] deal"],
    ["over 20 dollars", "over [amount]"],
    ["$5 more customers", "[amount] more customers"],
    ["on 2026-11-23 we met 3 people, ISO 9001", "on 2026-11-23 we met 3 people, ISO 9001"],
  ])("%s", (text, expected) => {
    expect(redactMoney(text)).toBe(expected);
  });
});
