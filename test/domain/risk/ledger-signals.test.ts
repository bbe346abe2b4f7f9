// Ledger signals: sustained declines against the account's own past, divided heart, margin, overdue orders.
import { describe, expect, it } from "vitest";
import { SIGNAL } from "../../../src/domain/risk/codes.ts";
import { ledgerSignals } from "../../../src/domain/risk/ledger-signals.ts";
import type { OrderFact } from "../../../src/domain/trends.ts";

// 13:00 UTC: still the 24th in Tokyo (22:00) and Los Angeles (05:00), and after the orders of the day.
const AS_OF = new Date("2026-11-24T13:00:00Z");

/** Noon UTC, `age` calendar days before AS_OF: the same calendar day in UTC, Tokyo and Los Angeles. */
function dayAt(age: number): Date {
  return new Date(Date.UTC(2026, 10, 24 - age, 12));
}

type Shape = { amount?: bigint; quantity?: number; cost?: bigint | null; currency?: string };

function order(at: Date, shape: Shape = {}): OrderFact {
  return {
    orderedAt: at,
    amount: shape.amount ?? 1_000n,
    quantity: shape.quantity ?? 1,
    cost: shape.cost ?? null,
    currency: shape.currency ?? "USD",
  };
}

/** Orders every `gap` days from age `youngest` (the last order) back to age `oldest` at most, shaped by their age. */
function every(gap: number, oldest: number, youngest: number, shape: (age: number) => Shape = () => ({})) {
  const orders: OrderFact[] = [];
  for (let age = youngest; age <= oldest; age += gap) orders.push(order(dayAt(age), shape(age)));
  return orders;
}

const ageOf = (o: OrderFact) => Math.round((AS_OF.getTime() - o.orderedAt.getTime()) / 86_400_000);

const codes = (orders: OrderFact[], timeZone = "UTC") =>
  ledgerSignals(orders, AS_OF, timeZone).map((s) => s.code);
const find = (orders: OrderFact[], code: string, timeZone = "UTC") =>
  ledgerSignals(orders, AS_OF, timeZone).find((s) => s.code === code);

// A weekly customer for 800 days whose orders thin out: every 9 days in the previous 90 days, every
// 15 days in the last 90. Current: 6 orders ($60), previous: 10 ($100), a year ago: 13 ($130).
const slide = [...every(7, 800, 180), ...every(9, 171, 90), ...every(15, 75, 0)];

describe("ledgerSignals: no alarm", () => {
  it.each<{ name: string; orders: OrderFact[] }>([
    { name: "empty history", orders: [] },
    { name: "one order yesterday", orders: [order(dayAt(1))] },
    { name: "two orders on the same day", orders: [order(dayAt(3)), order(dayAt(3))] },
    { name: "a steady weekly account", orders: every(7, 800, 0) },
    {
      name: "one quiet month in a steady account",
      orders: every(7, 800, 0).filter((o) => ageOf(o) < 30 || ageOf(o) > 59),
    },
    {
      name: "one quiet month straddling two blocks and two calendar months",
      orders: every(7, 800, 0).filter((o) => ageOf(o) < 25 || ageOf(o) > 54),
    },
    {
      name: "a seasonal dip that also happened a year ago",
      orders: every(7, 800, 0, (age) => {
        const month = dayAt(age).getUTCMonth();
        return { amount: month >= 8 && month <= 10 ? 500n : 1_000n };
      }),
    },
    {
      name: "orders after asOf are ignored",
      orders: [...every(7, 800, 0), ...every(1, -1, -60, () => ({ amount: 1n }))],
    },
    {
      name: "a young account (200 days) down 30%: no measured variation, not large enough",
      orders: every(5, 200, 0, (age) => ({ amount: age < 90 ? 700n : 1_000n })),
    },
    {
      name: "a young account (200 days) from 3 orders a quarter to 1: within counting noise",
      orders: [order(dayAt(195)), order(dayAt(160)), order(dayAt(130)), order(dayAt(100)), order(dayAt(40))],
    },
    {
      name: "a sparse account (every 45 days) one order short",
      orders: [...every(45, 800, 120), order(dayAt(40))],
    },
  ])("$name", ({ orders }) => {
    expect(codes(orders)).toEqual([]);
  });
});

describe("ledgerSignals: volume declines", () => {
  it("a sustained slide: value and frequency, with the numbers", () => {
    const signals = ledgerSignals(slide, AS_OF, "UTC");
    expect(signals.map((s) => s.code)).toEqual([SIGNAL.orderValueDecline, SIGNAL.orderFrequencyDecline]);
    expect(signals[0]?.text).toBe(
      "order value \u221240% vs previous 90 days, \u221254% vs a year ago ($60.00 in the last 90 days vs $100.00); falling 2 quarters in a row",
    );
    expect(signals[1]?.text).toBe(
      "orders \u221240% vs previous 90 days, \u221254% vs a year ago (6 in the last 90 days vs 10); falling 2 quarters in a row",
    );
    for (const s of signals) {
      expect(s.source).toBe("ledger");
      expect(s.strong).toBe(true);
      expect(s.strength).toBeGreaterThan(0.6);
      expect(s.strength).toBeLessThanOrEqual(1);
    }
  });

  it("grows stronger with a larger drop", () => {
    const mild = every(7, 800, 0, (age) => ({ amount: age < 90 ? 700n : 1_000n }));
    const deep = every(7, 800, 0, (age) => ({ amount: age < 90 ? 400n : 1_000n }));
    const mildValue = find(mild, SIGNAL.orderValueDecline);
    const deepValue = find(deep, SIGNAL.orderValueDecline);
    expect(mildValue?.strong).toBe(false);
    expect(deepValue?.strong).toBe(true);
    expect(deepValue?.strength).toBeGreaterThan(mildValue?.strength ?? 1);
  });

  it("a dip that did not happen a year ago is a decline", () => {
    const orders = every(7, 800, 0, (age) => ({ amount: age < 90 ? 500n : 1_000n }));
    expect(find(orders, SIGNAL.orderValueDecline)?.text).toBe(
      "order value \u221250% vs previous 90 days, \u221246% vs a year ago ($65.00 in the last 90 days vs $130.00)",
    );
  });

  it("divided heart: less per order at the same rhythm, its own code and not a frequency decline", () => {
    const orders = every(7, 800, 0, (age) => {
      const quantity = age < 90 ? 6 : age < 180 ? 8 : 10;
      return { quantity, amount: BigInt(quantity * 100) };
    });
    const signals = ledgerSignals(orders, AS_OF, "UTC");
    expect(signals.map((s) => s.code)).toEqual([SIGNAL.orderValueDecline, SIGNAL.dividedHeart]);
    const heart = signals[1];
    expect(heart?.text).toBe(
      "quantity per order \u221225% vs previous 90 days, \u221240% vs a year ago while orders hold (13 vs 13): part of their volume may go elsewhere",
    );
    expect(heart?.strong).toBe(false);
  });

  it("divided heart by value per order when quantities are not kept", () => {
    const orders = every(7, 800, 0, (age) => ({ amount: age < 90 ? 500n : 1_000n }));
    expect(find(orders, SIGNAL.dividedHeart)?.text).toMatch(/^value per order \u221250% vs previous 90 days/);
    expect(codes(orders)).not.toContain(SIGNAL.orderFrequencyDecline);
  });

  it("a young account with a large drop: no year-ago comparison in the text", () => {
    const orders = every(5, 200, 0, (age) => ({ amount: age < 90 ? 400n : 1_000n }));
    expect(find(orders, SIGNAL.orderValueDecline)?.text).toBe(
      "order value \u221260% vs previous 90 days ($72.00 in the last 90 days vs $180.00)",
    );
  });

  it("handles huge amounts exactly", () => {
    const big = 10n ** 25n;
    const orders = slide.map((o) => ({ ...o, amount: o.amount * big }));
    expect(find(orders, SIGNAL.orderValueDecline)?.text).toBe(
      "order value \u221240% vs previous 90 days, \u221254% vs a year ago " +
        "($600,000,000,000,000,000,000,000,000.00 in the last 90 days vs $1,000,000,000,000,000,000,000,000,000.00); falling 2 quarters in a row",
    );
  });

  it("uses the dominant currency for money and leaves the others out", () => {
    const orders = [...slide, ...every(30, 700, 0, () => ({ currency: "EUR", amount: 99_999n }))];
    expect(find(orders, SIGNAL.orderValueDecline)?.text).toContain("($60.00 in the last 90 days vs $100.00)");
  });

  // Day 89 before AS_OF is 2026-08-27. 23:30 UTC on 2026-08-26 is 2026-08-27 in Tokyo: the last day of
  // the current window there, the first day of the previous window in UTC.
  it.each([
    {
      timeZone: "UTC",
      expected: [SIGNAL.orderValueDecline, SIGNAL.orderFrequencyDecline],
      frequencyText: /\(6 in the last 90 days vs 11\)/,
    },
    {
      timeZone: "Asia/Tokyo",
      expected: [SIGNAL.orderFrequencyDecline],
      frequencyText: /\(7 in the last 90 days vs 10\)/,
    },
  ])(
    "an order at the window edge counts where its local day falls ($timeZone)",
    ({ timeZone, expected, frequencyText }) => {
      const orders = [...slide, order(new Date("2026-08-26T23:30:00Z"), { amount: 4_000n })];
      const signals = ledgerSignals(orders, AS_OF, timeZone);
      expect(signals.map((s) => s.code)).toEqual(expected);
      expect(signals.find((s) => s.code === SIGNAL.orderFrequencyDecline)?.text).toMatch(frequencyText);
    },
  );
});

describe("ledgerSignals: profit", () => {
  it("margin squeeze beyond its usual variation", () => {
    const orders = every(7, 800, 0, (age) => ({ amount: 1_000n, cost: age < 90 ? 900n : 800n }));
    const margin = find(orders, SIGNAL.marginDecline);
    expect(margin?.text).toBe(
      "margin 10.0% in the last 90 days vs 20.0% before (\u221210.0 pts), 20.0% a year ago; profit \u221250% ($13.00)",
    );
    expect(margin?.strong).toBe(true);
    expect(margin?.strength).toBe(0.5);
  });

  it.each([
    { name: "a seasonal margin dip that happened last year too", seasonal: true },
    { name: "too little cost known to read a margin", seasonal: false },
  ])("no margin signal: $name", ({ seasonal }) => {
    const orders = every(7, 800, 0, (age) => {
      const month = dayAt(age).getUTCMonth();
      if (seasonal) return { cost: month >= 8 && month <= 10 ? 900n : 800n };
      return {
        cost: age < 90 ? (age % 2 === 0 ? 950n : null) : 800n,
        amount: age < 90 && age % 2 === 1 ? 5_000n : 1_000n,
      };
    });
    expect(codes(orders)).not.toContain(SIGNAL.marginDecline);
  });

  it("never-positive profit", () => {
    const orders = every(7, 800, 0, () => ({ amount: 1_000n, cost: 1_050n }));
    const signal = find(orders, SIGNAL.unprofitable);
    expect(signal?.text).toBe(
      "no profit in the last 90 days (-$6.50 on $130.00 of orders with known cost), nor in any of the 7 earlier quarters with known cost",
    );
    expect(codes(orders)).not.toContain(SIGNAL.marginDecline);
  });

  it("a loss now after profitable quarters is not 'never positive'", () => {
    const orders = every(7, 800, 0, (age) => ({ amount: 1_000n, cost: age < 90 ? 1_100n : 800n }));
    expect(codes(orders)).toEqual([SIGNAL.marginDecline]);
    expect(find(orders, SIGNAL.marginDecline)?.text).toMatch(
      /^margin \u221210\.0% in the last 90 days vs 20\.0% before/,
    );
  });
});

describe("ledgerSignals: order rhythm", () => {
  it("next order overdue against the usual gap", () => {
    // Every 21 days, the last one 56 days ago: 5 weeks overdue.
    const orders = every(21, 800, 56);
    const overdue = find(orders, SIGNAL.orderOverdue);
    expect(overdue?.text).toBe("next order 5 weeks overdue (usual gap 3 weeks, last order 2026-09-29)");
    expect(overdue?.strong).toBe(false);
  });

  it("a weekly account silent for ten weeks: strong", () => {
    const overdue = find(every(7, 800, 70), SIGNAL.orderOverdue);
    expect(overdue?.strong).toBe(true);
    expect(overdue?.strength).toBe(0.9);
  });

  it.each([
    { name: "due but not overdue by a week", orders: every(14, 800, 20) },
    {
      name: "an irregular buyer inside its own spread",
      orders: [10, 80, 100, 190, 210, 330, 350].map((a) => order(dayAt(a))),
    },
  ])("no overdue signal: $name", ({ orders }) => {
    expect(codes(orders)).not.toContain(SIGNAL.orderOverdue);
  });

  it("the stop is overdue, not a decline, while it lasts less than a month", () => {
    expect(codes(every(7, 800, 28))).toEqual([SIGNAL.orderOverdue]);
  });

  it("a last 90 days without any order is the stop, not a decline", () => {
    expect(codes(every(7, 800, 100))).toEqual([SIGNAL.orderOverdue]);
  });

  it("grows with how overdue and how regular the rhythm was", () => {
    const two = find(every(7, 35, 28), SIGNAL.orderOverdue)?.strength ?? 0;
    const many = find(every(7, 800, 28), SIGNAL.orderOverdue)?.strength ?? 0;
    const longer = find(every(7, 800, 42), SIGNAL.orderOverdue)?.strength ?? 0;
    expect(two).toBeGreaterThan(0);
    expect(many).toBeGreaterThan(two);
    expect(longer).toBeGreaterThan(many);
  });

  // The last order on 2026-11-10 (noon UTC, early morning in Los Angeles); weekly before it. At 02:00 UTC
  // on the 24th it is already 14 days later in UTC but still the 23rd in Los Angeles: 13 days.
  it.each([
    { timeZone: "UTC", overdue: true },
    { timeZone: "America/Los_Angeles", overdue: false },
  ])("overdue is counted in local days ($timeZone)", ({ timeZone, overdue }) => {
    const orders = every(7, 800, 14);
    const signals = ledgerSignals(orders, new Date("2026-11-24T02:00:00Z"), timeZone);
    expect(signals.some((s) => s.code === SIGNAL.orderOverdue)).toBe(overdue);
  });

  it.each([
    { age: 100, expected: null },
    { age: 200, expected: "one order only, 7 months ago (2026-05-08): no repeat purchase yet" },
  ])("a single order $age days ago", ({ age, expected }) => {
    expect(find([order(dayAt(age))], SIGNAL.noRepeatOrder)?.text ?? null).toBe(expected);
  });
});
