// Task 1 end to end through the real bot: the Brief button posts the brief in the case's thread (template,
// AI draft, AI malformed or too slow, AI without money), and the Record outcome modal — retained closes
// the workflow and restores the account, leaving confirmed finishes task 1 and the rest goes on.
import type { ViewStateValue } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceDeps } from "../../src/services/deps.ts";
import { postExitCase } from "../../src/services/exit/exit-message.ts";
import { ids } from "../../src/slack/ids.ts";
import { buildExitCaseMessage, buildExitUpdate } from "../../src/slack/views/exit-case.ts";
import { createBotWebClient } from "../../src/slack/web-client.ts";
import { type SlackBlock, textOf } from "../support/blocks.ts";
import { BOT_TOKEN, SIGNING_SECRET, startTestBot, type TestBot } from "../support/bot.ts";
import { testDeps } from "../support/deps.ts";
import { FAKE_OPENAI_KEY, type FakeOpenAi, startFakeOpenAi } from "../support/fake-openai.ts";
import type { FakeSlackCall } from "../support/fake-slack.ts";
import {
  aiDraft,
  HISTORY_NOW,
  seedAccountHistory,
  startLeavingCase,
} from "../support/last-conversation-fixtures.ts";
import { blockActions, postInteraction, viewSubmission } from "../support/slack-requests.ts";

const TASK = "exit_brief_talking_points";
let counter = 0;

type ExitCaseOnSlack = { accountId: string; name: string; caseId: string; channelId: string; ts: string };

const blocksOf = (call: FakeSlackCall) => (call.body.blocks ?? []) as SlackBlock[];
const shown = (call: FakeSlackCall) => textOf(blocksOf(call));

/** A customer with a history, leaving: its case started and its message posted in its channel. */
async function leavingCustomer(
  bot: TestBot,
  status: "active" | "at_risk" = "active",
): Promise<ExitCaseOnSlack> {
  counter += 1;
  const deps: ServiceDeps = testDeps(bot.db, () => HISTORY_NOW);
  const channelId = `C0ACME${counter}`;
  const name = `ACME ${counter}`;
  const account = await bot.db.prisma.account.create({
    data: { externalId: `E-${counter}`, name, ownerSlackId: "U0OWNER", channelId, status },
  });
  await seedAccountHistory(bot.db.prisma, account.id, `E${counter}`);
  const caseId = await startLeavingCase(deps, account.id);
  const posted = await postExitCase(deps, {
    slack: createBotWebClient(BOT_TOKEN, bot.fake.apiUrl),
    caseId,
    render: { message: buildExitCaseMessage, update: buildExitUpdate },
  });
  if (!posted) throw new Error("the exit case was not posted");
  return { accountId: account.id, name, caseId, channelId: posted.channelId, ts: posted.ts };
}

/** Clicks a task-1 button on the case's message; returns the id of its response URL. */
async function click(
  bot: TestBot,
  actionId: string,
  exitCase: ExitCaseOnSlack,
  user = "U0REP",
): Promise<string> {
  counter += 1;
  const responseId = `${actionId}-${counter}`;
  const res = await postInteraction(
    bot.url,
    SIGNING_SECRET,
    blockActions({
      actionId,
      value: exitCase.caseId,
      blockId: "exit_task_1",
      user: { id: user },
      channel: { id: exitCase.channelId, name: "acme" },
      message: { ts: exitCase.ts },
      responseUrl: bot.fake.responseUrl(responseId),
    }),
  );
  expect(res.status).toBe(200);
  return responseId;
}

const briefPosted = (bot: TestBot, exitCase: ExitCaseOnSlack) =>
  bot.fake.waitFor(
    "chat.postMessage",
    (c) =>
      c.body.channel === exitCase.channelId &&
      c.body.thread_ts === exitCase.ts &&
      shown(c).includes("Last-conversation brief"),
  );

/** With an assistant: the "preparing" line goes up at once and is replaced by the brief. */
async function briefReplacingPreparing(bot: TestBot, exitCase: ExitCaseOnSlack): Promise<FakeSlackCall> {
  const preparing = await bot.fake.waitFor(
    "chat.postMessage",
    (c) => c.body.thread_ts === exitCase.ts && shown(c).includes("Preparing the last-conversation brief"),
  );
  return bot.fake.waitFor(
    "chat.update",
    (c) => c.body.channel === exitCase.channelId && c.body.ts === preparing.response.ts,
  );
}

type OutcomeInput = {
  outcome?: string | null;
  said?: string;
  suggested?: string;
  surface?: string;
  deep?: string;
};

function outcomeValues(input: OutcomeInput): Record<string, Record<string, ViewStateValue>> {
  const {
    outcome = "leaving_confirmed",
    said = "Your prices went up twice.",
    suggested = "",
    surface = "",
    deep = "",
  } = input;
  const text = (value: string): ViewStateValue => ({ type: "plain_text_input", value });
  return {
    outcome: {
      outcome: {
        type: "radio_buttons",
        selected_option:
          outcome === null ? null : { text: { type: "plain_text", text: outcome }, value: outcome },
      },
    },
    customer_said: { customer_said: text(said) },
    customer_suggested: { customer_suggested: text(suggested) },
    surface_reason: { surface_reason: text(surface) },
    deep_reason: { deep_reason: text(deep) },
  };
}

/** Opens the modal with Record outcome and submits it; returns the modal's ack body. */
async function recordOutcome(bot: TestBot, exitCase: ExitCaseOnSlack, input: OutcomeInput, viewId: string) {
  await click(bot, ids.action.exitOutcome, exitCase);
  const opened = await bot.fake.waitFor("views.open", (c) =>
    (c.body.view as { private_metadata: string }).private_metadata.includes(exitCase.caseId),
  );
  const view = opened.body.view as { callback_id: string; private_metadata: string };
  expect(view.callback_id).toBe(ids.view.exitOutcome);
  return submitOutcome(bot, view.private_metadata, input, viewId);
}

async function submitOutcome(bot: TestBot, privateMetadata: string, input: OutcomeInput, viewId: string) {
  const res = await postInteraction(
    bot.url,
    SIGNING_SECRET,
    viewSubmission({
      callbackId: ids.view.exitOutcome,
      privateMetadata,
      values: outcomeValues(input),
      user: { id: "U0REP" },
      view: { id: viewId },
    }),
  );
  expect(res.status).toBe(200);
  return res.body === "" ? null : res.json<{ response_action: string; errors: Record<string, string> }>();
}

describe("without an AI assistant", () => {
  let bot: TestBot;

  beforeAll(async () => {
    bot = await startTestBot({ now: () => HISTORY_NOW });
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it("Brief posts the brief in the case's thread: history, receivables, risk, reason and the template's questions", async () => {
    const exitCase = await leavingCustomer(bot);
    await click(bot, ids.action.exitBrief, exitCase);
    const brief = await briefPosted(bot, exitCase);
    const text = shown(brief);
    expect(text).toContain(`*Last-conversation brief — ${exitCase.name}*`);
    expect(text).toContain("Prepared for <@U0REP> on 2026-11-23");
    expect(text).toContain("*Customer since* 2019-04-02 (7 years)");
    expect(text).toContain(
      "*Last 12 months* 2 orders (−50% on the 12 months before)  ·  value $800.00 (−60%)",
    );
    expect(text).toContain("praised: Friendly support; complained: Prices went up by $3,000 this year");
    expect(text).toContain("*Open complaints* (1)");
    expect(text).toContain(
      "$1,250.00 open in 2 invoices, *$1,000.00 overdue* in 1 invoice (oldest 40 days past due)",
    );
    expect(text).toContain("*Churn risk 81/100 · Critical*");
    expect(text).toContain("Fight hard");
    expect(text).toContain("*Surface reason* Budget cuts");
    expect(text).toContain(":clipboard: *Talking points*");
    expect(text).toContain("Make one real attempt to keep them");
    expect(text).toContain("termination memo");
    expect(text).not.toContain("AI draft");
    expect(bot.fake.callsTo("chat.postMessage").filter((c) => shown(c).includes("Preparing"))).toEqual([]);
    expect(bot.fake.rejected).toEqual([]);
  });

  it("Record outcome → retained closes the workflow and restores the account", async () => {
    const exitCase = await leavingCustomer(bot, "at_risk");
    const ack = await recordOutcome(
      bot,
      exitCase,
      { outcome: "retained", said: "We stay if delivery gets <better>.", suggested: "Call us monthly." },
      "VRETAINED1",
    );
    expect(ack).toBeNull();
    const updated = await bot.fake.waitFor(
      "chat.update",
      (c) => c.body.ts === exitCase.ts && shown(c).includes("was retained"),
    );
    expect(shown(updated)).toContain(
      `:tada: *${exitCase.name}* was retained on 2026-11-23 — exit handling closed`,
    );
    // The workflow is closed: no buttons are left.
    expect(blocksOf(updated).filter((b) => b.type === "actions")).toEqual([]);
    const line = await bot.fake.waitFor("chat.postMessage", (c) => c.body.thread_ts === exitCase.ts);
    expect(shown(line)).toContain("<@U0REP> — Last conversation: retained — they stay.");
    expect(shown(line)).toContain("We stay if delivery gets &lt;better&gt;.");
    expect(shown(line)).toContain(`Exit handling closed: ${exitCase.name} is at risk again.`);

    const saved = await bot.db.prisma.exitCase.findUniqueOrThrow({
      where: { id: exitCase.caseId },
      include: { account: true, tasks: { where: { number: 1 } }, statusChanges: { orderBy: { at: "asc" } } },
    });
    expect(saved).toMatchObject({
      status: "retained",
      conversationOutcome: "retained",
      customerSaid: "We stay if delivery gets <better>.",
      customerSuggested: "Call us monthly.",
      account: { status: "at_risk" },
      tasks: [expect.objectContaining({ status: "done" })],
    });
    expect(saved.statusChanges.map((c) => [c.fromStatus, c.toStatus])).toEqual([
      ["at_risk", "leaving"],
      ["leaving", "at_risk"],
    ]);

    // The same submit again (Slack retries, a double click) changes nothing.
    expect(
      await submitOutcome(
        bot,
        JSON.stringify({ caseId: exitCase.caseId }),
        { outcome: "retained", said: "We stay if delivery gets <better>.", suggested: "Call us monthly." },
        "VRETAINED1",
      ),
    ).toBeNull();
    expect(await bot.db.prisma.accountStatusChange.count({ where: { exitCaseId: exitCase.caseId } })).toBe(2);

    // Stale buttons on the closed case say so.
    const briefId = await click(bot, ids.action.exitBrief, exitCase);
    const briefRefusal = await bot.fake.waitFor("response_url", (c) => c.responseId === briefId);
    expect(briefRefusal.body).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(briefRefusal.body.text).toContain("exit handling is closed");
    const outcomeId = await click(bot, ids.action.exitOutcome, exitCase);
    const outcomeRefusal = await bot.fake.waitFor("response_url", (c) => c.responseId === outcomeId);
    expect(outcomeRefusal.body.text).toContain("is closed (retained)");
    expect(bot.fake.rejected).toEqual([]);
  });

  it("Record outcome → leaving confirmed finishes task 1 and the other tasks go on", async () => {
    const exitCase = await leavingCustomer(bot);
    const ack = await recordOutcome(
      bot,
      exitCase,
      { said: "Globex is cheaper.", deep: "We never followed up on the broken pallets" },
      "VCONFIRMED1",
    );
    expect(ack).toBeNull();
    const updated = await bot.fake.waitFor("chat.update", (c) => c.body.ts === exitCase.ts);
    const text = shown(updated);
    expect(text).toContain("is leaving — exit handling");
    expect(text).toContain(":white_check_mark: *1. Last conversation* — Done");
    expect(text).toContain("*Deep reason:* We never followed up on the broken pallets");
    const buttons = blocksOf(updated)
      .filter((b) => b.type === "actions")
      .flatMap((b) => (b.elements ?? []) as { action_id: string }[])
      .map((b) => b.action_id);
    expect(buttons).toContain(ids.action.exitBrief);
    expect(buttons).not.toContain(ids.action.exitOutcome);
    expect(buttons).toContain(ids.action.exitLosses);
    const line = await bot.fake.waitFor("chat.postMessage", (c) => c.body.thread_ts === exitCase.ts);
    expect(shown(line)).toContain("Last conversation: leaving confirmed. They said: “Globex is cheaper.”.");
    expect(shown(line)).toContain("Task 1 is done.");

    const saved = await bot.db.prisma.exitCase.findUniqueOrThrow({
      where: { id: exitCase.caseId },
      include: { account: true, tasks: { orderBy: { number: "asc" } } },
    });
    expect(saved).toMatchObject({
      status: "open",
      conversationOutcome: "leaving_confirmed",
      customerSaid: "Globex is cheaper.",
      customerSuggested: null,
      surfaceReason: "Budget cuts",
      deepReason: "We never followed up on the broken pallets",
      account: { status: "leaving" },
    });
    expect(saved.tasks.map((t) => t.status)).toEqual(["done", "todo", "todo", "todo", "todo", "todo"]);

    // Task 1 is finished: the button says so instead of opening the modal again.
    const againId = await click(bot, ids.action.exitOutcome, exitCase);
    const told = await bot.fake.waitFor("response_url", (c) => c.responseId === againId);
    expect(told.body.text).toContain("already recorded");
    expect(bot.fake.rejected).toEqual([]);
  });

  it("the outcome modal answers bad input inline and saves nothing", async () => {
    const exitCase = await leavingCustomer(bot);
    const metadata = JSON.stringify({ caseId: exitCase.caseId });
    expect(await submitOutcome(bot, metadata, { outcome: null, said: "  " }, "VBAD1")).toEqual({
      response_action: "errors",
      errors: {
        outcome: "Pick whether they stay or leave.",
        customer_said: "Write what the customer said (at most 3000 characters).",
      },
    });
    expect(await submitOutcome(bot, "{not json", {}, "VBAD2")).toEqual({
      response_action: "errors",
      errors: { outcome: "This form is out of date. Close it and start again." },
    });
    await bot.db.prisma.exitTask.updateMany({
      where: { caseId: exitCase.caseId, number: 1 },
      data: { status: "not_needed", notNeededReason: "They will not meet" },
    });
    const refused = await submitOutcome(bot, metadata, {}, "VBAD3");
    expect(refused?.errors.outcome).toContain("reopen it");
    const saved = await bot.db.prisma.exitCase.findUniqueOrThrow({ where: { id: exitCase.caseId } });
    expect(saved.conversationOutcome).toBeNull();
  });
});

describe("with an AI assistant", () => {
  let fake: FakeOpenAi;
  let bot: TestBot;
  let noMoneyBot: TestBot;

  beforeAll(async () => {
    fake = await startFakeOpenAi();
    const ai = { OPENAI_API_KEY: FAKE_OPENAI_KEY, OPENAI_BASE_URL: fake.baseUrl, OPENAI_TIMEOUT_MS: "300" };
    bot = await startTestBot({ now: () => HISTORY_NOW, env: ai });
    noMoneyBot = await startTestBot({ now: () => HISTORY_NOW, env: { ...ai, AI_SHARE_MONEY: "false" } });
  });
  afterAll(async () => {
    await bot?.stop();
    await noMoneyBot?.stop();
    await fake?.close();
  });

  const draft = aiDraft;

  it("a valid draft shows the AI's talking points with the facts, marked as an AI draft", async () => {
    fake.answer(TASK, { kind: "json", value: draft });
    const exitCase = await leavingCustomer(bot);
    const before = fake.requestsFor(TASK).length;
    await click(bot, ids.action.exitBrief, exitCase);
    const brief = await briefReplacingPreparing(bot, exitCase);
    const text = shown(brief);
    expect(text).toContain(":robot_face: *Talking points — AI draft*");
    expect(text).toContain("*Open with* Thank them for seven good years.");
    expect(text).toContain("1. What finally decided it?\n2. What one thing should we change?");
    expect(text).toContain("• Settle the overdue invoice first.");
    expect(text).toContain("*Leave the door open* Tell them the door stays open.");
    // The facts are there too.
    expect(text).toContain("*Customer since* 2019-04-02 (7 years)");
    expect(text).toContain("$1,000.00 overdue");
    expect(text).not.toContain("unavailable");

    const sent = fake.requestsFor(TASK).slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.user).toContain(`Customer: ${exitCase.name}`);
    expect(sent[0]?.user).toContain("order value $800.00 (previous $2,000.00, −60%)");
    expect(sent[0]?.user).toContain("2 open invoices totalling $1,250.00");
    expect(sent[0]?.user).not.toContain("U0OWNER");
    expect(bot.fake.rejected).toEqual([]);
  });

  it("a malformed reply gives the template with a note that the AI draft was unavailable", async () => {
    fake.answer(TASK, { kind: "text", text: "Sure! Here are some {questions" });
    const exitCase = await leavingCustomer(bot);
    await click(bot, ids.action.exitBrief, exitCase);
    const text = shown(await briefReplacingPreparing(bot, exitCase));
    expect(text).toContain(":clipboard: *Talking points*");
    expect(text).toContain("Make one real attempt to keep them");
    expect(text).toContain("The AI draft was unavailable (its answer could not be used)");
    expect(text).not.toContain("AI draft* (");
  });

  it("a reply slower than OPENAI_TIMEOUT_MS gives the template with a note", async () => {
    fake.answer(TASK, { kind: "json", value: draft, delayMs: 5000 });
    const exitCase = await leavingCustomer(bot);
    await click(bot, ids.action.exitBrief, exitCase);
    const text = shown(await briefReplacingPreparing(bot, exitCase));
    expect(text).toContain("The AI draft was unavailable (it took too long)");
    expect(text).not.toContain("Thank them for seven good years.");
    expect(text).toContain("termination memo");
  });

  it("with AI_SHARE_MONEY=false no money figure reaches the AI, while the brief still shows them", async () => {
    fake.answer(TASK, { kind: "json", value: draft });
    const exitCase = await leavingCustomer(noMoneyBot);
    const before = fake.requestsFor(TASK).length;
    await click(noMoneyBot, ids.action.exitBrief, exitCase);
    const text = shown(await briefReplacingPreparing(noMoneyBot, exitCase));
    expect(text).toContain("AI draft");
    expect(text).toContain("value $800.00");

    const prompt = fake.requestsFor(TASK).slice(before)[0]?.user ?? "";
    expect(prompt).toContain("Money figures are withheld.");
    expect(prompt).toContain("2 orders (previous 12 months: 4, −50%)");
    expect(prompt).toContain("2 open invoices, 1 overdue, the oldest 40 days");
    expect(prompt).toContain("complained: Prices went up by [amount] this year");
    expect(prompt).toContain("Risk reason: order value −60% ([amount] in the last 90 days vs [amount])");
    for (const figure of ["$", "800", "2,000", "1,250", "1,000", "3,000", "profit $", "margin"])
      expect(prompt).not.toContain(figure);
  });
});
