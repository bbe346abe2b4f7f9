// `churnwatch scan --post`: the daily job by hand — saves today's scan and posts due warnings once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.ts";

let db: TestDatabase;
let fake: FakeSlack;
const DAY = 86_400_000;
const now = Date.now();

function env(): Record<string, string> {
  return {
    DATABASE_URL: db.url,
    SLACK_BOT_TOKEN: "xoxb-cli-post",
    SLACK_SIGNING_SECRET: "cli-post-secret",
    SLACK_API_URL: fake.apiUrl,
  };
}

beforeAll(async () => {
  db = await createTestDatabase();
  fake = await startFakeSlack();
  const fading = await db.prisma.account.create({
    data: { externalId: "P-1", name: "Fading Foods Inc.", channelId: "C0FADE" },
  });
  const steady = await db.prisma.account.create({
    data: { externalId: "P-2", name: "Steady Supplies Ltd", channelId: "C0STEADY" },
  });
  const orders = [];
  for (let week = 104; week >= 1; week--) {
    const orderedAt = new Date(now - week * 7 * DAY);
    const line = { quantity: 10, amount: 100_000n, cost: 70_000n, currency: "USD", orderedAt };
    orders.push({ ...line, accountId: steady.id, externalId: `S-${week}` });
    // Weekly for two years, then nothing for the last 14 weeks.
    if (week > 14) orders.push({ ...line, accountId: fading.id, externalId: `F-${week}` });
  }
  await db.prisma.order.createMany({ data: orders });
});

afterAll(async () => {
  await fake?.close();
  await db?.drop();
});

describe("churnwatch scan --post", () => {
  it("saves the scan and posts one warning, in the fading account's channel", async () => {
    const result = await runCli(["scan", "--post"], env());
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.stdout).toContain("Scanned and saved. Warnings today: 1 posted.");
    expect(result.code).toBe(0);
    const posts = fake.callsTo("chat.postMessage");
    expect(posts.map((p) => p.body.channel)).toEqual(["C0FADE"]);
    expect(JSON.stringify(posts[0]?.body.blocks)).toContain("Fading Foods Inc.");
    expect(await db.prisma.riskScan.count()).toBe(1);
  });

  it("posts nothing new when run again the same day", async () => {
    fake.reset();
    const again = await runCli(["scan", "--post"], env());
    expect(again.code).toBe(0);
    expect(fake.callsTo("chat.postMessage")).toEqual([]);
  });

  it("refuses to be combined with --as-of, and needs the Slack settings", async () => {
    const combined = await runCli(["scan", "--post", "--as-of", "2026-01-01"], env());
    expect(combined.code).toBe(1);
    expect(combined.stderr).toContain("--post scans today");
    const noSlack = await runCli(["scan", "--post"], { DATABASE_URL: db.url });
    expect(noSlack.code).toBe(1);
    expect(noSlack.stderr).toContain("missing SLACK_BOT_TOKEN");
  });
});
