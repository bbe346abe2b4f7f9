// Starting exit handling end to end: from a critical warning, from the card, with /customer leaving;
// the case with its six tasks in the account's channel (or WARNINGS_CHANNEL when the bot is not in
// it), once per modal; refusals and bad input in the modal; Edit case fills the reasons in later.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getWarning } from "../../src/services/warnings/get-warning.ts";
import { ids } from "../../src/slack/ids.ts";
import { buildChurnWarning } from "../../src/slack/views/churn-warning.ts";
import type { SlackBlock } from "../support/blocks.ts";
import { runCustomerCommand, SIGNING_SECRET, startTestBot, type TestBot } from "../support/bot.ts";
import { testDeps } from "../support/deps.ts";
import {
  blocksText,
  casePosted,
  click,
  exitStartValues,
  openedView,
  privateAnswer,
  savedCase,
  snapshot,
  submit,
  threadLine,
  updated,
} from "../support/exit.ts";
import { postSlashCommand } from "../support/slack-requests.ts";

let bot: TestBot;
const clock = new Date("2026-11-23T10:00:00Z");
const WARNINGS_CHANNEL = "CWARNINGS";
const acc: Record<string, string> = {};

type Button = { action_id: string; value: string };
const buttonsOf = (blocks: readonly SlackBlock[]): Button[] =>
  blocks.flatMap((block) => [
    ...((block.elements ?? []) as Button[]).filter((e) => "action_id" in e),
    ...(block.accessory ? [block.accessory as Button] : []),
  ]);

async function warning(accountId: string, band: "high" | "critical", ts: string) {
  return bot.db.prisma.churnWarning.create({
    data: {
      accountId,
      asOf: new Date("2026-11-23"),
      risk: band === "critical" ? 88 : 60,
      band,
      reasons: [{ code: "gap", text: "next order 6 weeks overdue", strong: true }],
      verdict: "fight_hard",
      verdictHeadline: "Fight hard",
      actions: [],
      dedupeKey: `${accountId}:${band}`,
      status: "posted",
      channelId: "CACME",
      messageTs: ts,
      postedAt: clock,
    },
  });
}

/** The warning's message as the bot renders it. */
async function warningMessage(warningId: string) {
  return buildChurnWarning(
    await getWarning(
      testDeps(bot.db, () => clock),
      warningId,
    ),
  );
}

beforeAll(async () => {
  bot = await startTestBot({ now: () => clock, env: { WARNINGS_CHANNEL } });
  const account = async (key: string, name: string, channelId: string | null) => {
    acc[key] = (
      await bot.db.prisma.account.create({
        data: { externalId: key, name, channelId, ownerSlackId: "U0MARIA" },
      })
    ).id;
  };
  await account("acme", "ACME Corporation", "CACME");
  await account("beta", "Beta Foods", "CBETA");
  await account("gamma", "Gamma Tools", "CGAMMA");
  await account("lake1", "Lakeside Packaging GmbH", null);
  await account("lake2", "Lakeside Foods Inc.", null);
});

afterAll(async () => {
  await bot?.stop();
});

describe("from a critical churn warning", () => {
  it("offers Start exit handling on critical warnings only", async () => {
    const high = await warning(acc.beta as string, "high", "1700000000.000800");
    expect(
      buttonsOf((await warningMessage(high.id)).blocks as SlackBlock[]).map((b) => b.action_id),
    ).not.toContain(ids.action.exitStart);
  });

  it("opens the modal, posts the case with six tasks in the account's channel, and notes it on the warning", async () => {
    const critical = await warning(acc.acme as string, "critical", "1700000000.000900");
    const start = buttonsOf((await warningMessage(critical.id)).blocks as SlackBlock[]).find(
      (b) => b.action_id === ids.action.exitStart,
    );
    expect(start).toBeDefined();
    const before = snapshot(bot);
    await click(bot, { actionId: ids.action.exitStart, value: String(start?.value), channel: "CACME" });
    const modal = await openedView(bot, before, ids.view.exitStart);
    const modalText = JSON.stringify(modal.blocks);
    expect(modalText).toContain("Within our control");
    expect(modalText).toContain("Beyond our control");
    expect(modalText).toContain("May be filled later");

    const errors = await submit(bot, {
      view: modal,
      viewId: "VSTART-ACME",
      values: exitStartValues({
        reason: "price_too_high",
        surface: "Budget cuts <!channel>",
        competitor: "Rival GmbH",
        expectedEnd: "2027-01-31",
      }),
    });
    expect(errors).toEqual({});
    const posted = await casePosted(bot, before, "CACME");
    const text = blocksText(posted);
    expect(text).toContain("*ACME Corporation* is leaving");
    expect(text).toContain("*Reason:* Price too high");
    expect(text).toContain("Budget cuts &lt;!channel&gt;");
    expect(text).toContain("*Expected end:* 2027-01-31");
    for (const title of [
      "1. Last conversation",
      "2. Contain bad news",
      "3. Reassure other customers",
      "4. Cut the loss",
      "5. Keep the lesson",
      "6. Use the mistake as a step",
    ])
      expect(text).toContain(title);
    expect(text).toContain("<@U0MARIA>");
    expect(text).toContain("Edit case");

    // Where the message went is saved right after Slack answers.
    const exitCase = await savedCase(bot, acc.acme as string);
    expect(exitCase).toMatchObject({
      status: "open",
      warningId: critical.id,
      channelId: "CACME",
      messageTs: posted.response.ts,
      competitorWon: "Rival GmbH",
    });
    expect(exitCase.tasks).toHaveLength(6);
    expect(exitCase.account.status).toBe("leaving");

    // The warning now says so, no longer offers to start, and counts as answered.
    const warningUpdate = await updated(bot, before, "CACME", "1700000000.000900");
    const warningText = blocksText(warningUpdate);
    expect(warningText).toContain("Exit handling started by <@U0001> on 2026-11-23");
    expect(warningText).toContain("<#CACME>");
    expect(warningText).not.toContain("Start exit handling");
    expect(await bot.db.prisma.churnWarning.findUniqueOrThrow({ where: { id: critical.id } })).toMatchObject({
      status: "acknowledged",
      acknowledgedBy: "U0001",
    });

    // The same submission again (a retry) changes nothing.
    expect(await submit(bot, { view: modal, viewId: "VSTART-ACME", values: exitStartValues() })).toEqual({});
    expect(await bot.db.prisma.exitCase.count({ where: { accountId: acc.acme } })).toBe(1);
    expect(bot.fake.rejected).toEqual([]);
  });

  it("refuses a second start: at the button, and in a modal opened before the first one was saved", async () => {
    const critical = await bot.db.prisma.churnWarning.findFirstOrThrow({ where: { accountId: acc.acme } });
    const answerUrl = await click(bot, {
      actionId: ids.action.exitStart,
      value: JSON.stringify({ accountId: acc.acme, warningId: critical.id }),
    });
    expect(await privateAnswer(bot, answerUrl)).toBe(
      "ACME Corporation is already leaving: its exit tasks are under way.",
    );
    const errors = await submit(bot, {
      view: {
        callback_id: ids.view.exitStart,
        private_metadata: JSON.stringify({ accountId: acc.acme, warningId: null }),
      },
      values: exitStartValues(),
    });
    expect(errors).toEqual({
      exit_reason: "ACME Corporation is already leaving: its exit tasks are under way.",
    });
    expect(await bot.db.prisma.exitCase.count({ where: { accountId: acc.acme } })).toBe(1);
  });
});

describe("from the card and the command", () => {
  it("the card offers the button; the case starts from it with every field left empty", async () => {
    const card = await runCustomerCommand(bot, "beta foods");
    const start = buttonsOf(card.blocks).find((b) => b.action_id === ids.action.exitStart);
    expect(start).toBeDefined();
    const before = snapshot(bot);
    await click(bot, { actionId: ids.action.exitStart, value: String(start?.value) });
    const modal = await openedView(bot, before, ids.view.exitStart);
    expect(await submit(bot, { view: modal, values: exitStartValues() })).toEqual({});
    const text = blocksText(await casePosted(bot, before, "CBETA"));
    expect(text).toContain("*Reason:* not recorded yet");
    expect(await bot.db.prisma.exitCase.findFirstOrThrow({ where: { accountId: acc.beta } })).toMatchObject({
      reason: null,
      surfaceReason: null,
      warningId: null,
    });
  });

  it("the card of a leaving customer has no start button", async () => {
    const card = await runCustomerCommand(bot, "acme");
    expect(card.text).toContain("*Status*\nLeaving");
    expect(buttonsOf(card.blocks).map((b) => b.action_id)).not.toContain(ids.action.exitStart);
  });

  it("/customer leaving opens the modal for one match, a pick list for several, suggestions for none", async () => {
    const before = snapshot(bot);
    const res = await postSlashCommand(bot.url, SIGNING_SECRET, {
      command: "/customer",
      text: "leaving gamma",
    });
    expect(res.status).toBe(200);
    const modal = await openedView(bot, before, ids.view.exitStart);
    expect(JSON.parse(modal.private_metadata)).toEqual({ accountId: acc.gamma, warningId: null });

    const several = await runCustomerCommand(bot, "leaving lakeside");
    expect(several.text).toContain("2 customers match “lakeside”");
    const none = await runCustomerCommand(bot, "leaving zzyzx");
    expect(none.text).toContain("No customer matches “zzyzx”");
    const refused = await runCustomerCommand(bot, "leaving acme");
    expect(String(refused.call.body.text)).toBe(
      "ACME Corporation is already leaving: its exit tasks are under way.",
    );
    const usage = await runCustomerCommand(bot, "help");
    expect(usage.text).toContain("/customer leaving <name>");
  });

  it("marks bad input in the modal and saves nothing", async () => {
    const view = {
      callback_id: ids.view.exitStart,
      private_metadata: JSON.stringify({ accountId: acc.gamma, warningId: null }),
    };
    expect(await submit(bot, { view, values: exitStartValues({ expectedEnd: "2027-02-30" }) })).toEqual({
      exit_expected_end: "Pick a valid date.",
    });
    expect(await submit(bot, { view, values: exitStartValues({ reason: "aliens" }) })).toEqual({
      exit_reason: "Pick one of the reasons, or leave it empty.",
    });
    expect(await submit(bot, { view, values: exitStartValues({ competitor: "x".repeat(201) }) })).toEqual({
      exit_competitor: "At most 200 characters.",
    });
    expect(
      await submit(bot, { view: { ...view, private_metadata: "{}" }, values: exitStartValues() }),
    ).toEqual({ exit_reason: "This form is out of date. Close it and start again." });
    expect(await bot.db.prisma.exitCase.count({ where: { accountId: acc.gamma } })).toBe(0);
  });

  it("posts the case in WARNINGS_CHANNEL, saying why, when the bot is not in the account's channel", async () => {
    const before = snapshot(bot);
    bot.fake.failNext("chat.postMessage", "not_in_channel");
    const view = {
      callback_id: ids.view.exitStart,
      private_metadata: JSON.stringify({ accountId: acc.gamma, warningId: null }),
    };
    expect(await submit(bot, { view, values: exitStartValues() })).toEqual({});
    const text = blocksText(await casePosted(bot, before, WARNINGS_CHANNEL));
    expect(text).toContain("*Gamma Tools* is leaving");
    expect(text).toContain("the bot cannot post in <#CGAMMA> (not_in_channel)");
    expect((await savedCase(bot, acc.gamma as string)).channelId).toBe(WARNINGS_CHANNEL);
  });
});

describe("when starting fails after the modal closed", () => {
  it("tells the user by DM, writes nothing, and the same form can be sent again", async () => {
    const lake = acc.lake1 as string;
    // The case is written after Slack's three seconds are answered; make its tasks fail to save.
    await bot.db.pool.query(`
      CREATE FUNCTION refuse_exit_tasks() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'disk full'; END $$;
      CREATE TRIGGER refuse_exit_tasks BEFORE INSERT ON exit_task FOR EACH ROW EXECUTE FUNCTION refuse_exit_tasks();`);
    const view = {
      callback_id: ids.view.exitStart,
      private_metadata: JSON.stringify({ accountId: lake, warningId: null }),
    };
    const before = snapshot(bot);
    try {
      expect(
        await submit(bot, { view, viewId: "VSTART-LAKE", user: "U0PETRA", values: exitStartValues() }),
      ).toEqual({});
      const told = await bot.fake.waitFor(
        "chat.postMessage",
        (call) => !before.has(call) && call.body.channel === "U0PETRA",
      );
      expect(told.body.text).toBe(
        "Exit handling was not started: Something went wrong on our side. The error was logged.",
      );
      expect(await bot.db.prisma.exitCase.count({ where: { accountId: lake } })).toBe(0);
      expect(await bot.db.prisma.accountStatusChange.count({ where: { accountId: lake } })).toBe(0);
      expect((await bot.db.prisma.account.findUniqueOrThrow({ where: { id: lake } })).status).toBe("active");
    } finally {
      await bot.db.pool.query(
        "DROP TRIGGER refuse_exit_tasks ON exit_task; DROP FUNCTION refuse_exit_tasks();",
      );
    }

    const retry = snapshot(bot);
    expect(
      await submit(bot, { view, viewId: "VSTART-LAKE", user: "U0PETRA", values: exitStartValues() }),
    ).toEqual({});
    expect(blocksText(await casePosted(bot, retry, WARNINGS_CHANNEL))).toContain(
      "*Lakeside Packaging GmbH* is leaving",
    );
    expect((await savedCase(bot, lake)).account.status).toBe("leaving");
  });
});

describe("Edit case", () => {
  it("opens the modal prefilled, saves the changes, re-renders the message and says what changed", async () => {
    const exitCase = await bot.db.prisma.exitCase.findFirstOrThrow({ where: { accountId: acc.acme } });
    const ts = String(exitCase.messageTs);
    const before = snapshot(bot);
    await click(bot, { actionId: ids.action.exitCaseEdit, value: exitCase.id, channel: "CACME", ts });
    const modal = await openedView(bot, before, ids.view.exitStart);
    const modalText = JSON.stringify(modal.blocks);
    expect(modalText).toContain('"initial_option":{"text":{"type":"plain_text","text":"Price too high"}');
    expect(modalText).toContain('"initial_date":"2027-01-31"');
    expect(modalText).toContain("Rival GmbH");
    expect(JSON.parse(modal.private_metadata)).toEqual({ caseId: exitCase.id });

    const errors = await submit(bot, {
      view: modal,
      values: exitStartValues({
        reason: "poor_service",
        surface: "Budget cuts <!channel>",
        deep: "Three late deliveries in a row",
        competitor: "Rival GmbH",
        expectedEnd: "2027-01-31",
      }),
      user: "U0JONAS",
    });
    expect(errors).toEqual({});
    const message = await updated(bot, before, "CACME", ts);
    expect(blocksText(message)).toContain("*Reason:* Poor service");
    expect(blocksText(message)).toContain("*Deep reason:* Three late deliveries in a row");
    const line = await threadLine(bot, before, ts, "Case: reason Price too high → Poor service");
    expect(blocksText(line)).toContain("<@U0JONAS>");
    expect(blocksText(line)).toContain("deep reason: Three late deliveries in a row");
  });
});
