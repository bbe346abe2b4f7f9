// A crash between storing the day's warnings and saving the scan loses nothing and posts once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runRiskScan } from "../../src/services/risk/run-risk-scan.ts";
import { createDueWarnings } from "../../src/services/warnings/create-due-warnings.ts";
import { startTestBot, type TestBot } from "../support/bot.ts";
import { testDeps } from "../support/deps.ts";

let bot: TestBot;
const clock = new Date("2026-11-23T07:00:00Z");
const DAY = 86_400_000;

beforeAll(async () => {
  bot = await startTestBot({ now: () => clock });
  const fading = await bot.db.prisma.account.create({
    data: { externalId: "C-1", name: "Fading Foods Inc.", channelId: "CFADING" },
  });
  const orders = [];
  for (let week = 104; week > 14; week--) {
    orders.push({
      accountId: fading.id,
      externalId: `F-${week}`,
      orderedAt: new Date(clock.getTime() - week * 7 * DAY),
      quantity: 10,
      amount: 100_000n,
      cost: 70_000n,
      currency: "USD",
    });
  }
  await bot.db.prisma.order.createMany({ data: orders });
});

afterAll(async () => {
  await bot?.stop();
});

describe("a crash during the daily scan", () => {
  it("stores the warnings before the scan is saved; the next run saves it and posts them once", async () => {
    const deps = { ...testDeps(bot.db, () => clock), defaultRetentionCost: 2000, blacklistOverdueDays: 90 };
    await expect(
      runRiskScan(deps, {
        save: true,
        beforeSave: async (result) => {
          await createDueWarnings(deps, result);
          throw new Error("process killed");
        },
      }),
    ).rejects.toThrow("process killed");
    expect(await bot.db.prisma.riskScan.count()).toBe(0);
    const [pending] = await bot.db.prisma.churnWarning.findMany();
    expect(pending).toMatchObject({ status: "pending", assessmentId: null });

    expect(await bot.runJob("risk-scan")).toBe(true);
    const posts = () =>
      bot.fake.callsTo("chat.postMessage").filter((c) => c.body.channel === "CFADING" && !c.error);
    expect(posts()).toHaveLength(1);
    expect(await bot.db.prisma.riskScan.count()).toBe(1);
    const [posted] = await bot.db.prisma.churnWarning.findMany();
    expect(posted?.id).toBe(pending?.id);
    expect(posted?.status).toBe("posted");
    expect(posted?.assessmentId).not.toBeNull();

    expect(await bot.runJob("risk-scan")).toBe(true);
    expect(posts()).toHaveLength(1);
    expect(await bot.db.prisma.churnWarning.count()).toBe(1);
  });
});
