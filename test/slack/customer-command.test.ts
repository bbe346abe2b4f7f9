// /customer end to end: signed slash commands and button clicks in, fake Slack and a real database behind.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type SlackBlock, textOf } from "../support/blocks.ts";
import { runCustomerCommand, SIGNING_SECRET, startTestBot, type TestBot } from "../support/bot.ts";
import { blockActions, postInteraction, postSlashCommand } from "../support/slack-requests.ts";

const NOW = new Date("2026-11-23T12:00:00Z");
let bot: TestBot;

async function addAccount(externalId: string, name: string, extra: Record<string, unknown> = {}) {
  return bot.db.prisma.account.create({ data: { externalId, name, ...extra } });
}

const customer = (text: string) => runCustomerCommand(bot, text);

beforeAll(async () => {
  bot = await startTestBot({ now: () => NOW });
  const acme = await addAccount("C-1001", "ACME Corporation", {
    aliases: ["Acme"],
    ownerSlackId: "U0OWNER",
    channelId: "C0ACME",
    segment: "Manufacturing",
    region: "Europe",
  });
  await addAccount("C-2001", "华为技术有限公司", { aliases: ["Huawei"] });
  await addAccount("C-3001", "Northwind Foods Inc.");
  await addAccount("C-3002", "Northwind Logistics Ltd");
  for (let n = 1; n <= 12; n++) await addAccount(`H-${n}`, `Harbor Trading ${n}`);
  await bot.db.prisma.contact.createMany({
    data: [
      { accountId: acme.id, name: "Dana User", role: "user", email: "dana@acme.test" },
      {
        accountId: acme.id,
        name: "Paula Purchase",
        role: "purchasing",
        email: "paula@acme.test",
        phone: "+49 30 1234",
      },
      { accountId: acme.id, name: "Old Buyer", role: "purchasing", endedOn: new Date("2026-06-30") },
    ],
  });
  const day = (iso: string) => new Date(`${iso}T10:00:00Z`);
  await bot.db.prisma.order.createMany({
    data: [
      // Previous 90 days (2026-05-28 … 2026-08-25): 2 orders, 300.00 value, 90.00 cost.
      {
        accountId: acme.id,
        externalId: "O-1",
        orderedAt: day("2026-06-10"),
        quantity: 10,
        amount: 10000n,
        cost: 7000n,
        currency: "EUR",
      },
      {
        accountId: acme.id,
        externalId: "O-2",
        orderedAt: day("2026-07-10"),
        quantity: 20,
        amount: 20000n,
        cost: 14000n,
        currency: "EUR",
      },
      // Current 90 days (2026-08-26 … 2026-11-23): 1 order, 150.00.
      {
        accountId: acme.id,
        externalId: "O-3",
        orderedAt: day("2026-09-09"),
        quantity: 15,
        amount: 15000n,
        cost: 12000n,
        currency: "EUR",
      },
      // A year ago window (2025-08-26 … 2025-11-23): 1 order, 100.00.
      {
        accountId: acme.id,
        externalId: "O-4",
        orderedAt: day("2025-10-01"),
        quantity: 5,
        amount: 10000n,
        cost: 6000n,
        currency: "EUR",
      },
    ],
  });
});

afterAll(async () => {
  await bot?.stop();
});

beforeEach(() => {
  bot.fake.reset();
});

describe("/customer", () => {
  it("answers usage for an empty query and for help", async () => {
    for (const text of ["", "help"]) {
      const { call, text: shown } = await customer(text);
      expect(call.body.response_type).toBe("ephemeral");
      expect(shown).toContain("/customer <name, alias or ERP id>");
    }
  });

  it("shows one account's card privately, with the figures against its own baselines", async () => {
    const { call, text } = await customer("acme");
    expect(call.body.response_type).toBe("ephemeral");
    expect(text).toContain("ACME Corporation");
    expect(text).toContain("<@U0OWNER>");
    expect(text).toContain("<#C0ACME>");
    expect(text).toContain("Manufacturing · Europe");
    expect(text).toContain("*Last order* 2026-09-09 (75 days ago)");
    // Gaps between purchase days: 2025-10-01→2026-06-10 = 252, →07-10 = 30, →09-09 = 61: median 61.
    expect(text).toContain("usual gap 61 days");
    expect(text).toContain("14 days overdue");
    expect(text).toContain("*Orders* 1  ·  prev 2 (−50%)  ·  year ago 1 (0%)");
    expect(text).toContain("*Quantity* 15  ·  prev 30 (−50%)  ·  year ago 5 (+200%)");
    expect(text).toContain("*Value* €150.00  ·  prev €300.00 (−50%)  ·  year ago €100.00 (+50%)");
    // Margin: 30/150 = 20.0%, prev 90/300 = 30.0%, year ago 40/100 = 40.0%.
    expect(text).toContain("*Margin* 20.0%  ·  prev 30.0% (−10.0 pts)  ·  year ago 40.0% (−20.0 pts)");
    expect(text).toContain("*Profit* €30.00  ·  prev €90.00 (−67%)  ·  year ago €40.00 (−25%)");
    expect(text).toMatch(/12-month order value\*\s+`[▁▂▃▄▅▆▇█]{12}`\s+Dec 2025 – Nov 2026/);
    // Current contacts only, purchasing first; the ended one is history.
    expect(text.indexOf("Paula Purchase")).toBeLessThan(text.indexOf("Dana User"));
    expect(text).not.toContain("Old Buyer");
    const share = call.body.blocks && JSON.stringify(call.body.blocks);
    expect(share).toContain('"action_id":"card_share"');
    expect(bot.fake.rejected).toEqual([]);
  });

  it("finds Chinese names by a part of them, and by alias", async () => {
    expect((await customer("华为")).text).toContain("华为技术有限公司");
    expect((await customer("huawei")).text).toContain("华为技术有限公司");
  });

  it("tolerates typos and case", async () => {
    expect((await customer("ACMEE corp")).text).toContain("ERP id C-1001");
    expect((await customer("c-1001")).text).toContain("ACME Corporation");
  });

  it("offers a pick list when several accounts match, and the pick shows the card", async () => {
    const { text, blocks } = await customer("northwind");
    expect(text).toContain("2 customers match “northwind”");
    const actions = blocks.find((b) => b.type === "actions");
    const buttons = (actions?.elements ?? []) as {
      action_id: string;
      value: string;
      text: { text: string };
    }[];
    expect(buttons.map((b) => b.text.text).sort()).toEqual([
      "Northwind Foods Inc.",
      "Northwind Logistics Ltd",
    ]);
    const foods = buttons.find((b) => b.text.text === "Northwind Foods Inc.");
    const responseUrl = bot.fake.responseUrl("pick");
    const res = await postInteraction(
      bot.url,
      SIGNING_SECRET,
      blockActions({ actionId: foods?.action_id ?? "", value: foods?.value, responseUrl }),
    );
    expect(res.status).toBe(200);
    const picked = await bot.fake.waitFor("response_url", (c) => c.responseId === "pick");
    expect(picked.body.replace_original).toBe(true);
    expect(textOf(picked.body.blocks as SlackBlock[])).toContain("ERP id C-3001");
    expect(textOf(picked.body.blocks as SlackBlock[])).toContain("*Orders* none recorded yet");
  });

  it("caps a long pick list at 10 and asks for more of the name", async () => {
    const { text, blocks } = await customer("harbor trading");
    expect(text).toContain("More than 10 customers match “harbor trading”");
    expect(text).toContain("Type more of the name");
    const actions = blocks.find((b) => b.type === "actions");
    expect(actions?.elements).toHaveLength(10);
    expect(bot.fake.rejected).toEqual([]);
  });

  it("says when nothing matches, with the closest suggestions as buttons", async () => {
    const near = await customer("nrthwnd");
    expect(near.text).toContain("No customer matches “nrthwnd”. Closest:");
    const actions = near.blocks.find((b) => b.type === "actions");
    const names = ((actions?.elements ?? []) as { text: { text: string } }[]).map((b) => b.text.text);
    expect(names).toContain("Northwind Foods Inc.");
    const nothing = await customer("zzzz qqqq");
    expect(nothing.text).toContain("No customer matches “zzzz qqqq”. Check the spelling");
    expect(nothing.blocks.some((b) => b.type === "actions")).toBe(false);
  });

  it("shares the card in the channel and removes the private copy", async () => {
    const acme = await bot.db.prisma.account.findUniqueOrThrow({ where: { externalId: "C-1001" } });
    const responseUrl = bot.fake.responseUrl("share");
    await postInteraction(
      bot.url,
      SIGNING_SECRET,
      blockActions({ actionId: "card_share", value: acme.id, responseUrl, user: { id: "U0SHARER" } }),
    );
    const shared = await bot.fake.waitFor(
      "response_url",
      (c) => c.responseId === "share" && c.body.response_type === "in_channel",
    );
    const text = textOf(shared.body.blocks as SlackBlock[]);
    expect(text).toContain("ACME Corporation");
    expect(text).toContain("Shared by <@U0SHARER>");
    expect(JSON.stringify(shared.body.blocks)).not.toContain("card_share");
    await bot.fake.waitFor(
      "response_url",
      (c) => c.responseId === "share" && c.body.delete_original === true,
    );
  });

  it("rejects a forged signature and a stale timestamp with 401, and does nothing", async () => {
    const forged = await postSlashCommand(
      bot.url,
      SIGNING_SECRET,
      { command: "/customer", text: "acme" },
      { signature: "v0=forged" },
    );
    expect(forged.status).toBe(401);
    const stale = await postSlashCommand(
      bot.url,
      SIGNING_SECRET,
      { command: "/customer", text: "acme" },
      { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 },
    );
    expect(stale.status).toBe(401);
    const wrongSecret = await postSlashCommand(bot.url, "not-the-secret", {
      command: "/customer",
      text: "acme",
    });
    expect(wrongSecret.status).toBe(401);
    expect(bot.fake.calls).toEqual([]);
  });

  it("answers /healthz", async () => {
    const res = await fetch(`${bot.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });
});
