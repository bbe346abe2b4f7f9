// Order trends: window stats, period comparison, order gaps, monthly values, currency choice.
import { describe, expect, it } from "vitest";
import {
  calendarDay,
  compareWindows,
  dominantCurrency,
  monthlyValues,
  type OrderFact,
  orderGaps,
  windowStats,
} from "../../src/domain/trends.ts";

function order(
  at: string,
  amount: bigint,
  extra: { cost?: bigint | null; quantity?: number; currency?: string } = {},
): OrderFact {
  return {
    orderedAt: new Date(at),
    amount,
    cost: extra.cost ?? null,
    quantity: extra.quantity ?? 1,
    currency: extra.currency ?? "USD",
  };
}

const NOW = new Date("2026-11-24T10:00:00Z");
const BIG = 10n ** 25n;

describe("calendarDay", () => {
  it.each([
    ["2026-11-24T10:00:00Z", "UTC", "2026-11-24"],
    ["2026-11-24T23:30:00Z", "Asia/Tokyo", "2026-11-25"],
    ["2026-11-24T03:00:00Z", "America/Los_Angeles", "2026-11-23"],
    ["2026-03-08T07:30:00Z", "America/New_York", "2026-03-08"],
    ["2026-11-24T12:00:00Z", "Pacific/Kiritimati", "2026-11-25"],
    ["2026-11-24T12:00:00Z", "Pacific/Pago_Pago", "2026-11-24"],
  ])("%s in %s is %s", (at, tz, expected) => {
    expect(calendarDay(new Date(at), tz)).toBe(expected);
  });

  it("rejects an unknown time zone", () => {
    expect(() => calendarDay(NOW, "Mars/Olympus")).toThrow(RangeError);
  });

  // The day of each quarter hour is remembered: check it against formatting each instant, minute by
  // minute around clock changes and midnights in zones with odd offsets, and at random instants.
  it.each([
    ["Europe/Berlin", "2026-03-29T00:00:00Z"],
    ["America/Santiago", "2026-04-05T02:00:00Z"],
    ["America/Sao_Paulo", "2018-11-04T02:00:00Z"],
    ["Australia/Lord_Howe", "2026-04-04T14:00:00Z"],
    ["Asia/Kathmandu", "2026-06-01T17:00:00Z"],
    ["Pacific/Chatham", "2026-04-04T13:00:00Z"],
    ["Africa/Monrovia", "1970-06-01T00:00:00Z"],
  ])("matches the day formatted directly in %s around %s", (timeZone, around) => {
    const format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    const start = Date.parse(around) - 36 * 3_600_000;
    for (let minute = 0; minute <= 72 * 60; minute += 1) {
      const instant = new Date(start + minute * 60_000 + (minute % 7) * 1_000);
      expect(calendarDay(instant, timeZone), instant.toISOString()).toBe(format.format(instant));
    }
    if (timeZone === "Africa/Monrovia") {
      // Local midnight at 00:44:30 UTC: within one quarter hour, seconds apart, two days.
      expect(calendarDay(new Date("1970-06-01T00:44:20Z"), timeZone)).toBe("1970-05-31");
      expect(calendarDay(new Date("1970-06-01T00:44:40Z"), timeZone)).toBe("1970-06-01");
    }
    let seed = 12345;
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const instant = new Date(Date.UTC(1965, 0, 1) + (seed / 2 ** 31) * 70 * 365.25 * 86_400_000);
      expect(calendarDay(instant, timeZone), instant.toISOString()).toBe(format.format(instant));
    }
  });
});

describe("windowStats", () => {
  const from = new Date("2026-11-01T00:00:00Z");
  const to = new Date("2026-12-01T00:00:00Z");

  it.each<{ name: string; orders: OrderFact[]; expected: Record<string, unknown> }>([
    {
      name: "empty history",
      orders: [],
      expected: {
        orderCount: 0,
        quantity: 0,
        amount: 0n,
        costKnownAmount: 0n,
        cost: 0n,
        profit: null,
        marginPct: null,
        costCoverage: null,
      },
    },
    {
      name: "one order without cost",
      orders: [order("2026-11-05T00:00:00Z", 10_000n, { quantity: 3 })],
      expected: {
        orderCount: 1,
        quantity: 3,
        amount: 10_000n,
        profit: null,
        marginPct: null,
        costCoverage: 0,
      },
    },
    {
      name: "one order with cost",
      orders: [order("2026-11-05T00:00:00Z", 10_000n, { cost: 7_500n })],
      expected: { profit: 2_500n, marginPct: 25, costCoverage: 1, costKnownAmount: 10_000n, cost: 7_500n },
    },
    {
      name: "margin only over orders with known cost",
      orders: [
        order("2026-11-05T00:00:00Z", 10_000n, { cost: 8_000n }),
        order("2026-11-06T00:00:00Z", 30_000n),
      ],
      expected: {
        orderCount: 2,
        amount: 40_000n,
        costKnownAmount: 10_000n,
        profit: 2_000n,
        marginPct: 20,
        costCoverage: 0.25,
      },
    },
    {
      name: "a loss gives a negative margin",
      orders: [order("2026-11-05T00:00:00Z", 10_000n, { cost: 12_500n })],
      expected: { profit: -2_500n, marginPct: -25 },
    },
    {
      name: "zero cost is a known cost",
      orders: [order("2026-11-05T00:00:00Z", 500n, { cost: 0n })],
      expected: { profit: 500n, marginPct: 100 },
    },
    {
      name: "half-open range: the end instant is excluded, the start included",
      orders: [order("2026-11-01T00:00:00Z", 1n), order("2026-12-01T00:00:00Z", 2n)],
      expected: { orderCount: 1, amount: 1n },
    },
    {
      name: "other currencies are ignored",
      orders: [order("2026-11-05T00:00:00Z", 100n), order("2026-11-05T00:00:00Z", 900n, { currency: "EUR" })],
      expected: { orderCount: 1, amount: 100n },
    },
    {
      name: "huge values stay exact",
      orders: [
        order("2026-11-05T00:00:00Z", BIG + 1n, { cost: BIG / 2n }),
        order("2026-11-06T00:00:00Z", BIG, { cost: BIG / 2n }),
      ],
      expected: { amount: 2n * BIG + 1n, profit: BIG + 1n, marginPct: 50, costCoverage: 1 },
    },
  ])("$name", ({ orders, expected }) => {
    expect(windowStats(orders, from, to, "USD")).toMatchObject(expected);
  });

  it("matches the currency case-insensitively", () => {
    const stats = windowStats([order("2026-11-05T00:00:00Z", 100n, { currency: "usd" })], from, to, "USD");
    expect(stats.orderCount).toBe(1);
  });
});

describe("compareWindows", () => {
  it("names the three windows by calendar day", () => {
    const result = compareWindows([], NOW, "UTC", "usd");
    expect(result.currency).toBe("USD");
    expect(result.days).toBe(90);
    expect([result.current.fromDay, result.current.toDay]).toEqual(["2026-08-27", "2026-11-24"]);
    expect([result.previous.fromDay, result.previous.toDay]).toEqual(["2026-05-29", "2026-08-26"]);
    expect([result.yearAgo.fromDay, result.yearAgo.toDay]).toEqual(["2025-08-27", "2025-11-24"]);
  });

  it("with empty history every change is unknown", () => {
    const result = compareWindows([], NOW, "UTC", "USD");
    expect(result.vsPrevious).toEqual({
      orderCountPct: null,
      quantityPct: null,
      amountPct: null,
      profitPct: null,
      marginPts: null,
    });
  });

  const orders = [
    // current window: 2 orders, 150.00, margin 40% (cost known on both)
    order("2026-11-20T12:00:00Z", 10_000n, { cost: 6_000n, quantity: 4 }),
    order("2026-09-01T12:00:00Z", 5_000n, { cost: 3_000n, quantity: 2 }),
    // previous window: 1 order, 100.00, margin 20%
    order("2026-07-01T12:00:00Z", 10_000n, { cost: 8_000n, quantity: 4 }),
    // a year earlier: 4 orders, 300.00, no cost known
    order("2025-09-01T12:00:00Z", 7_500n),
    order("2025-10-01T12:00:00Z", 7_500n),
    order("2025-11-01T12:00:00Z", 7_500n),
    order("2025-11-24T23:59:00Z", 7_500n),
    // ignored: after now, other currency, before all windows
    order("2026-11-24T10:00:01Z", 1_000_000n),
    order("2026-11-01T12:00:00Z", 1_000_000n, { currency: "EUR" }),
    order("2024-01-01T12:00:00Z", 1_000_000n),
  ];

  it("compares with the previous period and with the same period a year earlier", () => {
    const result = compareWindows(orders, NOW, "UTC", "USD");
    expect(result.current.stats).toMatchObject({
      orderCount: 2,
      quantity: 6,
      amount: 15_000n,
      profit: 6_000n,
    });
    expect(result.current.stats.marginPct).toBeCloseTo(40, 9);
    expect(result.previous.stats).toMatchObject({ orderCount: 1, amount: 10_000n, profit: 2_000n });
    expect(result.yearAgo.stats).toMatchObject({ orderCount: 4, amount: 30_000n, profit: null });

    expect(result.vsPrevious.orderCountPct).toBeCloseTo(100, 9);
    expect(result.vsPrevious.quantityPct).toBeCloseTo(50, 9);
    expect(result.vsPrevious.amountPct).toBeCloseTo(50, 9);
    expect(result.vsPrevious.profitPct).toBeCloseTo(200, 9);
    expect(result.vsPrevious.marginPts).toBeCloseTo(20, 9);

    expect(result.vsYearAgo.orderCountPct).toBeCloseTo(-50, 9);
    expect(result.vsYearAgo.amountPct).toBeCloseTo(-50, 9);
    expect(result.vsYearAgo.profitPct).toBeNull();
    expect(result.vsYearAgo.marginPts).toBeNull();
  });

  it.each([
    // 20:00 UTC on 26 Aug is already 27 Aug in Tokyo: inside the current window there.
    ["UTC", 0, 1],
    ["Asia/Tokyo", 1, 0],
    // And 03:00 UTC on 27 Aug is still 26 Aug in Los Angeles.
    ["America/Los_Angeles", 0, 1],
  ])("windows follow the calendar of %s", (tz, inCurrent, inPrevious) => {
    const edge = [order("2026-08-26T20:00:00Z", 100n)];
    const laEdge = [order("2026-08-27T03:00:00Z", 100n)];
    const result = compareWindows(tz === "America/Los_Angeles" ? laEdge : edge, NOW, tz, "USD");
    expect(result.current.stats.orderCount).toBe(inCurrent);
    expect(result.previous.stats.orderCount).toBe(inPrevious);
  });

  it("the current window's last day is today in the account's time zone", () => {
    const lateNow = new Date("2026-11-24T20:00:00Z");
    expect(compareWindows([], lateNow, "Asia/Tokyo", "USD").current.toDay).toBe("2026-11-25");
    expect(compareWindows([], lateNow, "UTC", "USD").current.toDay).toBe("2026-11-24");
  });

  it("a year before 29 February ends on 28 February", () => {
    const result = compareWindows([], new Date("2028-02-29T12:00:00Z"), "UTC", "USD", 7);
    expect([result.yearAgo.fromDay, result.yearAgo.toDay]).toEqual(["2027-02-22", "2027-02-28"]);
    expect([result.current.fromDay, result.current.toDay]).toEqual(["2028-02-23", "2028-02-29"]);
  });

  it("takes a custom window length", () => {
    const result = compareWindows(orders, NOW, "UTC", "USD", 30);
    expect([result.current.fromDay, result.previous.toDay]).toEqual(["2026-10-26", "2026-10-25"]);
    expect(result.current.stats.orderCount).toBe(1);
  });

  it.each([0, -1, 1.5])("rejects %s days", (days) => {
    expect(() => compareWindows([], NOW, "UTC", "USD", days)).toThrow(RangeError);
  });

  it("percent changes on huge amounts are exact enough", () => {
    const result = compareWindows(
      [order("2026-11-01T00:00:00Z", 3n * BIG), order("2026-07-01T00:00:00Z", 2n * BIG)],
      NOW,
      "UTC",
      "USD",
    );
    expect(result.vsPrevious.amountPct).toBe(50);
  });
});

describe("orderGaps", () => {
  it.each<{ name: string; tz?: string; orders: OrderFact[]; expected: Record<string, unknown> }>([
    {
      name: "empty history",
      orders: [],
      expected: {
        purchaseDays: 0,
        firstOrderDay: null,
        lastOrderDay: null,
        daysSinceLast: null,
        gapDays: [],
        typicalGapDays: null,
        overdueDays: null,
      },
    },
    {
      name: "one order: no typical gap yet",
      orders: [order("2026-11-14T09:00:00Z", 100n)],
      expected: {
        purchaseDays: 1,
        firstOrderDay: "2026-11-14",
        lastOrderDay: "2026-11-14",
        daysSinceLast: 10,
        gapDays: [],
        typicalGapDays: null,
        overdueDays: null,
      },
    },
    {
      name: "same-day orders are one purchase",
      orders: [
        order("2026-11-14T01:00:00Z", 100n),
        order("2026-11-14T22:00:00Z", 100n),
        order("2026-11-14T12:00:00Z", 100n),
      ],
      expected: { purchaseDays: 1, typicalGapDays: null },
    },
    {
      name: "median of an odd number of gaps, unsorted input",
      orders: [
        order("2026-10-31T00:00:00Z", 1n),
        order("2026-08-01T00:00:00Z", 1n),
        order("2026-09-01T00:00:00Z", 1n),
        order("2026-09-11T00:00:00Z", 1n),
      ],
      // gaps 31, 10, 50 -> median 31; last order 24 days ago: not overdue
      expected: { gapDays: [31, 10, 50], typicalGapDays: 31, daysSinceLast: 24, overdueDays: 0 },
    },
    {
      name: "median of an even number of gaps, overdue",
      orders: [
        order("2026-06-01T00:00:00Z", 1n),
        order("2026-06-11T00:00:00Z", 1n),
        order("2026-06-25T00:00:00Z", 1n),
        order("2026-07-05T00:00:00Z", 1n),
        order("2026-07-20T00:00:00Z", 1n),
      ],
      // gaps 10, 14, 10, 15 -> median 12; 127 days since 20 July
      expected: { typicalGapDays: 12, daysSinceLast: 127, overdueDays: 115, lastOrderDay: "2026-07-20" },
    },
    {
      name: "credit notes are not purchases; orders after now are ignored",
      orders: [
        order("2026-11-01T00:00:00Z", 100n),
        order("2026-11-10T00:00:00Z", -100n),
        order("2026-11-11T00:00:00Z", 0n),
        order("2026-11-30T00:00:00Z", 100n),
      ],
      expected: { purchaseDays: 2, gapDays: [10], lastOrderDay: "2026-11-11", daysSinceLast: 13 },
    },
    {
      name: "all currencies count towards frequency",
      orders: [order("2026-11-01T00:00:00Z", 100n), order("2026-11-03T00:00:00Z", 100n, { currency: "EUR" })],
      expected: { purchaseDays: 2, typicalGapDays: 2 },
    },
    {
      name: "UTC: two orders 2 hours apart fall on different days",
      tz: "UTC",
      orders: [order("2026-11-20T23:00:00Z", 1n), order("2026-11-21T01:00:00Z", 1n)],
      expected: { purchaseDays: 2, typicalGapDays: 1 },
    },
    {
      name: "Tokyo: the same two orders are one purchase day",
      tz: "Asia/Tokyo",
      orders: [order("2026-11-20T23:00:00Z", 1n), order("2026-11-21T01:00:00Z", 1n)],
      expected: { purchaseDays: 1, lastOrderDay: "2026-11-21", daysSinceLast: 3 },
    },
    {
      name: "a DST change does not make a 23- or 25-hour day count wrong",
      tz: "America/New_York",
      orders: [order("2026-03-07T17:00:00Z", 1n), order("2026-03-09T16:00:00Z", 1n)],
      expected: { gapDays: [2] },
    },
  ])("$name", ({ tz, orders, expected }) => {
    expect(orderGaps(orders, NOW, tz ?? "UTC")).toMatchObject(expected);
  });
});

describe("monthlyValues", () => {
  it("returns 12 empty months ending with the current one for an empty history", () => {
    const months = monthlyValues([], NOW, "UTC", "USD");
    expect(months).toHaveLength(12);
    expect(months[0]).toEqual({ month: "2025-12", amount: 0n, orderCount: 0 });
    expect(months[11]).toEqual({ month: "2026-11", amount: 0n, orderCount: 0 });
  });

  it("crosses the year boundary", () => {
    const months = monthlyValues([], new Date("2026-01-15T00:00:00Z"), "UTC", "USD", 3).map((m) => m.month);
    expect(months).toEqual(["2025-11", "2025-12", "2026-01"]);
  });

  it("sums per month, in the requested currency, up to now", () => {
    const orders = [
      order("2026-11-01T00:00:00Z", 100n),
      order("2026-11-24T09:59:59Z", 50n),
      order("2026-11-24T10:00:01Z", 1_000n),
      order("2026-09-15T00:00:00Z", BIG),
      order("2026-09-16T00:00:00Z", BIG),
      order("2026-09-16T00:00:00Z", 7n, { currency: "EUR" }),
      order("2025-11-30T23:59:59Z", 999n),
      order("2025-12-01T00:00:00Z", 1n),
    ];
    const months = monthlyValues(orders, NOW, "UTC", "USD");
    const byMonth = Object.fromEntries(months.map((m) => [m.month, [m.amount, m.orderCount]]));
    expect(byMonth["2026-11"]).toEqual([150n, 2]);
    expect(byMonth["2026-09"]).toEqual([2n * BIG, 2]);
    expect(byMonth["2026-10"]).toEqual([0n, 0]);
    expect(byMonth["2025-12"]).toEqual([1n, 1]);
    expect(byMonth["2025-11"]).toBeUndefined();
  });

  it.each([
    // 03:30 UTC on 1 Nov is still 31 Oct in New York (EDT, UTC-4).
    ["America/New_York", "2026-10"],
    ["UTC", "2026-11"],
    // 20:00 UTC on 31 Oct is already 1 Nov in Tokyo.
    ["Asia/Tokyo", "2026-11"],
  ])("months follow the calendar of %s", (tz, expectedMonth) => {
    const at = tz === "Asia/Tokyo" ? "2026-10-31T20:00:00Z" : "2026-11-01T03:30:00Z";
    const months = monthlyValues([order(at, 5n)], NOW, tz, "USD");
    expect(months.find((m) => m.orderCount === 1)?.month).toBe(expectedMonth);
  });

  it("the current month is the one in the account's time zone", () => {
    const months = monthlyValues([], new Date("2026-11-30T20:00:00Z"), "Asia/Tokyo", "USD", 2);
    expect(months.map((m) => m.month)).toEqual(["2026-11", "2026-12"]);
  });

  it.each([0, -3, 2.5])("rejects %s months", (count) => {
    expect(() => monthlyValues([], NOW, "UTC", "USD", count)).toThrow(RangeError);
  });
});

describe("dominantCurrency", () => {
  it.each<[string, string[], string | null]>([
    ["empty history", [], null],
    ["a single currency", ["EUR", "EUR"], "EUR"],
    ["most orders wins", ["USD", "EUR", "EUR", "JPY"], "EUR"],
    ["ties break alphabetically", ["USD", "EUR", "USD", "EUR"], "EUR"],
    ["codes are compared case-insensitively", ["usd", "USD", "EUR"], "USD"],
  ])("%s", (_name, currencies, expected) => {
    const orders = currencies.map((currency) => order("2026-11-01T00:00:00Z", 1n, { currency }));
    expect(dominantCurrency(orders)).toBe(expected);
  });
});
