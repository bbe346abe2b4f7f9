// `churnwatch demo` then `/customer`: the card's figures match sums computed independently in SQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SlackBlock, textOf } from "../support/blocks.ts";
import { SIGNING_SECRET, startTestBot, type TestBot } from "../support/bot.ts";
import { runCli } from "../support/cli.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";
import { postSlashCommand } from "../support/slack-requests.ts";

let db: TestDatabase;
let bot: TestBot;
let demoOutput: string;
const now = new Date();
now.setUTCHours(12, 0, 0, 0);

beforeAll(async () => {
  db = await createTestDatabase();
  const result = await runCli(["demo"], { DATABASE_URL: db.url, TIME_ZONE: "UTC" }, 120_000);
  expect(result.stderr).not.toContain("rror");
  expect(result.code).toBe(0);
  demoOutput = result.stdout;
  bot = await startTestBot({ db, now: () => now });
}, 180_000);

afterAll(async () => {
  await bot?.stop();
  await db?.drop();
});

type Sums = { orders: number; quantity: number; amount: bigint };

/** Sums over whole UTC days [now-from, now-to], written straight in SQL, not through the app's domain code. */
async function windowSums(accountId: string, fromDaysAgo: number, toDaysAgo: number): Promise<Sums> {
  const { rows } = await db.pool.query<{ orders: bigint; quantity: bigint | null; amount: bigint | null }>(
    `SELECT count(*) AS orders, sum(quantity)::int8 AS quantity, sum(amount)::int8 AS amount
       FROM "order"
      WHERE account_id = $1
        AND ordered_at >= date_trunc('day', $2::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - make_interval(days => $3)
        AND ordered_at <  date_trunc('day', $2::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - make_interval(days => $4) + interval '1 day'`,
    [accountId, now.toISOString(), fromDaysAgo, toDaysAgo],
  );
  const row = rows[0];
  return {
    orders: Number(row?.orders ?? 0n),
    quantity: Number(row?.quantity ?? 0n),
    amount: row?.amount ?? 0n,
  };
}

function money(minor: bigint, currency: string): string {
  const digits =
    new Intl.NumberFormat("en-US", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ??
    2;
  return new Intl.NumberFormat("en-US", {
    style: "currency",
    currency,
    minimumFractionDigits: digits,
  }).format(Number(minor) / 10 ** digits);
}

describe("demo data set", () => {
  it("loads at least 200 accounts with three years of orders, Chinese and English names", async () => {
    expect(demoOutput).toMatch(/accounts: \d+ new/);
    expect(demoOutput).toMatch(/Risk scanned: \d+ of \d+ accounts are high or critical\./);
    expect(await db.prisma.riskScan.count()).toBe(1);
    const accounts = await db.prisma.account.count();
    expect(accounts).toBeGreaterThanOrEqual(200);
    const chinese = await db.prisma.account.count({ where: { name: { contains: "有限公司" } } });
    expect(chinese).toBeGreaterThan(20);
    expect(accounts - chinese).toBeGreaterThan(20);
    const { rows } = await db.pool.query<{ days: number }>(
      'SELECT extract(day FROM max(ordered_at) - min(ordered_at))::int AS days FROM "order"',
    );
    expect(rows[0]?.days).toBeGreaterThan(3 * 365 - 30);
  });

  it("makes some accounts clearly decline: value in the last 90 days far below the 90 before", async () => {
    const { rows } = await db.pool.query<{ declining: bigint }>(
      `SELECT count(*) AS declining FROM (
         SELECT account_id,
                sum(amount) FILTER (WHERE ordered_at >= $1::timestamptz - interval '90 days') AS recent,
                sum(amount) FILTER (WHERE ordered_at < $1::timestamptz - interval '90 days'
                                      AND ordered_at >= $1::timestamptz - interval '180 days') AS before
           FROM "order" GROUP BY account_id) t
        WHERE coalesce(recent, 0) * 10 < before * 7`,
      [now.toISOString()],
    );
    expect(Number(rows[0]?.declining)).toBeGreaterThanOrEqual(10);
  });

  it("loading it again changes nothing", async () => {
    const again = await runCli(["demo"], { DATABASE_URL: db.url, TIME_ZONE: "UTC" }, 120_000);
    expect(again.code).toBe(0);
    for (const line of again.stdout.split("\n").filter((l) => l.includes(" new, "))) {
      expect(line).toMatch(/: 0 new, 0 updated, \d+ unchanged/);
    }
  });

  it("/customer shows a demo account's card with figures equal to the imported rows' sums", async () => {
    const candidates = await db.pool.query<{ id: string; external_id: string; currency: string }>(
      `SELECT a.id, a.external_id, min(o.currency) AS currency
         FROM account a JOIN "order" o ON o.account_id = a.id
        WHERE o.ordered_at >= $1::timestamptz - interval '90 days'
        GROUP BY a.id, a.external_id HAVING count(*) >= 3 ORDER BY a.external_id LIMIT 3`,
      [now.toISOString()],
    );
    expect(candidates.rows.length).toBe(3);
    for (const account of candidates.rows) {
      const responseUrl = bot.fake.responseUrl(`demo-${account.external_id}`);
      await postSlashCommand(bot.url, SIGNING_SECRET, {
        command: "/customer",
        text: account.external_id,
        response_url: responseUrl,
      });
      const answer = await bot.fake.waitFor(
        "response_url",
        (c) => c.responseId === `demo-${account.external_id}`,
      );
      const text = textOf(answer.body.blocks as SlackBlock[]);
      const current = await windowSums(account.id, 89, 0);
      const previous = await windowSums(account.id, 179, 90);
      expect(text).toContain(`ERP id ${account.external_id}`);
      expect(text).toContain(
        `*Orders* ${current.orders.toLocaleString("en-US")}  ·  prev ${previous.orders.toLocaleString("en-US")} (`,
      );
      expect(text).toContain(
        `*Quantity* ${current.quantity.toLocaleString("en-US")}  ·  prev ${previous.quantity.toLocaleString("en-US")} (`,
      );
      expect(text).toContain(
        `*Value* ${money(current.amount, account.currency)}  ·  prev ${money(previous.amount, account.currency)} (`,
      );
    }
    expect(bot.fake.rejected).toEqual([]);
  });
});
