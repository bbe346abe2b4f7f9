// `churnwatch report` through the real command: the documented JSON with rates recounted here from the
// seeded history, the text form, and clear refusals of bad input.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { churnPopulation, recountChurn, type SeedAccount, seedAccount } from "../support/churn.ts";
import { runCli } from "../support/cli.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";

let db: TestDatabase;
let population: SeedAccount[];

beforeAll(async () => {
  db = await createTestDatabase();
  population = churnPopulation(60, 2);
  for (const account of population) await seedAccount(db.prisma, account);
});

afterAll(async () => {
  await db?.drop();
});

const rateKeys = ["customersAtStart", "lost", "rate", "annualisedRate", "benchmark"];

describe("churnwatch report", () => {
  it("prints the documented JSON, its rates as recounted from the seeded history", async () => {
    const result = await runCli(["report", "--from", "2026-01-01", "--to", "2026-06-30", "--json"], {
      DATABASE_URL: db.url,
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(Object.keys(json)).toEqual(["timeZone", "today", "period", "previous", "loyalty", "keyAccounts"]);
    expect(json.timeZone).toBe("UTC");
    expect(json.previous).toBeNull();
    const { period } = json;
    expect(Object.keys(period)).toEqual([
      "label",
      "from",
      "to",
      "days",
      "churn",
      "byMonth",
      "byOwner",
      "bySegment",
      "reasons",
      "moneyLost",
    ]);
    expect(period).toMatchObject({ from: "2026-01-01", to: "2026-06-30", days: 181 });
    const expected = recountChurn(population, "2026-01-01", "2026-06-30");
    expect(expected.lost).toBeGreaterThan(0);
    expect(Object.keys(period.churn)).toEqual(rateKeys);
    expect(period.churn).toMatchObject(expected);
    const rate = expected.lost / expected.customersAtStart;
    expect(period.churn.rate).toBeCloseTo(rate, 12);
    expect(period.churn.annualisedRate).toBeCloseTo(1 - (1 - rate) ** (365 / 181), 12);
    expect(period.byMonth.map((m: { month: string }) => m.month)).toEqual([
      "2026-01",
      "2026-02",
      "2026-03",
      "2026-04",
      "2026-05",
      "2026-06",
    ]);
    for (const month of period.byMonth) {
      expect(Object.keys(month)).toEqual(["month", "from", "to", ...rateKeys]);
      expect(month).toMatchObject(recountChurn(population, month.from, month.to));
    }
    const owners = period.byOwner as { customersAtStart: number; lost: number }[];
    expect(owners.reduce((sum, g) => sum + g.customersAtStart, 0)).toBe(expected.customersAtStart);
    expect(owners.reduce((sum, g) => sum + g.lost, 0)).toBe(expected.lost);
    expect(period.reasons.lostAccounts).toBe(expected.lost);
    expect(Object.keys(period.reasons)).toEqual([
      "lostAccounts",
      "recorded",
      "withinControl",
      "withinControlShare",
      "mix",
    ]);
    expect(json.loyalty).toEqual({
      customers: expect.any(Number),
      noRead: expect.any(Number),
      loyal: 0,
      average: 0,
      disloyal: 0,
    });
    expect(Object.keys(json.keyAccounts)).toEqual([
      "revenueFrom",
      "revenueTo",
      "sharePercent",
      "keyAccounts",
      "assessed",
      "atRisk",
    ]);
  });

  it("reads as text, a whole year without annualising", async () => {
    const result = await runCli(["report", "--from", "2025-01-01", "--to", "2025-12-31"], {
      DATABASE_URL: db.url,
    });
    expect(result.code).toBe(0);
    const { customersAtStart, lost } = recountChurn(population, "2025-01-01", "2025-12-31");
    expect(result.stdout).toContain(
      `${lost} of ${customersAtStart} customers at the start lost: ${((100 * lost) / customersAtStart).toFixed(1)}% in the year`,
    );
    expect(result.stdout).toContain("By month");
  });

  it("takes a period word too, with the previous period", async () => {
    const result = await runCli(["report", "quarter", "--json"], { DATABASE_URL: db.url });
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.period.label).toMatch(/^Q[1-4] \d{4} to date$/);
    expect(json.previous.label).toMatch(/^Q[1-4] \d{4}$/);
  });

  it.each([
    [["--from", "2026-02-30"], '--from takes a date YYYY-MM-DD, not "2026-02-30".'],
    [["--to", "23.11.2026"], '--to takes a date YYYY-MM-DD, not "23.11.2026".'],
    [["--from", "2026-05-01", "--to", "2026-04-01"], "--from 2026-05-01 is after --to 2026-04-01."],
    [
      ["week"],
      'churnwatch report takes month, quarter or year (each to date, with the previous one), not "week"',
    ],
    [
      ["quarter", "--from", "2026-01-01"],
      "churnwatch report quarter is the quarter to date: leave out --from and --to.",
    ],
    // Only --from, after today: the default end (today) comes before it.
    [["--from", "2999-01-01"], "The range starts on 2999-01-01, after it ends on"],
  ])("refuses %j with a clear message", async (args, message) => {
    const result = await runCli(["report", ...args], { DATABASE_URL: db.url });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(message);
  });
});
