// Escalation and the weekly digest end to end: unanswered warnings reach managers once; the digest counts right.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Band } from "../../src/domain/risk/score.ts";
import type { WarningStatus } from "../../src/domain/risk/warnings.ts";
import { type SlackBlock, textOf } from "../support/blocks.ts";
import { startTestBot, type TestBot } from "../support/bot.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";
import type { FakeSlackCall } from "../support/fake-slack.ts";

const MANAGERS = "CMANAGERS";
const DAY = 86_400_000;
const clock = new Date("2026-11-23T08:00:00Z");
const daysAgo = (n: number) => new Date(clock.getTime() - n * DAY);
const dayOf = (at: Date) => new Date(`${at.toISOString().slice(0, 10)}T00:00:00Z`);

let db: TestDatabase;
let bot: TestBot;
const ids: Record<string, string> = {};

type Seed = {
  key: string;
  name: string;
  owner?: string;
  status?: "active" | "lost";
  assessments: { daysAgo: number; band: Band; risk: number }[];
  warning?: { postedDaysAgo: number; band: Band; risk: number; status: WarningStatus };
};

const seeds: Seed[] = [
  {
    key: "alpha",
    name: "Alpha Tools",
    owner: "U0ALPHA",
    assessments: [{ daysAgo: 0, band: "critical", risk: 88 }],
    warning: { postedDaysAgo: 5, band: "critical", risk: 88, status: "posted" },
  },
  {
    key: "beta",
    name: "Beta Bakery",
    owner: "U0BETA",
    assessments: [{ daysAgo: 0, band: "high", risk: 60 }],
    warning: { postedDaysAgo: 5, band: "high", risk: 60, status: "acknowledged" },
  },
  {
    key: "gamma",
    name: "Gamma Goods",
    assessments: [
      { daysAgo: 3, band: "critical", risk: 80 },
      { daysAgo: 0, band: "high", risk: 55 },
    ],
    warning: { postedDaysAgo: 1, band: "high", risk: 55, status: "posted" },
  },
  {
    key: "delta",
    name: "Delta Dairy",
    assessments: [{ daysAgo: 0, band: "medium", risk: 40 }],
    warning: { postedDaysAgo: 10, band: "medium", risk: 40, status: "posted" },
  },
  {
    key: "echo",
    name: "Echo Exports",
    status: "lost",
    assessments: [{ daysAgo: 0, band: "critical", risk: 95 }],
  },
  {
    key: "golf",
    name: "Golf Gear",
    assessments: [{ daysAgo: 0, band: "low", risk: 20 }],
    warning: { postedDaysAgo: 6, band: "high", risk: 52, status: "snoozed" },
  },
];

async function seed(): Promise<void> {
  const prisma = db.prisma;
  const scans = new Map<number, string>();
  for (const n of [0, 3]) {
    const scan = await prisma.riskScan.create({ data: { asOf: dayOf(daysAgo(n)), startedAt: daysAgo(n) } });
    scans.set(n, scan.id);
  }
  for (const s of seeds) {
    const account = await prisma.account.create({
      data: {
        externalId: s.key.toUpperCase(),
        name: s.name,
        ownerSlackId: s.owner ?? null,
        channelId: `C${s.key.toUpperCase()}`,
        status: s.status ?? "active",
      },
    });
    ids[s.key] = account.id;
    for (const a of s.assessments)
      await prisma.riskAssessment.create({
        data: {
          scanId: scans.get(a.daysAgo) as string,
          accountId: account.id,
          asOf: dayOf(daysAgo(a.daysAgo)),
          risk: a.risk,
          band: a.band,
          verdict: "retain",
          reasons: [],
          createdAt: daysAgo(a.daysAgo),
        },
      });
    const w = s.warning;
    if (!w) continue;
    const postedAt = daysAgo(w.postedDaysAgo);
    await prisma.churnWarning.create({
      data: {
        accountId: account.id,
        asOf: dayOf(postedAt),
        risk: w.risk,
        band: w.band,
        reasons: [
          { code: "overdue", text: "next order 5 weeks overdue", strong: true },
          { code: "value_drop", text: "order value −38% vs previous 90 days", strong: false },
          { code: "contact", text: "purchasing contact changed", strong: true },
          { code: "quantity", text: "fourth reason, not shown", strong: false },
        ],
        verdict: "retain",
        verdictHeadline: "Retain",
        actions: [],
        dedupeKey: `${s.key}:test`,
        status: w.status,
        channelId: `C${s.key.toUpperCase()}`,
        messageTs: "1763000000.000100",
        postedAt,
        ...(w.status === "acknowledged" ? { acknowledgedBy: "U0BETA", acknowledgedAt: daysAgo(4) } : {}),
        ...(w.status === "snoozed"
          ? { snoozedBy: "U0GOLF", snoozedUntil: new Date(clock.getTime() + 7 * DAY) }
          : {}),
      },
    });
  }
}

const managerPosts = (): FakeSlackCall[] =>
  bot.fake.callsTo("chat.postMessage").filter((c) => c.body.channel === MANAGERS && !c.error);
const blocksText = (call: FakeSlackCall | undefined): string => textOf(call?.body.blocks as SlackBlock[]);

beforeAll(async () => {
  db = await createTestDatabase();
  await seed();
});

afterAll(async () => {
  await bot?.stop();
  await db?.drop();
});

describe("without MANAGERS_CHANNEL", () => {
  it("escalates nothing and posts no digest", async () => {
    const quiet = await startTestBot({ db, now: () => clock });
    try {
      expect(await quiet.runJob("warning-escalation")).toBe(true);
      expect(await quiet.runJob("warning-digest")).toBe(true);
      expect(quiet.fake.callsTo("chat.postMessage")).toEqual([]);
      expect(await db.prisma.churnWarning.count({ where: { escalatedAt: { not: null } } })).toBe(0);
    } finally {
      await quiet.stop();
    }
  });
});

describe("with MANAGERS_CHANNEL", () => {
  beforeAll(async () => {
    bot = await startTestBot({
      db,
      now: () => clock,
      env: { MANAGERS_CHANNEL: MANAGERS, ESCALATE_AFTER_DAYS: "3" },
    });
  });

  it("a failed post leaves the warning for the next run", async () => {
    bot.fake.failNext("chat.postMessage", "channel_not_found");
    expect(await bot.runJob("warning-escalation")).toBe(true);
    expect(managerPosts()).toEqual([]);
    const alpha = await db.prisma.churnWarning.findFirstOrThrow({ where: { accountId: ids.alpha } });
    expect(alpha.escalatedAt).toBeNull();
  });

  it("escalates only the unacknowledged high or critical warning older than the delay, once", async () => {
    expect(await bot.runJob("warning-escalation")).toBe(true);
    const posts = managerPosts();
    expect(posts).toHaveLength(1);
    const text = blocksText(posts[0]);
    expect(text).toContain("Unanswered churn warning: Alpha Tools");
    expect(text).toContain("Churn risk 88/100 · Critical");
    expect(text).toContain("Warned 5 days ago");
    expect(text).toContain("<@U0ALPHA>");
    expect(text).toContain("|See the original warning>");
    expect(text).toContain("https://");
    expect(text).toContain("next order 5 weeks overdue");
    expect(text).toContain("purchasing contact changed");
    expect(text).not.toContain("fourth reason");
    const permalink = bot.fake.callsTo("chat.getPermalink").at(-1);
    expect(permalink?.body).toMatchObject({ channel: "CALPHA", message_ts: "1763000000.000100" });

    const escalated = await db.prisma.churnWarning.findMany({ where: { escalatedAt: { not: null } } });
    expect(escalated.map((w) => w.accountId)).toEqual([ids.alpha]);

    expect(await bot.runJob("warning-escalation")).toBe(true);
    expect(managerPosts()).toHaveLength(1);
    expect(bot.fake.rejected).toEqual([]);
  });

  it("never escalates an acknowledged warning, however old", async () => {
    await db.prisma.churnWarning.updateMany({
      where: { accountId: ids.beta },
      data: { postedAt: daysAgo(30) },
    });
    expect(await bot.runJob("warning-escalation")).toBe(true);
    expect(managerPosts()).toHaveLength(1);
    const beta = await db.prisma.churnWarning.findFirstOrThrow({ where: { accountId: ids.beta } });
    expect(beta.escalatedAt).toBeNull();
  });

  it("escalates without a link when Slack gives no permalink", async () => {
    // Gamma's warning comes of age.
    await db.prisma.churnWarning.updateMany({
      where: { accountId: ids.gamma },
      data: { postedAt: daysAgo(4) },
    });
    bot.fake.failNext("chat.getPermalink", "message_not_found");
    expect(await bot.runJob("warning-escalation")).toBe(true);
    const posts = managerPosts();
    expect(posts).toHaveLength(2);
    const text = blocksText(posts[1]);
    expect(text).toContain("Unanswered churn warning: Gamma Goods");
    expect(text).toContain("owner no owner");
    expect(text).not.toContain("See the original warning");
  });

  it("the weekly digest lists the accounts most at risk and the week's warnings", async () => {
    expect(await bot.runJob("warning-digest")).toBe(true);
    const digest = managerPosts().at(-1);
    const text = blocksText(digest);
    expect(text).toContain("Churn warnings: weekly digest");
    expect(text).toContain("Warnings from 2026-11-17 to 2026-11-23");
    // Latest assessments only (Gamma is high now, not critical), lost accounts left out, highest risk first.
    expect(text).toContain("*Most at risk now* (3 high or critical)");
    const alpha = text.indexOf("*Alpha Tools* · Critical 88/100 · <@U0ALPHA>");
    const beta = text.indexOf("*Beta Bakery* · High 60/100 · <@U0BETA>");
    const gamma = text.indexOf("*Gamma Goods* · High 55/100 · no owner");
    expect(alpha).toBeGreaterThan(-1);
    expect(beta).toBeGreaterThan(alpha);
    expect(gamma).toBeGreaterThan(beta);
    expect(text).not.toContain("Echo Exports");
    expect(text).not.toContain("Delta Dairy");
    expect(text).toContain("*This week's warnings:* 4 · 1 acknowledged · 1 snoozed · 2 not acknowledged");
    const open = text.slice(text.indexOf("*Not acknowledged*"));
    expect(open).toContain("Alpha Tools");
    expect(open).toContain("Gamma Goods");
    expect(open).not.toContain("Beta Bakery");
    expect(open).not.toContain("Golf Gear");
    expect(bot.fake.rejected).toEqual([]);
  });

  it("escalates a warning whose snooze ran out unanswered, counting from the snooze's end", async () => {
    // Golf's snooze ended 2 days ago: not yet due (3 days), then 4 days ago: due.
    await db.prisma.churnWarning.updateMany({
      where: { accountId: ids.golf },
      data: { snoozedUntil: daysAgo(2) },
    });
    const before = managerPosts().length;
    expect(await bot.runJob("warning-escalation")).toBe(true);
    expect(managerPosts()).toHaveLength(before);
    await db.prisma.churnWarning.updateMany({
      where: { accountId: ids.golf },
      data: { snoozedUntil: daysAgo(4) },
    });
    expect(await bot.runJob("warning-escalation")).toBe(true);
    expect(managerPosts()).toHaveLength(before + 1);
    expect(blocksText(managerPosts().at(-1))).toContain("Unanswered churn warning: Golf Gear");
    expect(await bot.runJob("warning-escalation")).toBe(true);
    expect(managerPosts()).toHaveLength(before + 1);
  });

  it("takes over a claim left by a run that died, but not a live one", async () => {
    const hotel = await db.prisma.account.create({
      data: { externalId: "HOTEL", name: "Hotel Hardware", channelId: "CHOTEL" },
    });
    const warning = await db.prisma.churnWarning.create({
      data: {
        accountId: hotel.id,
        asOf: dayOf(daysAgo(6)),
        risk: 70,
        band: "high",
        reasons: [],
        verdict: "retain",
        verdictHeadline: "Retain",
        actions: [],
        dedupeKey: "hotel:test",
        status: "posted",
        channelId: "CHOTEL",
        messageTs: "1763000000.000200",
        postedAt: daysAgo(6),
      },
    });
    const claimAt = (at: Date) =>
      db.pool.query("UPDATE churn_warning SET escalation_claimed_at = $2 WHERE id = $1", [warning.id, at]);
    const hotelPosts = () => managerPosts().filter((c) => blocksText(c).includes("Hotel Hardware"));
    // Another instance is posting it right now: leave it alone.
    await claimAt(new Date(clock.getTime() - 5 * 60_000));
    expect(await bot.runJob("warning-escalation")).toBe(true);
    expect(hotelPosts()).toHaveLength(0);
    // That instance died two hours ago after claiming: this run posts it, once.
    await claimAt(new Date(clock.getTime() - 2 * 3_600_000));
    expect(await bot.runJob("warning-escalation")).toBe(true);
    expect(await bot.runJob("warning-escalation")).toBe(true);
    expect(hotelPosts()).toHaveLength(1);
    const { rows } = await db.pool.query(
      "SELECT escalated_at, escalation_claimed_at FROM churn_warning WHERE id = $1",
      [warning.id],
    );
    expect(rows[0].escalated_at).toEqual(clock);
    expect(rows[0].escalation_claimed_at).toBeNull();
  });
});
