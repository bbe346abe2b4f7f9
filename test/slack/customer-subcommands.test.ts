// /customer log|complaint|sign <name>: opens the record's modal for one match, else helps pick the account.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseCustomerText } from "../../src/slack/listeners/commands/customer.ts";
import { type SlackBlock, textOf } from "../support/blocks.ts";
import { SIGNING_SECRET, startTestBot, type TestBot } from "../support/bot.ts";
import { postSlashCommand } from "../support/slack-requests.ts";

let bot: TestBot;

async function command(text: string) {
  const responseUrl = bot.fake.responseUrl();
  const res = await postSlashCommand(bot.url, SIGNING_SECRET, {
    command: "/customer",
    text,
    response_url: responseUrl,
  });
  expect(res.status).toBe(200);
  return responseUrl;
}

beforeAll(async () => {
  bot = await startTestBot({ now: () => new Date("2026-11-23T12:00:00Z") });
  await bot.db.prisma.account.create({ data: { externalId: "L-1", name: "Lakeside Packaging GmbH" } });
  await bot.db.prisma.account.create({ data: { externalId: "L-2", name: "Lakeside Foods Inc." } });
});

afterAll(async () => {
  await bot?.stop();
});

beforeEach(() => {
  bot.fake.reset();
});

describe("parseCustomerText", () => {
  it.each([
    ["acme", { kind: null, query: "acme" }],
    ["log acme corp", { kind: "interaction", query: "acme corp" }],
    ["Complaint 华为", { kind: "complaint", query: "华为" }],
    ["sign D-0001", { kind: "sign", query: "D-0001" }],
    ["log", { kind: "interaction", query: "" }],
    ["logistics world", { kind: null, query: "logistics world" }],
  ])("%s", (text, expected) => {
    expect(parseCustomerText(text)).toEqual(expected);
  });
});

describe("/customer with a record kind", () => {
  it.each([
    ["log", "interaction_modal"],
    ["complaint", "complaint_modal"],
    ["sign", "sign_modal"],
  ])("%s <name> opens the %s for the one matching account", async (word, callbackId) => {
    await command(`${word} lakeside packaging`);
    const open = await bot.fake.waitFor("views.open");
    const view = open.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe(callbackId);
    const account = await bot.db.prisma.account.findUniqueOrThrow({ where: { externalId: "L-1" } });
    expect(JSON.parse(view.private_metadata)).toMatchObject({ accountId: account.id });
    expect(bot.fake.rejected).toEqual([]);
  });

  it("asks which account when several match, and explains the word alone", async () => {
    const responseUrl = await command("log lakeside");
    const answer = await bot.fake.waitFor("response_url", (c) => responseUrl.endsWith(c.responseId ?? "-"));
    expect(textOf(answer.body.blocks as SlackBlock[])).toContain("2 customers match “lakeside”");
    expect(bot.fake.callsTo("views.open")).toEqual([]);
    const usageUrl = await command("complaint");
    const usage = await bot.fake.waitFor("response_url", (c) => usageUrl.endsWith(c.responseId ?? "-"));
    expect(textOf(usage.body.blocks as SlackBlock[])).toContain("/customer complaint <name>");
  });

  it("falls back to the card with its buttons when the trigger expired", async () => {
    bot.fake.failNext("views.open", "expired_trigger_id");
    const responseUrl = await command("log lakeside packaging");
    const answer = await bot.fake.waitFor("response_url", (c) => responseUrl.endsWith(c.responseId ?? "-"));
    const blocks = JSON.stringify(answer.body.blocks);
    expect(blocks).toContain("Lakeside Packaging GmbH");
    expect(blocks).toContain('"action_id":"card_log_interaction"');
  });
});
