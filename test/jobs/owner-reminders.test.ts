// Key-account reminders end to end: the hourly job DMs each owner at 9:00 in their own Slack time zone,
// cadence and key dates once each across runs and days, a new interaction starts a new period, a failed
// DM is retried on the next run; non-key, lost and ownerless accounts get none.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { KeyBasis } from "../../src/generated/prisma/client.ts";
import { textOf } from "../support/blocks.ts";
import { startTestBot, type TestBot } from "../support/bot.ts";

let clock = new Date("2026-11-23T12:00:00Z");
let bot: TestBot;
const ids: Record<string, string> = {};

const TOKYO = "UTOKYO";
const LA = "ULOSANGELES";

async function account(
  key: string,
  data: { owner: string | null; status?: "active" | "lost"; foundedOn?: string },
  classes: { keyBasis: KeyBasis | null; face: "red" | "white" | null; fromDay: string; createdAt: string }[],
) {
  const row = await bot.db.prisma.account.create({
    data: {
      externalId: key,
      name: `${key} Ltd`,
      ownerSlackId: data.owner,
      status: data.status ?? "active",
      foundedOn: data.foundedOn ? new Date(`${data.foundedOn}T00:00:00Z`) : null,
    },
  });
  for (const c of classes) {
    await bot.db.prisma.accountClass.create({
      data: {
        accountId: row.id,
        fromDay: new Date(`${c.fromDay}T00:00:00Z`),
        keyBasis: c.keyBasis,
        face: c.face,
        relationship: "transactional",
        trailingRevenue: 100_000n,
        currency: "EUR",
        why: {},
        createdAt: new Date(`${c.createdAt}T06:00:00Z`),
      },
    });
  }
  ids[key] = row.id;
  return row.id;
}

async function interaction(accountId: string, occurredOn: string, kind: "visit" | "email", summary: string) {
  await bot.db.prisma.interaction.create({
    data: { accountId, kind, occurredOn: new Date(`${occurredOn}T00:00:00Z`), summary, createdBy: "U0REP" },
  });
}

const dms = (owner?: string) =>
  bot.fake.callsTo("chat.postMessage").filter((c) => owner === undefined || c.body.channel === owner);
const dmText = (owner: string) => dms(owner).map((c) => textOf((c.body.blocks ?? []) as never));

async function runAt(iso: string) {
  clock = new Date(iso);
  expect(await bot.runJob("owner-reminders")).toBe(true);
}

beforeAll(async () => {
  bot = await startTestBot({
    now: () => clock,
    env: { CADENCE_DAYS: "key=30,red=21", HOLIDAYS: "12-25 Christmas", KEY_DATE_NOTICE_DAYS: "3" },
  });
  bot.fake.setUser({ id: TOKYO, tz: "Asia/Tokyo" });
  bot.fake.setUser({ id: LA, tz: "America/Los_Angeles" });

  // Tokyo's red-face key account: last visit 2026-10-20, so contact is overdue from 2026-11-11 (21 days).
  const red = await account("RED", { owner: TOKYO }, [
    { keyBasis: "revenue", face: "red", fromDay: "2026-06-01", createdAt: "2026-06-01" },
  ]);
  await interaction(red, "2026-09-01", "email", "Old email");
  await interaction(red, "2026-10-20", "visit", "Discussed Q1 volumes");
  await bot.db.prisma.contact.create({
    data: { accountId: red, name: "Paula Schmidt", birthday: new Date("1980-11-26T00:00:00Z") },
  });
  await bot.db.prisma.contact.create({
    data: {
      accountId: red,
      name: "Tom Berger (left)",
      birthday: new Date("1970-11-25T00:00:00Z"),
      endedOn: new Date("2026-10-01T00:00:00Z"),
    },
  });
  // LA's key account: never contacted, key since 2026-09-01, first order 2024-11-25 (anniversary ahead).
  const white = await account("WHITE", { owner: LA }, [
    { keyBasis: "designated", face: "white", fromDay: "2026-09-01", createdAt: "2026-09-01" },
  ]);
  await bot.db.prisma.order.create({
    data: {
      accountId: white,
      externalId: "O-1",
      orderedAt: new Date("2024-11-25T10:00:00Z"),
      quantity: 1,
      amount: 1000n,
      currency: "EUR",
    },
  });
  // Key once, not any more: no reminders.
  await account("FORMER", { owner: TOKYO, foundedOn: "2000-11-25" }, [
    { keyBasis: "revenue", face: "red", fromDay: "2026-01-01", createdAt: "2026-01-01" },
    { keyBasis: null, face: null, fromDay: "2026-08-01", createdAt: "2026-08-01" },
  ]);
  // Key, but lost, or without an owner: no reminders.
  await account("LOST", { owner: LA, status: "lost", foundedOn: "2000-11-25" }, [
    { keyBasis: "revenue", face: null, fromDay: "2026-01-01", createdAt: "2026-01-01" },
  ]);
  await account("NOBODY", { owner: null, foundedOn: "2000-11-25" }, [
    { keyBasis: "revenue", face: null, fromDay: "2026-01-01", createdAt: "2026-01-01" },
  ]);
  // Never classified: not key.
  await account("PLAIN", { owner: TOKYO, foundedOn: "2000-11-25" }, []);
});

afterAll(async () => {
  await bot?.stop();
});

beforeEach(() => {
  bot.fake.reset();
});

describe("owner reminders job", () => {
  it("reaches each owner at 9:00 in their own zone, once, and nobody at other hours", async () => {
    // 2026-11-23 17:00 UTC: 09:00 in Los Angeles (23 Nov), 02:00 in Tokyo (24 Nov).
    await runAt("2026-11-23T17:00:00Z");
    expect(dms().map((c) => c.body.channel)).toEqual([LA]);
    expect(dmText(LA)).toEqual([
      [
        ":handshake: *1 key account to contact, 1 key date ahead (2026-11-23).*",
        "*WHITE Ltd* · white face",
        "• :hourglass: No contact logged (counting from 2026-09-01) · every 30 days · :warning: overdue by 53 days",
        "      _Suggested:_ No contact is logged yet: call your main contact, introduce yourself as their account owner and agree when to meet.",
        "• :handshake: 2 years since their first order in 2 days (2026-11-25)",
        "      _Suggested:_ Thank them for 2 years of working together, and ask what we could do better next year.",
        "No interaction logged yet",
      ].join("\n"),
    ]);
    expect(bot.fake.rejected).toEqual([]);

    // The same hour again, and Tokyo's 03:00 and 08:00: nothing.
    await runAt("2026-11-23T17:00:00Z");
    await runAt("2026-11-23T18:00:00Z");
    await runAt("2026-11-23T23:00:00Z");
    expect(dms()).toHaveLength(1);

    // 2026-11-24 00:00 UTC: 09:00 in Tokyo (24 Nov), 16:00 in Los Angeles.
    await runAt("2026-11-24T00:00:00Z");
    expect(dms().map((c) => c.body.channel)).toEqual([LA, TOKYO]);
    const [tokyo] = dmText(TOKYO);
    expect(tokyo).toBe(
      [
        ":handshake: *1 key account to contact, 1 key date ahead (2026-11-24).*",
        "*RED Ltd* · red face",
        "• :hourglass: Last contact 35 days ago · every 21 days · :warning: overdue by 14 days",
        "      _Suggested:_ Call your main contact personally: ask how things are going and whether anything bothers them.",
        "• :birthday: Paula Schmidt's birthday in 2 days (2026-11-26)",
        "      _Suggested:_ Call Paula Schmidt on the day to wish a happy birthday, and send a personal card.",
        "Last interaction 2026-10-20 · Visit — Discussed Q1 volumes",
      ].join("\n"),
    );
    // Each owner's zone was read from Slack once and cached.
    expect(
      bot.fake
        .callsTo("users.info")
        .map((c) => String(c.body.user))
        .sort(),
    ).toEqual([LA, TOKYO]);
    expect(
      await bot.db.prisma.slackUser.findMany({
        orderBy: { slackId: "asc" },
        select: { slackId: true, timeZone: true },
      }),
    ).toEqual([
      { slackId: LA, timeZone: "America/Los_Angeles" },
      { slackId: TOKYO, timeZone: "Asia/Tokyo" },
    ]);

    // Next day at each owner's 9:00: the same occasions are not sent again.
    await runAt("2026-11-24T00:00:00Z");
    await runAt("2026-11-24T17:00:00Z");
    await runAt("2026-11-25T00:00:00Z");
    expect(dms()).toHaveLength(2);
    const rows = await bot.db.prisma.ownerReminder.findMany({
      orderBy: [{ ownerSlackId: "asc" }, { kind: "asc" }],
    });
    expect(
      rows.map((r) => [r.ownerSlackId, r.kind, r.occasionOn.toISOString().slice(0, 10), r.sentAt !== null]),
    ).toEqual([
      [LA, "cadence", "2026-10-02", true],
      [LA, "first_order_anniversary", "2026-11-25", true],
      [TOKYO, "cadence", "2026-11-11", true],
      [TOKYO, "birthday", "2026-11-26", true],
    ]);
  });

  it("a new interaction starts a new period: reminded again only once that one is overdue", async () => {
    await interaction(ids.RED ?? "", "2026-11-24", "email", "Sent the Q1 offer");
    // 15 Dec in Tokyo: 21 days since, due today, no reminder.
    await runAt("2026-12-15T00:00:00Z");
    expect(dms(TOKYO)).toEqual([]);
    // 16 Dec: overdue by 1 day, a new occasion; the suggestion asks for a visit after a remote contact.
    await runAt("2026-12-16T00:00:00Z");
    await runAt("2026-12-16T00:00:00Z");
    expect(dmText(TOKYO)).toEqual([
      [
        ":handshake: *1 key account to contact (2026-12-16).*",
        "*RED Ltd* · red face",
        "• :hourglass: Last contact 22 days ago · every 21 days · :warning: overdue by 1 day",
        "      _Suggested:_ Go and see them: the last contact was remote, and a red-face account deserves a visit in person.",
        "Last interaction 2026-11-24 · Email — Sent the Q1 offer",
      ].join("\n"),
    ]);
  });

  it("retries a failed DM on the next run, and then never again", async () => {
    // 22 Dec 09:00 in Tokyo: Christmas is 3 days ahead.
    bot.fake.failNext("chat.postMessage", "ratelimited");
    await runAt("2026-12-22T00:00:00Z");
    expect(dms(TOKYO).map((c) => c.error)).toEqual(["ratelimited"]);
    expect(await bot.db.prisma.ownerReminder.count({ where: { kind: "holiday", sentAt: null } })).toBe(1);

    bot.fake.reset();
    await runAt("2026-12-22T01:00:00Z");
    expect(dmText(TOKYO)).toHaveLength(1);
    expect(dmText(TOKYO)[0]).toContain(":calendar: Christmas in 3 days (2026-12-25)");
    expect(dmText(TOKYO)[0]).toContain("Send Christmas greetings to your contacts");
    await runAt("2026-12-22T02:00:00Z");
    await runAt("2026-12-23T00:00:00Z");
    expect(dmText(TOKYO)).toHaveLength(1);
    expect(await bot.db.prisma.ownerReminder.count({ where: { sentAt: null } })).toBe(0);
  });

  it("an owner with more accounts than one message holds gets the rest in the next hour's message", async () => {
    const BUSY = "UBUSY";
    bot.fake.setUser({ id: BUSY, tz: "UTC" });
    for (let n = 0; n < 45; n++)
      await account(`BUSY${String(n).padStart(2, "0")}`, { owner: BUSY }, [
        { keyBasis: "revenue", face: null, fromDay: "2026-01-01", createdAt: "2026-01-01" },
      ]);
    bot.fake.reset();
    await runAt("2026-12-28T09:00:00Z");
    expect(dmText(BUSY)).toHaveLength(1);
    expect(dmText(BUSY)[0]).toContain("…and 5 more accounts: the next message follows within the hour");
    expect(await bot.db.prisma.ownerReminder.count({ where: { ownerSlackId: BUSY, sentAt: null } })).toBe(5);

    await runAt("2026-12-28T10:00:00Z");
    expect(dmText(BUSY)).toHaveLength(2);
    expect(dmText(BUSY)[1]).toContain("5 key accounts to contact");
    expect(await bot.db.prisma.ownerReminder.count({ where: { ownerSlackId: BUSY, sentAt: null } })).toBe(0);
    await runAt("2026-12-28T11:00:00Z");
    expect(dmText(BUSY)).toHaveLength(2);
  });
});
