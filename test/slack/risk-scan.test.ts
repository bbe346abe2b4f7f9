// The daily risk scan end to end: seeded accounts, the scan job, the card's risk section and history.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCustomerCommand, startTestBot, type TestBot } from "../support/bot.ts";

let bot: TestBot;
let clock = new Date("2026-11-23T07:00:00Z");
const DAY = 86_400_000;

async function card(text: string): Promise<string> {
  return (await runCustomerCommand(bot, text)).text;
}

/** Weekly orders for two years; the declining account's orders shrink and stop in the last 100 days. */
async function seed() {
  const steady = await bot.db.prisma.account.create({
    data: { externalId: "R-1", name: "Steady Supplies Ltd" },
  });
  const declining = await bot.db.prisma.account.create({
    data: { externalId: "R-2", name: "Fading Foods Inc." },
  });
  const orders: {
    accountId: string;
    externalId: string;
    orderedAt: Date;
    quantity: number;
    amount: bigint;
    cost: bigint;
    currency: string;
  }[] = [];
  for (let week = 104; week >= 1; week--) {
    const at = new Date(clock.getTime() - week * 7 * DAY);
    orders.push({
      accountId: steady.id,
      externalId: `S-${week}`,
      orderedAt: at,
      quantity: 10,
      amount: 100_000n,
      cost: 70_000n,
      currency: "USD",
    });
    if (week > 14) {
      orders.push({
        accountId: declining.id,
        externalId: `D-${week}`,
        orderedAt: at,
        quantity: 10,
        amount: 100_000n,
        cost: 70_000n,
        currency: "USD",
      });
    }
  }
  // Filler accounts so the purchase model has a population to learn from.
  for (let n = 0; n < 30; n++) {
    const filler = await bot.db.prisma.account.create({
      data: { externalId: `F-${n}`, name: `Filler ${n}` },
    });
    for (let k = 0; k < 1 + (n % 6); k++) {
      orders.push({
        accountId: filler.id,
        externalId: `F-${n}-${k}`,
        orderedAt: new Date(clock.getTime() - (20 + k * (15 + n)) * DAY),
        quantity: 1,
        amount: 5_000n,
        cost: 4_000n,
        currency: "USD",
      });
    }
  }
  await bot.db.prisma.order.createMany({ data: orders });
}

beforeAll(async () => {
  bot = await startTestBot({ now: () => clock });
  await seed();
});

afterAll(async () => {
  await bot?.stop();
});

describe("daily risk scan", () => {
  it("saves one assessment per account, and two simultaneous runs save one scan", async () => {
    const results = await Promise.all([bot.runJob("risk-scan"), bot.runJob("risk-scan")]);
    expect(results.sort()).toEqual([false, true]);
    expect(await bot.db.prisma.riskScan.count()).toBe(1);
    expect(await bot.db.prisma.riskAssessment.count()).toBe(32);
  });

  it("puts the declining account high with its reasons on the card, and the steady one low", async () => {
    const fading = await card("fading foods");
    expect(fading).toMatch(/\*Churn risk (\d+)\/100 · (High|Critical)\*/);
    expect(fading).toContain("next order");
    expect(fading).toContain("overdue (usual gap 7 days");
    expect(fading).toContain("Scanned 2026-11-23");
    const steady = await card("steady supplies");
    expect(steady).toMatch(/\*Churn risk \d+\/100 · Low\*/);
    expect(bot.fake.rejected).toEqual([]);
  });

  it("shows the trend against the scan before", async () => {
    clock = new Date(clock.getTime() + 14 * DAY);
    expect(await bot.runJob("risk-scan")).toBe(true);
    const fading = await card("fading foods");
    expect(fading).toMatch(
      /\*Churn risk \d+\/100 · (High|Critical)\*( ↑ from \d+ on 2026-11-23| \(unchanged since 2026-11-23\))/,
    );
  });
});
