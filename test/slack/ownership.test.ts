// Handovers and rep departures end to end: signed slash commands and user_change events in, the fake Slack
// and a real database behind, with roles on (one configured manager).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type SlackBlock, textOf } from "../support/blocks.ts";
import { SIGNING_SECRET, startTestBot, type TestBot } from "../support/bot.ts";
import { eventCallback, postEvent, postSlashCommand } from "../support/slack-requests.ts";

const NOW = new Date("2026-11-23T12:00:00Z");
const MANAGER = "UMANAGER";
let bot: TestBot;
let acmeId: string;
let northwindId: string;

/** `/customer <text>` typed by `userId`, as Slack sends it with should_escape: the private answer's text. */
async function command(userId: string, text: string): Promise<string> {
  const responseUrl = bot.fake.responseUrl();
  const res = await postSlashCommand(bot.url, SIGNING_SECRET, {
    command: "/customer",
    text,
    user_id: userId,
    response_url: responseUrl,
  });
  expect(res.status).toBe(200);
  const call = await bot.fake.waitFor(
    "response_url",
    (c) => c.responseId !== undefined && responseUrl.endsWith(c.responseId),
  );
  return `${String(call.body.text ?? "")}\n${textOf((call.body.blocks ?? []) as SlackBlock[])}`;
}

function ownerOf(id: string) {
  return bot.db.prisma.account.findUniqueOrThrow({ where: { id }, select: { ownerSlackId: true } });
}

function dmsTo(user: string) {
  return bot.fake.callsTo("chat.postMessage").filter((c) => c.body.channel === user && !c.error);
}

function userChange(userId: string, deleted: boolean, eventId: string, tz = "Europe/Berlin") {
  return eventCallback(
    {
      type: "user_change",
      user: { id: userId, team_id: "T0001", name: userId.toLowerCase(), deleted, is_bot: false, tz },
      cache_ts: 1764000000,
      event_ts: "1764000000.000100",
    },
    { event_id: eventId },
  );
}

beforeAll(async () => {
  bot = await startTestBot({ now: () => NOW, env: { MANAGER_USER_IDS: MANAGER } });
  const { prisma } = bot.db;
  const acme = await prisma.account.create({
    data: {
      externalId: "C-1001",
      name: "ACME Corporation",
      ownerSlackId: "UREP1",
      foundedOn: new Date("2000-12-10"),
    },
  });
  acmeId = acme.id;
  const northwind = await prisma.account.create({
    data: { externalId: "C-2001", name: "Northwind Foods", ownerSlackId: "UREP1" },
  });
  northwindId = northwind.id;
  await prisma.account.create({
    data: { externalId: "C-3001", name: "Harbor Trading", ownerSlackId: "UREP2" },
  });
  await prisma.account.create({
    data: { externalId: "C-3002", name: "Lost Ltd", ownerSlackId: "UREP2", status: "lost" },
  });
  await prisma.account.create({
    data: { externalId: "C-4001", name: "Quay Partners", ownerSlackId: "UREP3" },
  });
  await prisma.contact.create({
    data: {
      accountId: acme.id,
      name: "Paula Purchase",
      role: "purchasing",
      birthday: new Date("1980-12-03"),
    },
  });
  await prisma.order.create({
    data: {
      accountId: acme.id,
      externalId: "O-1",
      orderedAt: new Date("2019-01-05T10:00:00Z"),
      quantity: 1,
      amount: 100000n,
      currency: "EUR",
    },
  });
  await prisma.complaint.create({
    data: {
      accountId: acme.id,
      category: "delivery",
      severity: "high",
      description: "Late deliveries on three orders",
      ownerSlackId: "UREP1",
      createdBy: "UREP1",
    },
  });
  await prisma.followUp.createMany({
    data: [
      {
        accountId: acme.id,
        description: "Send the Q1 price list",
        dueOn: new Date("2026-11-30"),
        ownerSlackId: "UREP1",
        createdBy: "UREP1",
      },
      {
        accountId: acme.id,
        description: "Already done",
        dueOn: new Date("2026-11-01"),
        ownerSlackId: "UREP1",
        createdBy: "UREP1",
        doneAt: new Date("2026-11-02T10:00:00Z"),
      },
    ],
  });
});

afterAll(async () => {
  await bot?.stop();
});

describe("/customer handover", () => {
  it("refuses a rep, and bad input, with a clear message and changes nothing", async () => {
    expect(await command("UREP1", "handover <@UREP1|rep1> <@UNEW|new>")).toContain("Only managers");
    expect(await command(MANAGER, "handover <@UREP1|rep1> <@UREP1|rep1>")).toContain("themselves");
    expect(await command(MANAGER, "handover <@UREP1|rep1>")).toContain("Name who takes over");
    expect(await command(MANAGER, "handover maria <@UNEW|new>")).toContain('"maria" is not a Slack user');
    expect(await command(MANAGER, "handover <@UNOBODY|x> <@UNEW|new>")).toContain("owns no accounts");
    // One unknown name among known ones: nothing at all is handed over.
    const unknown = await command(MANAGER, "handover <@UREP1|rep1> <@UNEW|new> acme, zzqqxx");
    expect(unknown).toContain("Nothing was handed over");
    expect(unknown).toContain('no account matching "zzqqxx"');
    bot.fake.failNext("users.info", "user_not_found");
    expect(await command(MANAGER, "handover <@UREP1|rep1> UGHOST")).toMatch(/Slack knows no user/);
    expect((await ownerOf(acmeId)).ownerSlackId).toBe("UREP1");
    expect(await bot.db.prisma.accountOwnerChange.count()).toBe(0);
    expect(dmsTo("UNEW")).toHaveLength(0);
  });

  it("hands over the named account with its open work and sends the new owner a brief", async () => {
    const answer = await command(MANAGER, "handover <@UREP1|rep1> <@UNEW|new> acme");
    expect(answer).toContain("Handed over 1 account from <@UREP1> to <@UNEW>");
    expect(answer).toContain("1 open follow-up");
    expect(answer).toContain("1 open complaint");

    expect((await ownerOf(acmeId)).ownerSlackId).toBe("UNEW");
    expect((await ownerOf(northwindId)).ownerSlackId).toBe("UREP1");
    const followUps = await bot.db.prisma.followUp.findMany({
      where: { accountId: acmeId },
      orderBy: { dueOn: "asc" },
    });
    expect(followUps.map((f) => [f.description, f.ownerSlackId])).toEqual([
      ["Already done", "UREP1"],
      ["Send the Q1 price list", "UNEW"],
    ]);
    const changes = await bot.db.prisma.accountOwnerChange.findMany();
    expect(changes).toMatchObject([
      { accountId: acmeId, fromSlackId: "UREP1", toSlackId: "UNEW", reason: "handover", changedBy: MANAGER },
    ]);

    const brief = await bot.fake.waitFor("chat.postMessage", (c) => c.body.channel === "UNEW");
    expect(brief.error).toBeUndefined();
    const text = textOf(brief.body.blocks as SlackBlock[]);
    expect(text).toContain("Handover: ACME Corporation");
    expect(text).toContain("handed over from <@UREP1>");
    expect(text).toContain("Open complaints (1)");
    expect(text).toContain("Late deliveries on three orders");
    expect(text).toContain("Open follow-ups (1)");
    expect(text).toContain("Send the Q1 price list");
    expect(text).not.toContain("Already done");
    expect(text).toContain("• :birthday: Paula Purchase's birthday in 10 days (2026-12-03)");
    expect(text).toContain("• :tada: 26 years since their founding in 17 days (2026-12-10)");
    expect(text).toContain("• :handshake: 8 years since their first order in 43 days (2027-01-05)");
  });

  it("hands over all of a rep's accounts when none are named (raw user IDs work too)", async () => {
    const answer = await command(MANAGER, "handover UREP1 <@UNEW2|other>");
    expect(answer).toContain("Handed over 1 account from <@UREP1> to <@UNEW2>");
    expect((await ownerOf(northwindId)).ownerSlackId).toBe("UNEW2");
    expect(await command(MANAGER, "handover UREP1 <@UNEW2|other>")).toContain("owns no accounts");
  });
});

describe("rep departures", () => {
  it("a deactivated user: records the departure once, signs their accounts, alerts the manager; a replay adds nothing", async () => {
    const event = userChange("UREP2", true, "EvDEACT0001");
    expect((await postEvent(bot.url, SIGNING_SECRET, event)).status).toBe(200);
    const alert = await bot.fake.waitFor("chat.postMessage", (c) => c.body.channel === MANAGER);
    expect(alert.error).toBeUndefined();
    const text = textOf(alert.body.blocks as SlackBlock[]);
    expect(text).toContain("<@UREP2> is leaving");
    expect(text).toContain("deactivated");
    expect(text).toContain("Harbor Trading");
    expect(text).not.toContain("Lost Ltd");
    expect(text).toContain("/customer handover");

    // Slack's retry of the same event, then the manager records the same rep leaving.
    const retry = await postEvent(bot.url, SIGNING_SECRET, event, {
      headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" },
    });
    expect(retry.status).toBe(200);
    const answer = await command(MANAGER, "rep-leaving <@UREP2|rep2>");
    expect(answer).toContain("already recorded on 2026-11-23 (Slack deactivated them)");
    expect(answer).toContain("already carry");
    expect(answer).toContain("alerted before");

    const departures = await bot.db.prisma.repDeparture.findMany({ where: { slackId: "UREP2" } });
    expect(departures).toMatchObject([{ source: "deactivated", recordedBy: null }]);
    const signs = await bot.db.prisma.warningSign.findMany({ where: { kind: "rep_leaving" } });
    expect(signs).toHaveLength(1);
    expect(signs[0]?.details).toContain("<@UREP2>");
    expect(dmsTo(MANAGER).filter((c) => String(c.body.text).includes("UREP2"))).toHaveLength(1);
    // Nothing deleted, owner kept until a handover.
    expect(await bot.db.prisma.account.count({ where: { ownerSlackId: "UREP2" } })).toBe(2);
  });

  it("a user_change that is not a deactivation records nothing", async () => {
    await postEvent(bot.url, SIGNING_SECRET, userChange("UREP3", false, "EvCHANGE0001"));
    // The command for another rep runs after; the first event had nothing to do.
    expect(await command("UREP1", "rep-leaving <@UREP3|rep3>")).toContain("Only managers");
    expect(await bot.db.prisma.repDeparture.count({ where: { slackId: "UREP3" } })).toBe(0);
  });

  it("remembers a changed time zone and a deactivation for the owner reminders", async () => {
    await postEvent(bot.url, SIGNING_SECRET, userChange("UREP9", false, "EvCHANGE0009", "Asia/Tokyo"));
    await vi.waitFor(async () =>
      expect(await bot.db.prisma.slackUser.findUnique({ where: { slackId: "UREP9" } })).toMatchObject({
        timeZone: "Asia/Tokyo",
        deleted: false,
      }),
    );
    await postEvent(bot.url, SIGNING_SECRET, userChange("UREP9", true, "EvCHANGE0010", "Asia/Tokyo"));
    await vi.waitFor(async () =>
      expect(await bot.db.prisma.slackUser.findUnique({ where: { slackId: "UREP9" } })).toMatchObject({
        deleted: true,
      }),
    );
  });

  it("a manager records a rep leaving; the later deactivation adds no second sign or alert", async () => {
    const answer = await command(MANAGER, "rep-leaving <@UREP3|rep3>");
    expect(answer).toContain("Recorded: <@UREP3> is leaving");
    expect(answer).toContain("Quay Partners");
    const alert = await bot.fake.waitFor(
      "chat.postMessage",
      (c) => c.body.channel === MANAGER && String(c.body.text).includes("UREP3"),
    );
    expect(textOf(alert.body.blocks as SlackBlock[])).toContain("recorded by <@UMANAGER>");

    await postEvent(bot.url, SIGNING_SECRET, userChange("UREP3", true, "EvDEACT0002"));
    expect(await command(MANAGER, "rep-leaving UREP3")).toContain("already recorded");
    expect(await bot.db.prisma.repDeparture.findUnique({ where: { slackId: "UREP3" } })).toMatchObject({
      source: "recorded",
      recordedBy: MANAGER,
    });
    expect(
      await bot.db.prisma.warningSign.count({ where: { kind: "rep_leaving", createdBy: MANAGER } }),
    ).toBe(1);
    expect(dmsTo(MANAGER).filter((c) => String(c.body.text).includes("UREP3"))).toHaveLength(1);
  });

  it("existing subcommands still read escaped text: a lookup with &", async () => {
    await bot.db.prisma.account.create({ data: { externalId: "C-5001", name: "AT&T Services" } });
    const answer = await command(MANAGER, "AT&amp;T Services");
    expect(answer).toContain("Account card: AT&T Services");
  });
});
