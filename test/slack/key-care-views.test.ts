// The card and the Home tab show a key account's contact cadence and its key dates ahead (§7), end to
// end through /customer and app_home_opened; accounts that are not key show no cadence.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { textOf } from "../support/blocks.ts";
import { runCustomerCommand, SIGNING_SECRET, startTestBot, type TestBot } from "../support/bot.ts";
import { eventCallback, postEvent } from "../support/slack-requests.ts";

// 2026-11-23 10:00 in Shanghai.
const NOW = new Date("2026-11-23T02:00:00Z");
const MARIA = "U0MARIA";
let bot: TestBot;
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

async function keyAccount(externalId: string, name: string, face: "red" | "white" | null, key = true) {
  const account = await bot.db.prisma.account.create({ data: { externalId, name, ownerSlackId: MARIA } });
  await bot.db.prisma.accountClass.create({
    data: {
      accountId: account.id,
      fromDay: day("2026-01-05"),
      keyBasis: key ? "revenue" : null,
      face,
      relationship: "partnership",
      trailingRevenue: 5_000_000n,
      currency: "EUR",
      why: {},
    },
  });
  return account.id;
}

beforeAll(async () => {
  bot = await startTestBot({
    now: () => NOW,
    env: { TIME_ZONE: "Asia/Shanghai", CADENCE_DAYS: "key=30,red=14", HOLIDAYS: "11-25 Founders Day" },
  });
  const acme = await keyAccount("A-1", "Acme Tools", "red");
  await bot.db.prisma.interaction.create({
    data: {
      accountId: acme,
      kind: "visit",
      occurredOn: day("2026-11-01"),
      summary: "Plant tour",
      createdBy: MARIA,
    },
  });
  await bot.db.prisma.contact.create({
    data: { accountId: acme, name: "Paula Schmidt", birthday: day("1985-11-24") },
  });
  const beta = await keyAccount("B-1", "Beta Foods", null);
  await bot.db.prisma.interaction.create({
    data: {
      accountId: beta,
      kind: "call",
      occurredOn: day("2026-11-13"),
      summary: "Checked in",
      createdBy: MARIA,
    },
  });
  await keyAccount("C-1", "Gamma Plain", null, false);
});

afterAll(async () => {
  await bot?.stop();
});

describe("cadence on the card", () => {
  it("shows where contact stands against the face's cadence and the key dates ahead", async () => {
    const { text } = await runCustomerCommand(bot, "acme tools");
    expect(text).toContain(
      [
        "*Contact cadence* · key account, red face",
        ":hourglass: Last contact 22 days ago · every 14 days · :warning: overdue by 8 days",
        ":birthday: Paula Schmidt's birthday tomorrow (2026-11-24)",
        ":calendar: Founders Day in 2 days (2026-11-25)",
      ].join("\n"),
    );
  });

  it("shows the key default for an account without a face, and nothing for one that is not key", async () => {
    expect((await runCustomerCommand(bot, "beta foods")).text).toContain(
      "*Contact cadence* · key account\n:hourglass: Last contact 10 days ago · every 30 days · due in 20 days",
    );
    expect((await runCustomerCommand(bot, "gamma plain")).text).not.toContain("Contact cadence");
  });
});

describe("cadence on the Home tab", () => {
  it("lists the owner's key accounts, overdue first, with their next key date", async () => {
    const before = bot.fake.callsTo("views.publish").length;
    const res = await postEvent(
      bot.url,
      SIGNING_SECRET,
      eventCallback({
        type: "app_home_opened",
        user: MARIA,
        channel: `D${MARIA}`,
        tab: "home",
        event_ts: "1764439200.000100",
      }),
    );
    expect(res.status).toBe(200);
    const call = await bot.fake.waitFor(
      "views.publish",
      (c) => c.body.user_id === MARIA && bot.fake.callsTo("views.publish").indexOf(c) >= before,
    );
    expect(call.error).toBeUndefined();
    const text = textOf(((call.body.view as { blocks?: unknown[] }).blocks ?? []) as never);
    expect(text).toContain(
      [
        "*My key accounts: contact and key dates* (2)  ·  :warning: 1 overdue",
        "*Acme Tools* — Last contact 22 days ago · every 14 days · :warning: overdue by 8 days · :birthday: Paula Schmidt's birthday tomorrow (2026-11-24)",
        "*Beta Foods* — Last contact 10 days ago · every 30 days · due in 20 days · :calendar: Founders Day in 2 days (2026-11-25)",
      ].join("\n"),
    );
    expect(text).not.toContain("*Gamma Plain* —");
  });
});
