// Churn warnings end to end: the daily scan creates and posts them once, buttons answer them, failures are not lost.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { webApi } from "@slack/bolt";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postPendingWarnings } from "../../src/services/warnings/post-pending-warnings.ts";
import { ids } from "../../src/slack/ids.ts";
import { buildChurnWarning, warningSnoozeActionId } from "../../src/slack/views/churn-warning.ts";
import { createBotWebClient } from "../../src/slack/web-client.ts";
import { type SlackBlock, textOf } from "../support/blocks.ts";
import { BOT_TOKEN, SIGNING_SECRET, startTestBot, type TestBot } from "../support/bot.ts";
import { testDeps } from "../support/deps.ts";
import type { FakeSlackCall } from "../support/fake-slack.ts";
import { blockActions, postInteraction } from "../support/slack-requests.ts";

let bot: TestBot;
let clock = new Date("2026-11-23T07:00:00Z");
const DAY = 86_400_000;
const WARNINGS_CHANNEL = "CWARNINGS";
let fadingId = "";

const postsTo = (channel: string): FakeSlackCall[] =>
  bot.fake.callsTo("chat.postMessage").filter((c) => c.body.channel === channel && !c.error);
const blocksText = (call: FakeSlackCall): string => textOf(call.body.blocks as SlackBlock[]);

/** Weekly orders for two years; a declining account's orders stop 14 weeks ago. */
async function seed() {
  const steady = await bot.db.prisma.account.create({
    data: { externalId: "R-1", name: "Steady Supplies Ltd", channelId: "CSTEADY" },
  });
  const fading = await bot.db.prisma.account.create({
    data: { externalId: "R-2", name: "Fading Foods Inc.", channelId: "CFADING" },
  });
  fadingId = fading.id;
  const orders: {
    accountId: string;
    externalId: string;
    orderedAt: Date;
    quantity: number;
    amount: bigint;
    cost: bigint;
    currency: string;
  }[] = [];
  const order = (accountId: string, externalId: string, orderedAt: Date, amount: bigint) =>
    orders.push({
      accountId,
      externalId,
      orderedAt,
      quantity: 10,
      amount,
      cost: (amount * 7n) / 10n,
      currency: "USD",
    });
  for (let week = 104; week >= 1; week--) {
    const at = new Date(clock.getTime() - week * 7 * DAY);
    order(steady.id, `S-${week}`, at, 100_000n);
    if (week > 14) order(fading.id, `D-${week}`, at, 100_000n);
  }
  // Filler accounts (no channel: their warnings go to the default channel) so the model has a population.
  for (let n = 0; n < 30; n++) {
    const filler = await bot.db.prisma.account.create({
      data: { externalId: `F-${n}`, name: `Filler ${n}` },
    });
    for (let k = 0; k < 1 + (n % 6); k++)
      order(filler.id, `F-${n}-${k}`, new Date(clock.getTime() - (20 + k * (15 + n)) * DAY), 5_000n);
  }
  await bot.db.prisma.order.createMany({ data: orders });
}

async function click(actionId: string, value: string, message: FakeSlackCall) {
  const channel = String(message.response.channel);
  const ts = String(message.response.ts);
  // waitFor also matches calls that arrived before: only an update after this click counts.
  const earlier = new Set(bot.fake.callsTo("chat.update"));
  const response = await postInteraction(
    bot.url,
    SIGNING_SECRET,
    blockActions({ actionId, value, channel: { id: channel, name: "fading" }, message: { ts } }),
  );
  expect(response.status).toBe(200);
  return bot.fake.waitFor(
    "chat.update",
    (c) => !earlier.has(c) && c.body.channel === channel && c.body.ts === ts,
  );
}

beforeAll(async () => {
  bot = await startTestBot({ now: () => clock, env: { WARNINGS_CHANNEL } });
  await seed();
});

afterAll(async () => {
  await bot?.stop();
});

describe("churn warnings from the daily scan", () => {
  it("posts exactly one warning in the declining account's channel, with its reasons and buttons", async () => {
    expect(await bot.runJob("risk-scan")).toBe(true);
    const posts = postsTo("CFADING");
    expect(posts).toHaveLength(1);
    const text = blocksText(posts[0] as FakeSlackCall);
    expect(text).toContain("Churn warning: Fading Foods Inc.");
    expect(text).toMatch(/Churn risk \d+\/100 · (High|Critical)/);
    expect(text).toContain("First assessment");
    expect(text).toContain("overdue (usual gap 7 days");
    expect(text).toContain("Verdict:");
    expect(text).toContain("Next steps");
    for (const label of ["Acknowledge", "Snooze 7 days", "Snooze 30 days", "Log action taken"])
      expect(text).toContain(label);
    expect(postsTo("CSTEADY")).toEqual([]);
    const warning = await bot.db.prisma.churnWarning.findFirstOrThrow({ where: { accountId: fadingId } });
    // Only a critical warning offers to start exit handling (§5).
    if (warning.band === "critical") expect(text).toContain("Start exit handling");
    else expect(text.toLowerCase()).not.toContain("exit");
    expect(warning).toMatchObject({
      status: "posted",
      channelId: "CFADING",
      messageTs: posts[0]?.response.ts,
      previousBand: null,
    });
    // Nothing left pending, and everything posted went through Block Kit validation.
    expect(await bot.db.prisma.churnWarning.count({ where: { status: "pending" } })).toBe(0);
    expect(bot.fake.rejected).toEqual([]);
  });

  it("posts nothing new on a rerun the same day, nor the next day in the same band", async () => {
    const before = bot.fake.callsTo("chat.postMessage").length;
    expect(await bot.runJob("risk-scan")).toBe(true);
    expect(bot.fake.callsTo("chat.postMessage")).toHaveLength(before);
    clock = new Date(clock.getTime() + DAY);
    expect(await bot.runJob("risk-scan")).toBe(true);
    expect(postsTo("CFADING")).toHaveLength(1);
    expect(await bot.db.prisma.churnWarning.count({ where: { accountId: fadingId } })).toBe(1);
  });

  /** As if yesterday's scan had read the account medium. */
  async function readMediumYesterday() {
    const latest = await bot.db.prisma.riskAssessment.findFirstOrThrow({
      where: { accountId: fadingId },
      orderBy: { asOf: "desc" },
    });
    await bot.db.prisma.riskAssessment.update({ where: { id: latest.id }, data: { band: "medium" } });
  }

  it("posts again when the account enters a higher band than it was warned about", async () => {
    // As if the first warning had been for medium, and yesterday's scan had read it medium too.
    await bot.db.prisma.churnWarning.updateMany({ where: { accountId: fadingId }, data: { band: "medium" } });
    await readMediumYesterday();
    clock = new Date(clock.getTime() + DAY);
    expect(await bot.runJob("risk-scan")).toBe(true);
    const posts = postsTo("CFADING");
    expect(posts).toHaveLength(2);
    expect(blocksText(posts[1] as FakeSlackCall)).toMatch(/Entered \*(High|Critical)\* from Medium/);
    expect(await bot.db.prisma.churnWarning.count({ where: { accountId: fadingId } })).toBe(2);
  });

  it("does not warn again when it bounces back into a band it was warned about days ago", async () => {
    await readMediumYesterday();
    clock = new Date(clock.getTime() + DAY);
    expect(await bot.runJob("risk-scan")).toBe(true);
    expect(postsTo("CFADING")).toHaveLength(2);
    expect(await bot.db.prisma.churnWarning.count({ where: { accountId: fadingId } })).toBe(2);
  });

  it("Acknowledge records who and when and updates the message", async () => {
    const message = postsTo("CFADING").at(-1) as FakeSlackCall;
    const warning = await bot.db.prisma.churnWarning.findFirstOrThrow({
      where: { messageTs: String(message.response.ts) },
    });
    const update = await click(ids.action.warningAcknowledge, warning.id, message);
    const row = await bot.db.prisma.churnWarning.findUniqueOrThrow({ where: { id: warning.id } });
    expect(row).toMatchObject({ status: "acknowledged", acknowledgedBy: "U0001", acknowledgedAt: clock });
    const text = textOf(update.body.blocks as SlackBlock[]);
    expect(text).toContain("Acknowledged by <@U0001>");
    expect(text).not.toContain("Acknowledge\n");
    expect(text).toContain("Snooze 30 days");
  });

  it("Snooze 30 days records it, updates the message, and holds back a new strong signal", async () => {
    const message = postsTo("CFADING").at(-1) as FakeSlackCall;
    const warning = await bot.db.prisma.churnWarning.findFirstOrThrow({
      where: { messageTs: String(message.response.ts) },
    });
    const update = await click(
      warningSnoozeActionId(30),
      JSON.stringify({ warningId: warning.id, days: 30 }),
      message,
    );
    const row = await bot.db.prisma.churnWarning.findUniqueOrThrow({ where: { id: warning.id } });
    expect(row).toMatchObject({
      status: "snoozed",
      snoozedBy: "U0001",
      snoozedUntil: new Date(clock.getTime() + 30 * DAY),
    });
    expect(textOf(update.body.blocks as SlackBlock[])).toContain("Snoozed by <@U0001> until");

    // A competitor turns up: strong, new, but the account is snoozed and its band is not higher.
    await bot.db.prisma.warningSign.create({
      data: {
        accountId: fadingId,
        kind: "competitor_activity",
        observedOn: clock,
        details: "Their buyer met a competitor's sales team",
        createdBy: "U0001",
      },
    });
    clock = new Date(clock.getTime() + DAY);
    expect(await bot.runJob("risk-scan")).toBe(true);
    // The scan did read it as a strong reason in the same band: only the snooze held the warning back.
    const [latest, before] = await bot.db.prisma.riskAssessment.findMany({
      where: { accountId: fadingId },
      orderBy: { asOf: "desc" },
      take: 2,
    });
    expect(latest?.band).toBe(before?.band);
    expect(JSON.stringify(latest?.reasons)).toContain('"code":"competitor_activity"');
    expect(JSON.stringify(before?.reasons)).not.toContain("competitor_activity");
    expect(postsTo("CFADING")).toHaveLength(2);
  });

  it("Log action taken opens the interaction modal for the account", async () => {
    const message = postsTo("CFADING").at(-1) as FakeSlackCall;
    await postInteraction(
      bot.url,
      SIGNING_SECRET,
      blockActions({
        actionId: ids.action.logInteraction,
        value: fadingId,
        message: { ts: String(message.response.ts) },
      }),
    );
    const open = await bot.fake.waitFor("views.open");
    expect((open.body.view as { callback_id: string }).callback_id).toBe(ids.view.interaction);
  });
});

describe("posting pending warnings", () => {
  const lines: { level: number; msg: string; slackError?: string }[] = [];
  const deps = () =>
    testDeps(bot.db, () => clock, {
      logger: pino({ level: "info" }, { write: (line: string) => void lines.push(JSON.parse(line)) }),
    });
  const slack = () => new webApi.WebClient(BOT_TOKEN, { slackApiUrl: bot.fake.apiUrl });

  /** A warning created but never posted, as a crash between the two steps leaves it. */
  async function pendingWarning(accountName: string, channelId: string | null) {
    const account = await bot.db.prisma.account.create({
      data: { externalId: `P-${accountName}`, name: accountName, channelId },
    });
    return bot.db.prisma.churnWarning.create({
      data: {
        accountId: account.id,
        asOf: new Date("2026-11-23T00:00:00Z"),
        risk: 80,
        band: "critical",
        reasons: [
          { code: "order_overdue", text: "next order 5 weeks overdue (usual gap 3 weeks)", strong: true },
        ],
        verdict: "fight_hard",
        verdictHeadline: "Fight hard: its future profit alone is worth the retention cost",
        actions: [{ action: "ask_next_order", text: "Call the purchasing contact about their next order" }],
        dedupeKey: `${account.id}:band:critical:2026-11-23`,
      },
    });
  }

  it("the next job run posts warnings left pending by a crash, once", async () => {
    const left = await pendingWarning("Crashed Co", "CCRASHED");
    expect(await bot.runJob("risk-scan")).toBe(true);
    expect(postsTo("CCRASHED")).toHaveLength(1);
    expect(await bot.db.prisma.churnWarning.findUniqueOrThrow({ where: { id: left.id } })).toMatchObject({
      status: "posted",
      channelId: "CCRASHED",
    });
    expect(await bot.runJob("risk-scan")).toBe(true);
    expect(postsTo("CCRASHED")).toHaveLength(1);
  });

  it("two runs at once post each warning once", async () => {
    await pendingWarning("Twice A", "CTWICEA");
    await pendingWarning("Twice B", "CTWICEB");
    const [first, second] = await Promise.all([
      postPendingWarnings(deps(), {
        slack: slack(),
        defaultChannelId: WARNINGS_CHANNEL,
        render: buildChurnWarning,
      }),
      postPendingWarnings(deps(), {
        slack: slack(),
        defaultChannelId: WARNINGS_CHANNEL,
        render: buildChurnWarning,
      }),
    ]);
    expect((first?.posted ?? 0) + (second?.posted ?? 0)).toBe(2);
    expect(postsTo("CTWICEA")).toHaveLength(1);
    expect(postsTo("CTWICEB")).toHaveLength(1);
  });

  it("goes to the default channel saying where it belonged when the bot is not in the channel, and logs it", async () => {
    const warning = await pendingWarning("Uninvited Ltd", "CUNINVITED");
    bot.fake.failNext("chat.postMessage", "not_in_channel");
    const result = await postPendingWarnings(deps(), {
      slack: slack(),
      defaultChannelId: WARNINGS_CHANNEL,
      render: buildChurnWarning,
    });
    expect(result).toEqual({ posted: 1, failed: 0 });
    const notice = postsTo(WARNINGS_CHANNEL).at(-1) as FakeSlackCall;
    const text = blocksText(notice);
    expect(text).toContain("Churn warning: Uninvited Ltd");
    expect(text).toContain(
      "This warning belongs in <#CUNINVITED>, but the bot is not a member of that channel",
    );
    expect(await bot.db.prisma.churnWarning.findUniqueOrThrow({ where: { id: warning.id } })).toMatchObject({
      status: "posted",
      channelId: WARNINGS_CHANNEL,
      intendedChannelId: "CUNINVITED",
      misrouteError: "not_in_channel",
    });
    expect(lines.some((l) => l.level === 40 && l.slackError === "not_in_channel")).toBe(true);
  });

  it("keeps a warning pending when Slack refuses the post, and posts it on the next run", async () => {
    const warning = await pendingWarning("Limited Inc", "CLIMITED");
    bot.fake.failNext("chat.postMessage", "ratelimited");
    const failed = await postPendingWarnings(deps(), {
      slack: slack(),
      defaultChannelId: WARNINGS_CHANNEL,
      render: buildChurnWarning,
    });
    expect(failed).toEqual({ posted: 0, failed: 1 });
    expect(await bot.db.prisma.churnWarning.findUniqueOrThrow({ where: { id: warning.id } })).toMatchObject({
      status: "pending",
      claimedAt: null,
      lastPostError: "ratelimited",
    });
    expect(lines.some((l) => l.level === 50 && l.slackError === "ratelimited")).toBe(true);
    const retried = await postPendingWarnings(deps(), {
      slack: slack(),
      defaultChannelId: WARNINGS_CHANNEL,
      render: buildChurnWarning,
    });
    expect(retried).toEqual({ posted: 1, failed: 0 });
    expect(postsTo("CLIMITED")).toHaveLength(1);
  });

  it("with no channel anywhere it stays pending and logs an error", async () => {
    const warning = await pendingWarning("Nowhere Corp", null);
    const result = await postPendingWarnings(deps(), {
      slack: slack(),
      defaultChannelId: undefined,
      render: buildChurnWarning,
    });
    expect(result).toEqual({ posted: 0, failed: 1 });
    expect((await bot.db.prisma.churnWarning.findUniqueOrThrow({ where: { id: warning.id } })).status).toBe(
      "pending",
    );
    expect(lines.some((l) => l.level === 50 && l.msg.includes("nowhere to go"))).toBe(true);
    await bot.db.prisma.churnWarning.delete({ where: { id: warning.id } });
  });

  it("waits out an HTTP 429 and posts once (the bot's client retries after Retry-After)", async () => {
    // A proxy in front of the fake: the first chat.postMessage gets a real 429, the rest pass through.
    let limited = 0;
    const proxy = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      if (req.url?.endsWith("/chat.postMessage") && limited === 0) {
        limited += 1;
        res.writeHead(429, { "retry-after": "0" }).end();
        return;
      }
      const answer = await fetch(`${bot.fake.url}${req.url}`, {
        method: req.method ?? "POST",
        headers: {
          "content-type": String(req.headers["content-type"]),
          authorization: String(req.headers.authorization),
        },
        body: Buffer.concat(chunks),
      });
      res.writeHead(answer.status, { "content-type": "application/json" }).end(await answer.text());
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = proxy.address() as AddressInfo;
      await pendingWarning("Throttled AG", "CTHROTTLED");
      const result = await postPendingWarnings(deps(), {
        slack: createBotWebClient(BOT_TOKEN, `http://127.0.0.1:${port}/api/`),
        defaultChannelId: WARNINGS_CHANNEL,
        render: buildChurnWarning,
      });
      expect(limited).toBe(1);
      expect(result).toEqual({ posted: 1, failed: 0 });
      expect(postsTo("CTHROTTLED")).toHaveLength(1);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});
