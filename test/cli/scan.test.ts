// `churnwatch scan --json` and `backtest` through the real command: the documented JSON, as-of cut-off.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";

let db: TestDatabase;
const DAY = 86_400_000;
const asOf = new Date("2026-06-30T12:00:00Z");

beforeAll(async () => {
  db = await createTestDatabase();
  const accounts = [];
  for (let n = 0; n < 12; n++) {
    accounts.push(await db.prisma.account.create({ data: { externalId: `K-${n}`, name: `Kestrel ${n}` } }));
  }
  const orders = accounts.flatMap((account, n) =>
    Array.from({ length: 3 + n }, (_, k) => ({
      accountId: account.id,
      externalId: `${account.externalId}-${k}`,
      // Every account orders every 20 + n days up to the as-of day.
      orderedAt: new Date(asOf.getTime() - k * (20 + n) * DAY),
      quantity: 2,
      amount: 20_000n,
      cost: 15_000n,
      currency: "EUR",
    })),
  );
  // After the as-of day only K-0 orders again: a backtest sees the others stop.
  orders.push({
    accountId: accounts[0]?.id ?? "",
    externalId: "K-0-later",
    orderedAt: new Date(asOf.getTime() + 30 * DAY),
    quantity: 2,
    amount: 20_000n,
    cost: 15_000n,
    currency: "EUR",
  });
  await db.prisma.order.createMany({ data: orders });
});

afterAll(async () => {
  await db?.drop();
});

describe("churnwatch scan", () => {
  it("prints the documented JSON, reading nothing after --as-of, and saves nothing without --save", async () => {
    const result = await runCli(["scan", "--as-of", "2026-06-30", "--json"], { DATABASE_URL: db.url });
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.asOf).toBe("2026-06-30");
    expect(json.model).toMatchObject({ kind: "bg-nbd", timeUnit: "week" });
    for (const key of ["r", "alpha", "a", "b", "logLikelihood"])
      expect(typeof json.model[key]).toBe("number");
    expect(json.accounts).toHaveLength(12);
    for (const account of json.accounts) {
      expect(Object.keys(account)).toEqual([
        "externalId",
        "name",
        "risk",
        "band",
        "pAlive",
        "expectedOrders13w",
        "verdict",
        "reasons",
      ]);
      expect(account.risk).toBeGreaterThanOrEqual(0);
      expect(account.risk).toBeLessThanOrEqual(100);
      expect(["low", "medium", "high", "critical"]).toContain(account.band);
      expect(["fight_hard", "retain", "let_go", "blacklist_candidate"]).toContain(account.verdict);
    }
    // K-0's later order is after the as-of day: its last order there is the as-of day itself.
    const k0 = json.accounts.find((a: { externalId: string }) => a.externalId === "K-0");
    expect(k0.reasons.map((r: { code: string }) => r.code)).not.toContain("order_overdue");
    expect(await db.prisma.riskScan.count()).toBe(0);
  });

  it("keeps the scan as history with --save", async () => {
    const result = await runCli(["scan", "--save"], { DATABASE_URL: db.url });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Risk as of \d{4}-\d{2}-\d{2}: 12 accounts/);
    expect(await db.prisma.riskScan.count()).toBe(1);
    expect(await db.prisma.riskAssessment.count()).toBe(12);
  });

  it("backtests against what happened after the as-of day", async () => {
    const result = await runCli(["backtest", "--as-of", "2026-06-30", "--horizon-weeks", "13", "--json"], {
      DATABASE_URL: db.url,
    });
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.metrics.accounts).toBe(12);
    // Everyone but K-0 ordered nothing in the 13 weeks after.
    expect(json.metrics.churned).toBe(11);
    expect(json.metrics.byBand.map((b: { key: string }) => b.key)).toEqual([
      "low",
      "medium",
      "high",
      "critical",
    ]);
  });

  it("refuses a malformed date", async () => {
    const result = await runCli(["scan", "--as-of", "2026-02-30"], { DATABASE_URL: db.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--as-of takes a date YYYY-MM-DD, not "2026-02-30".');
  });
});
