// Blacklisting through the real bot (§2.4): the card of a blacklist candidate offers it, only a manager
// may confirm it (with a reason, kept on the status change), a replayed submit changes nothing, and a
// manager takes it back the same way.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ids } from "../../src/slack/ids.ts";
import { BLACKLIST_REASON } from "../../src/slack/views/blacklist-modal.ts";
import type { SlackBlock } from "../support/blocks.ts";
import { runCustomerCommand, startTestBot, type TestBot } from "../support/bot.ts";
import { click, input, nextCall, openedView, privateAnswer, snapshot, submit } from "../support/exit.ts";

const MANAGER = "U0BOSS";
const REP = "U0REP";
let bot: TestBot;
let accountId = "";

type Button = { action_id: string; value: string; text: { text: string } };
const buttons = (blocks: readonly SlackBlock[]): Button[] =>
  blocks.flatMap((block) => ((block.elements ?? []) as Button[]).filter((e) => "action_id" in e));

async function blacklistButton(user: string): Promise<Button | undefined> {
  const card = await runCustomerCommand(bot, "shady", { user_id: user });
  return buttons(card.blocks).find((b) => b.action_id === ids.action.blacklist);
}

beforeAll(async () => {
  bot = await startTestBot({
    now: () => new Date("2026-11-23T10:00:00Z"),
    env: { MANAGER_USER_IDS: MANAGER },
  });
  const account = await bot.db.prisma.account.create({
    data: { externalId: "BL-1", name: "Shady Traders", ownerSlackId: REP, badFaith: true },
  });
  accountId = account.id;
  const scan = await bot.db.prisma.riskScan.create({ data: { asOf: new Date("2026-11-23") } });
  await bot.db.prisma.riskAssessment.create({
    data: {
      scanId: scan.id,
      accountId,
      asOf: new Date("2026-11-23"),
      risk: 70,
      band: "high",
      verdict: "blacklist_candidate",
      reasons: [{ code: "bad_faith", text: "bad faith recorded", strength: 1, strong: true }],
    },
  });
});

afterAll(async () => {
  await bot?.stop();
});

describe("blacklisting a candidate", () => {
  it("offers it on the card, but a rep is told only a manager can, and no form opens", async () => {
    const button = await blacklistButton(REP);
    expect(button?.text.text).toBe("Blacklist…");
    const before = snapshot(bot);
    const answer = await click(bot, {
      actionId: ids.action.blacklist,
      value: String(button?.value),
      user: REP,
    });
    expect(await privateAnswer(bot, answer)).toBe(
      "Only a manager can blacklist a customer or take it off the blacklist.",
    );
    expect(bot.fake.calls.filter((c) => !before.has(c) && c.method === "views.open")).toEqual([]);
  });

  it("a manager confirms it with a reason: blacklisted, kept with the reason, once", async () => {
    const button = await blacklistButton(MANAGER);
    const before = snapshot(bot);
    await click(bot, { actionId: ids.action.blacklist, value: String(button?.value), user: MANAGER });
    const modal = await openedView(bot, before, ids.view.blacklist);
    expect(JSON.stringify(modal.blocks)).toContain("bad faith recorded");
    expect(JSON.stringify(modal.blocks)).toContain("the latest risk scan calls it a blacklist candidate");

    expect(
      await submit(bot, {
        view: modal,
        viewId: "VBLACK1",
        user: MANAGER,
        values: input.text(BLACKLIST_REASON, "  "),
      }),
    ).toEqual({ [BLACKLIST_REASON]: "Say why." });
    const values = input.text(BLACKLIST_REASON, "Sold our goods outside their territory twice");
    expect(await submit(bot, { view: modal, viewId: "VBLACK1", user: MANAGER, values })).toEqual({});
    const told = await nextCall(bot, "chat.postMessage", before, (c) => c.body.channel === MANAGER);
    expect(told.body.text).toContain("Shady Traders is blacklisted");
    // Slack delivers the same submit again: nothing more.
    expect(await submit(bot, { view: modal, viewId: "VBLACK1", user: MANAGER, values })).toEqual({});

    const account = await bot.db.prisma.account.findUniqueOrThrow({
      where: { id: accountId },
      include: { statusChanges: true },
    });
    expect(account.status).toBe("blacklisted");
    expect(account.statusChanges.map((c) => [c.fromStatus, c.toStatus, c.note, c.actorSlackId])).toEqual([
      ["active", "blacklisted", "Sold our goods outside their territory twice", MANAGER],
    ]);
  });

  it("says a garbled form is out of date", async () => {
    expect(
      await submit(bot, {
        view: { callback_id: ids.view.blacklist, private_metadata: "{not json" },
        user: MANAGER,
        values: input.text(BLACKLIST_REASON, "x"),
      }),
    ).toEqual({ [BLACKLIST_REASON]: "This form is out of date. Close it and start again." });
  });

  it("a rep's modal opened before cannot blacklist either, and a manager takes it back", async () => {
    const refused = await submit(bot, {
      view: {
        callback_id: ids.view.blacklist,
        private_metadata: JSON.stringify({ accountId, blacklisted: false }),
      },
      user: REP,
      values: input.text(BLACKLIST_REASON, "Paid up"),
    });
    expect(refused).toEqual({
      [BLACKLIST_REASON]: "Only a manager can blacklist a customer or take it off the blacklist.",
    });

    const button = await blacklistButton(MANAGER);
    expect(button?.text.text).toBe("Take off blacklist");
    const before = snapshot(bot);
    await click(bot, { actionId: ids.action.blacklist, value: String(button?.value), user: MANAGER });
    const modal = await openedView(bot, before, ids.view.blacklist);
    expect(
      await submit(bot, {
        view: modal,
        user: MANAGER,
        values: input.text(BLACKLIST_REASON, "Debt settled in full"),
      }),
    ).toEqual({});
    const changes = await bot.db.prisma.accountStatusChange.findMany({
      where: { accountId },
      orderBy: { at: "asc" },
    });
    expect(changes.map((c) => [c.toStatus, c.note])).toEqual([
      ["blacklisted", "Sold our goods outside their territory twice"],
      ["active", "Debt settled in full"],
    ]);
    // Still a candidate by the last scan, so the card offers blacklisting again.
    expect((await blacklistButton(MANAGER))?.text.text).toBe("Blacklist…");
  });
});
