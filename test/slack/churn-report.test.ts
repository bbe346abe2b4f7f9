// /customer report through the real Bolt app: the quarter to date next to the previous quarter, with
// the rates recounted here straight from the seeded history; bad period words and the usage text.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseReportText } from "../../src/slack/listeners/commands/customer.ts";
import { runCustomerCommand, startTestBot, type TestBot } from "../support/bot.ts";
import { churnPopulation, recountChurn, type SeedAccount, seedAccount } from "../support/churn.ts";

let bot: TestBot;
let population: SeedAccount[];

/** "2 of 40 customers at the start lost: 5.0%", as a person reads it. */
function expectedLine(accounts: readonly SeedAccount[], from: string, to: string): string {
  const { customersAtStart, lost } = recountChurn(accounts, from, to);
  expect(customersAtStart).toBeGreaterThan(0);
  expect(lost).toBeGreaterThan(0);
  return `${lost} of ${customersAtStart} customers at the start lost: ${((100 * lost) / customersAtStart).toFixed(1)}%`;
}

beforeAll(async () => {
  bot = await startTestBot({ now: () => new Date("2026-11-23T12:00:00Z") });
  population = churnPopulation(60, 2);
  for (const account of population) await seedAccount(bot.db.prisma, account);
});

afterAll(async () => {
  await bot?.stop();
});

beforeEach(() => {
  bot.fake.reset();
});

describe("parseReportText", () => {
  it.each([
    ["report", { period: "year" }],
    ["Report quarter", { period: "quarter" }],
    ["report MONTH", { period: "month" }],
    ["report week", { unknown: "week" }],
    ["report printing ltd", { unknown: "printing ltd" }],
    ["reporter gmbh", null],
    ["log report", null],
  ])("%s", (text, expected) => {
    expect(parseReportText(text)).toEqual(expected);
  });
});

describe("/customer report", () => {
  it("shows the quarter to date next to the previous quarter, as recounted from the history", async () => {
    const answer = await runCustomerCommand(bot, "report quarter");
    expect(answer.call.body.response_type).toBe("ephemeral");
    expect(answer.text).toContain("Churn report: Q4 2026 to date");
    expect(answer.text).toContain(expectedLine(population, "2026-10-01", "2026-11-23"));
    expect(answer.text).toContain("Q3 2026");
    expect(answer.text).toContain(expectedLine(population, "2026-07-01", "2026-09-30"));
    expect(answer.text).toContain("*By owner*");
    expect(answer.text).toContain("*Why they left*");
    expect(bot.fake.rejected).toEqual([]);
  });

  it("defaults to the year to date against last year, with a line per month", async () => {
    const answer = await runCustomerCommand(bot, "report");
    expect(answer.text).toContain("Churn report: 2026 to date");
    expect(answer.text).toContain(expectedLine(population, "2026-01-01", "2026-11-23"));
    expect(answer.text).toContain(expectedLine(population, "2025-01-01", "2025-12-31"));
    const march = recountChurn(population, "2026-03-01", "2026-03-31");
    expect(answer.text).toContain(`• Mar 2026: ${march.lost} of ${march.customersAtStart} lost`);
    expect(bot.fake.rejected).toEqual([]);
  });

  it("explains the period words instead of guessing", async () => {
    const answer = await runCustomerCommand(bot, "report week");
    expect(answer.text).toContain(
      "*/customer report* takes month, quarter or year (the default), not “week”.",
    );
  });

  it("lists the report in the usage text", async () => {
    const answer = await runCustomerCommand(bot, "help");
    expect(answer.text).toContain("*/customer report [month|quarter|year]*");
  });
});
