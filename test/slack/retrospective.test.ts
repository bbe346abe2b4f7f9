// The lost-customer retrospective end to end through the real bot: open it (a thread in the retro
// channel, once), people answer, Summarize (AI prefilled, malformed or slow AI, no AI), save once →
// lessons and corrective actions, tasks 5 and 6 done, the case message refreshed; the lessons library;
// corrective action reminders once a day with a working Done button.
import type { ViewStateValue } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceDeps } from "../../src/services/deps.ts";
import { postExitCase } from "../../src/services/exit/exit-message.ts";
import { startExit } from "../../src/services/exit/start-exit.ts";
import { changeTaskStatus } from "../../src/services/exit/update-task.ts";
import { ids } from "../../src/slack/ids.ts";
import { buildExitCaseMessage, buildExitUpdate } from "../../src/slack/views/exit-case.ts";
import { retroInput } from "../../src/slack/views/retro-summary-modal.ts";
import { createBotWebClient } from "../../src/slack/web-client.ts";
import { type SlackBlock, textOf } from "../support/blocks.ts";
import { BOT_TOKEN, runCustomerCommand, SIGNING_SECRET, startTestBot, type TestBot } from "../support/bot.ts";
import { testDeps } from "../support/deps.ts";
import { FAKE_OPENAI_KEY, type FakeOpenAi, startFakeOpenAi } from "../support/fake-openai.ts";
import type { FakeSlackCall } from "../support/fake-slack.ts";
import { blockActions, postInteraction, viewSubmission } from "../support/slack-requests.ts";

const DAY = 86_400_000;
/** How long to wait for the bot's calls: generous, as a busy machine can be slow (never asserted). */
const WAIT_MS = 20_000;
const RETRO = "CRETRO";
const ACME_CHANNEL = "C0ACME";

type Modal = {
  blocks: (SlackBlock & { block_id?: string; element?: Record<string, unknown> })[];
  private_metadata: string;
};

const blocksText = (call: FakeSlackCall) => textOf(call.body.blocks as SlackBlock[]);
const nextCall = (bot: TestBot, method: string) => {
  const earlier = new Set(bot.fake.callsTo(method));
  return (predicate: (call: FakeSlackCall) => boolean = () => true) =>
    bot.fake.waitFor(method, (call) => !earlier.has(call) && predicate(call), WAIT_MS);
};

/** A leaving account with history and an exit case whose message is posted in its channel. */
async function leavingAccount(bot: TestBot, deps: ServiceDeps, name: string, channelId: string) {
  const prisma = bot.db.prisma;
  const now = deps.now();
  const account = await prisma.account.create({
    data: { externalId: `X-${name}`, name, ownerSlackId: "U0OWNER", channelId, segment: "Retail" },
  });
  await prisma.order.createMany({
    data: Array.from({ length: 20 }, (_, i) => ({
      accountId: account.id,
      externalId: `${name}-O-${i}`,
      orderedAt: new Date(now.getTime() - (20 + i * 30) * DAY),
      quantity: 5,
      amount: BigInt(100_000 + i * 10_000),
      cost: 70_000n,
      currency: "USD",
    })),
  });
  await prisma.warningSign.create({
    data: {
      accountId: account.id,
      kind: "contact_change",
      observedOn: new Date(now.getTime() - 60 * DAY),
      details: "Their purchasing manager left",
      createdBy: "U0OWNER",
    },
  });
  await prisma.complaint.create({
    data: {
      accountId: account.id,
      category: "delivery",
      severity: "high",
      description: "Pallets arrived broken twice",
      ownerSlackId: "U0OWNER",
      createdBy: "U0OWNER",
      createdAt: new Date(now.getTime() - 50 * DAY),
    },
  });
  await prisma.churnWarning.create({
    data: {
      accountId: account.id,
      asOf: new Date(now.getTime() - 40 * DAY),
      risk: 81,
      band: "critical",
      reasons: [],
      verdict: "fight_hard",
      verdictHeadline: "Fight hard",
      actions: [],
      dedupeKey: `${name}-w1`,
      status: "posted",
      postedAt: new Date(now.getTime() - 40 * DAY),
    },
  });
  await prisma.interaction.create({
    data: {
      accountId: account.id,
      kind: "call",
      occurredOn: new Date(now.getTime() - 30 * DAY),
      ourParticipants: ["U0OWNER"],
      summary: "Called about the broken pallets",
      createdBy: "U0OWNER",
    },
  });
  const started = await startExit(deps, {
    accountId: account.id,
    draft: {
      reason: "poor_service",
      surfaceReason: "Budget cuts",
      deepReason: null,
      competitorWon: null,
      expectedEndOn: null,
    },
    warningId: null,
    actorSlackId: "U0BOSS",
    submissionKey: `start-${name}`,
  });
  if (!started.ok) throw new Error("the case did not start");
  const posted = await postExitCase(deps, {
    slack: createBotWebClient(BOT_TOKEN, bot.fake.apiUrl),
    caseId: started.caseId,
    render: { message: buildExitCaseMessage, update: buildExitUpdate },
  });
  if (!posted) throw new Error("the case message was not posted");
  return { accountId: account.id, caseId: started.caseId, message: posted };
}

async function click(
  bot: TestBot,
  input: {
    actionId: string;
    value: string;
    channel: string;
    ts: string;
    user?: string;
    message?: Record<string, unknown>;
  },
) {
  const responseUrl = bot.fake.responseUrl();
  const res = await postInteraction(
    bot.url,
    SIGNING_SECRET,
    blockActions({
      actionId: input.actionId,
      value: input.value,
      channel: { id: input.channel, name: "x" },
      message: { ts: input.ts, ...input.message },
      responseUrl,
      ...(input.user ? { user: { id: input.user } } : {}),
    }),
  );
  expect(res.status).toBe(200);
  return {
    responseUrl,
    answer: () => bot.fake.waitFor("response_url", (c) => responseUrl.endsWith(c.responseId ?? "-"), WAIT_MS),
  };
}

function formValues(input: {
  deepReason?: string;
  reason?: string | null;
  lessons: string[];
  actions: { description: string; owner: string | null; due: string | null }[];
}): Record<string, Record<string, ViewStateValue>> {
  const values: Record<string, Record<string, ViewStateValue>> = {
    [retroInput.deepReason]: {
      [retroInput.deepReason]: { type: "plain_text_input", value: input.deepReason ?? null },
    },
    [retroInput.reason]: {
      [retroInput.reason]: {
        type: "static_select",
        selected_option: input.reason
          ? { text: { type: "plain_text", text: input.reason }, value: input.reason }
          : null,
      },
    },
  };
  for (let i = 0; i < 5; i++) {
    values[retroInput.lesson(i)] = {
      [retroInput.lesson(i)]: { type: "plain_text_input", value: input.lessons[i] ?? null },
    };
    const action = input.actions[i];
    values[retroInput.actionDescription(i)] = {
      [retroInput.actionDescription(i)]: { type: "plain_text_input", value: action?.description ?? null },
    };
    values[retroInput.actionOwner(i)] = {
      [retroInput.actionOwner(i)]: { type: "users_select", selected_user: action?.owner ?? null },
    };
    values[retroInput.actionDue(i)] = {
      [retroInput.actionDue(i)]: { type: "datepicker", selected_date: action?.due ?? null },
    };
  }
  return values;
}

async function submit(bot: TestBot, viewId: string, caseId: string, values: ReturnType<typeof formValues>) {
  return postInteraction(
    bot.url,
    SIGNING_SECRET,
    viewSubmission({
      callbackId: ids.view.retroSummary,
      privateMetadata: JSON.stringify({ caseId }),
      values,
      user: { id: "U0BOSS" },
      view: { id: viewId },
    }),
  );
}

/** Clicks Summarize and returns the form it turns into (views.update of the modal it opened). */
async function summarize(bot: TestBot, caseId: string, promptsTs: string) {
  const nextOpen = nextCall(bot, "views.open");
  const nextUpdate = nextCall(bot, "views.update");
  await click(bot, {
    actionId: ids.action.retroSummarize,
    value: caseId,
    channel: RETRO,
    ts: promptsTs,
    user: "U0BOSS",
  });
  const opened = await nextOpen();
  expect(textOf((opened.body.view as Modal).blocks)).toContain("Summarizing…");
  const viewId = String((opened.response.view as { id: string }).id);
  const updated = await nextUpdate((c) => c.body.view_id === viewId);
  expect(updated.error).toBeUndefined();
  const view = updated.body.view as Modal;
  const element = (id: string) => view.blocks.find((block) => block.block_id === id)?.element ?? {};
  return { viewId, view, text: textOf(view.blocks), element };
}

describe("with the AI and a retro channel", () => {
  let bot: TestBot;
  let ai: FakeOpenAi;
  let deps: ServiceDeps;
  let clock = new Date("2026-11-23T09:00:00Z");
  let acme: Awaited<ReturnType<typeof leavingAccount>>;
  let retroTs = "";
  let promptsTs = "";

  beforeAll(async () => {
    ai = await startFakeOpenAi();
    bot = await startTestBot({
      now: () => clock,
      env: {
        RETRO_CHANNEL: RETRO,
        OPENAI_API_KEY: FAKE_OPENAI_KEY,
        OPENAI_BASE_URL: ai.baseUrl,
        OPENAI_TIMEOUT_MS: "2000",
        AI_SHARE_MONEY: "false",
      },
    });
    deps = testDeps(bot.db, () => clock);
    acme = await leavingAccount(bot, deps, "ACME Corp", ACME_CHANNEL);
  });

  afterAll(async () => {
    await bot?.stop();
    await ai?.close();
  });

  it("opens the retrospective once: the case file and the questions in a thread of the retro channel", async () => {
    const caseUpdate = nextCall(bot, "chat.update");
    const { answer } = await click(bot, {
      actionId: ids.action.exitOpenRetro,
      value: acme.caseId,
      channel: ACME_CHANNEL,
      ts: acme.message.ts,
    });
    expect((await answer()).body.text).toMatch(
      /The retrospective is open <https:\/\/.+\/archives\/CRETRO\/p\d+\|here> in <#CRETRO>/,
    );
    const posts = bot.fake.callsTo("chat.postMessage").filter((c) => c.body.channel === RETRO);
    expect(posts.map((c) => c.error)).toEqual([undefined, undefined, undefined]);
    const [top, records, prompts] = posts as [FakeSlackCall, FakeSlackCall, FakeSlackCall];
    retroTs = String(top.response.ts);
    promptsTs = String(prompts.response.ts);
    expect(top.body.thread_ts).toBeUndefined();
    expect([records.body.thread_ts, prompts.body.thread_ts]).toEqual([retroTs, retroTs]);
    const file = blocksText(top);
    expect(file).toContain("Retrospective: ACME Corp");
    expect(file).toContain("*Reason:* Poor service (within our control)");
    expect(file).toMatch(/Orders and profit, \w{3} 2024 – Nov 2026/);
    expect(file).toContain("5. Keep the lesson — *To do*");
    const recordsText = blocksText(records);
    expect(recordsText).toContain("Purchasing / decision-maker change — Their purchasing manager left");
    expect(recordsText).toContain("Pallets arrived broken twice");
    expect(recordsText).toContain("*never acknowledged*");
    expect(recordsText).toContain("Called about the broken pallets");
    expect(blocksText(prompts)).toContain("What could we have done");
    expect(await bot.db.prisma.exitCase.findUniqueOrThrow({ where: { id: acme.caseId } })).toMatchObject({
      retroChannelId: RETRO,
      retroTs,
      retroOpenedAt: clock,
    });
    expect(
      (await bot.db.prisma.exitTask.findFirstOrThrow({ where: { caseId: acme.caseId, number: 5 } })).status,
    ).toBe("doing");
    // The case message shows task 5 under way, and its thread points at the retrospective.
    const refreshed = await caseUpdate((c) => c.body.ts === acme.message.ts);
    expect(blocksText(refreshed)).toContain("5. Keep the lesson* — Doing");
    const line = await bot.fake.waitFor(
      "chat.postMessage",
      (c) => c.body.channel === ACME_CHANNEL && c.body.thread_ts === acme.message.ts,
    );
    expect(blocksText(line)).toContain("Retrospective opened · 5. Keep the lesson: To do → Doing");
    expect(blocksText(line)).toMatch(
      /<https:\/\/.+\/archives\/CRETRO\/p\d+\|Go to the retrospective> in <#CRETRO>/,
    );
    expect(bot.fake.rejected).toEqual([]);
  });

  it("a second click says where the thread is and posts nothing new", async () => {
    const before = bot.fake.callsTo("chat.postMessage").length;
    const { answer } = await click(bot, {
      actionId: ids.action.exitOpenRetro,
      value: acme.caseId,
      channel: ACME_CHANNEL,
      ts: acme.message.ts,
    });
    expect((await answer()).body.text).toMatch(/already open <https:\/\/.+\/archives\/CRETRO\/p\d+\|here>/);
    expect(bot.fake.callsTo("chat.postMessage")).toHaveLength(before);
  });

  it("Summarize prefills the form from the AI's reading of the answers, without money", async () => {
    bot.fake.addReply(RETRO, retroTs, {
      user: "U0ANNA",
      text: "We lost $12,000 of orders before anyone visited the new buyer",
    });
    bot.fake.addReply(RETRO, retroTs, {
      user: "U0BEN",
      text: "The complaint sat open for weeks; nobody escalated it",
    });
    ai.answer("retro_summary", {
      kind: "json",
      value: {
        deepReason: "Nobody built a relationship with the new buyer",
        reason: "relationship_change",
        lessons: ["Visit a new buyer within two weeks", "Escalate a complaint past its target"],
        actions: [
          { description: "Add the new-buyer visit to the playbook", owner: "U0ANNA", dueInDays: 14 },
          { description: "Weekly review of overdue complaints", owner: "U0STRANGER", dueInDays: 7 },
        ],
      },
    });
    const form = await summarize(bot, acme.caseId, promptsTs);
    expect(form.text).toContain("Prefilled by the AI from the thread");
    expect(form.element(retroInput.deepReason).initial_value).toBe(
      "Nobody built a relationship with the new buyer",
    );
    expect(form.element(retroInput.reason).initial_option).toMatchObject({ value: "relationship_change" });
    expect(form.element(retroInput.lesson(0)).initial_value).toBe("Visit a new buyer within two weeks");
    expect(form.element(retroInput.actionOwner(0)).initial_user).toBe("U0ANNA");
    expect(form.element(retroInput.actionDue(0)).initial_date).toBe("2026-12-07");
    // Not a participant in the thread: left for the person to pick.
    expect(form.element(retroInput.actionOwner(1)).initial_user).toBeUndefined();
    const sent = ai.requestsFor("retro_summary").at(-1);
    expect(sent?.user).toContain("U0ANNA: We lost [amount] of orders");
    expect(sent?.user).toContain("U0BEN: The complaint sat open");
    for (const left of ["$12,000", "ACME", "Net loss", "What went well"])
      expect(sent?.user).not.toContain(left);
  });

  it("Summarize falls back to the empty form with a note when the AI answers out of shape, or too late", async () => {
    ai.answer("retro_summary", { kind: "text", text: "Sure! Here are the lessons: …" });
    const malformed = await summarize(bot, acme.caseId, promptsTs);
    expect(malformed.text).toContain("could not be used, so the form is empty");
    expect(malformed.element(retroInput.lesson(0)).initial_value).toBeUndefined();
    // The case's own reason stays filled in.
    expect(malformed.element(retroInput.reason).initial_option).toMatchObject({ value: "poor_service" });

    ai.answer("retro_summary", {
      kind: "json",
      value: { deepReason: "late", reason: null, lessons: ["late"], actions: [] },
      delayMs: 15_000,
    });
    const slow = await summarize(bot, acme.caseId, promptsTs);
    expect(slow.text).toContain("took too long");
    expect(slow.element(retroInput.lesson(0)).initial_value).toBeUndefined();
  });

  it("saving checks the form, then stores lessons and actions once, finishes tasks 5 and 6 and tells both threads", async () => {
    const viewId = "VRETROSAVE1";
    const invalid = await submit(
      bot,
      viewId,
      acme.caseId,
      formValues({ lessons: [], actions: [{ description: "No owner yet", owner: null, due: "2026-11-01" }] }),
    );
    expect(invalid.json()).toEqual({
      response_action: "errors",
      errors: {
        [retroInput.lesson(0)]: expect.stringMatching(/at least one lesson/),
        [retroInput.actionOwner(0)]: "An action needs an owner.",
        [retroInput.actionDue(0)]: "The due date cannot be in the past.",
      },
    });
    expect(await bot.db.prisma.lesson.count()).toBe(0);

    const caseUpdate = nextCall(bot, "chat.update");
    const retroLine = nextCall(bot, "chat.postMessage");
    const values = formValues({
      deepReason: "Nobody built a relationship with the new buyer",
      reason: "relationship_change",
      lessons: ["Visit a new buyer within two weeks", "Escalate a complaint past its target"],
      actions: [
        { description: "Add the new-buyer visit to the playbook", owner: "U0ANNA", due: "2026-12-07" },
      ],
    });
    const saved = await submit(bot, viewId, acme.caseId, values);
    expect(saved.status).toBe(200);
    expect(saved.body).toBe("");
    const posted = await retroLine((c) => c.body.channel === RETRO && c.body.thread_ts === retroTs);
    expect(blocksText(posted)).toContain("Retrospective summarized* by <@U0BOSS>");
    expect(blocksText(posted)).toContain("1. Visit a new buyer within two weeks");
    expect(blocksText(posted)).toContain(
      "Add the new-buyer visit to the playbook — <@U0ANNA>, due 2026-12-07",
    );
    const refreshed = await caseUpdate((c) => c.body.ts === acme.message.ts);
    expect(blocksText(refreshed)).toContain("5. Keep the lesson* — Done");
    expect(blocksText(refreshed)).toContain("6. Use the mistake as a step* — Done");

    // The same submission again (Slack retries, a double click): nothing more.
    const before = bot.fake.callsTo("chat.postMessage").length;
    expect((await submit(bot, viewId, acme.caseId, values)).status).toBe(200);
    expect(await bot.db.prisma.lesson.count({ where: { caseId: acme.caseId } })).toBe(2);
    expect(await bot.db.prisma.correctiveAction.count({ where: { caseId: acme.caseId } })).toBe(1);
    expect(await bot.db.prisma.exitCase.findUniqueOrThrow({ where: { id: acme.caseId } })).toMatchObject({
      reason: "relationship_change",
      deepReason: "Nobody built a relationship with the new buyer",
      retroSummarizedAt: clock,
      status: "open",
    });
    expect(bot.fake.callsTo("chat.postMessage")).toHaveLength(before);
    expect(bot.fake.rejected).toEqual([]);
  });

  it("/customer lessons finds the lesson by a word, with a link to its retrospective", async () => {
    const found = await runCustomerCommand(bot, "lessons buyer");
    expect(found.text).toContain("Lessons matching “buyer”* — 1 lesson");
    expect(found.text).toContain("Visit a new buyer within two weeks");
    expect(found.text).toMatch(
      /\*ACME Corp\* · Retail · Relationship or personnel change · 2026-11-23 · <https:\/\/.+\/archives\/CRETRO\/p\d+\|the retrospective>/,
    );
    expect((await runCustomerCommand(bot, "lessons buyer zebra")).text).toContain(
      "No lessons match “buyer zebra”",
    );
    expect((await runCustomerCommand(bot, "help")).text).toContain("lessons [words]");
  });

  it("reminds the action's owner once a day when due, and Done marks it done once", async () => {
    const dm = "D0ANNA";
    const dms = () => bot.fake.callsTo("chat.postMessage").filter((c) => c.response.channel === dm);
    clock = new Date("2026-12-06T09:00:00Z");
    expect(await bot.runJob("corrective-action-reminders")).toBe(true);
    expect(dms()).toHaveLength(0);
    clock = new Date("2026-12-08T09:00:00Z");
    expect(await bot.runJob("corrective-action-reminders")).toBe(true);
    expect(await bot.runJob("corrective-action-reminders")).toBe(true);
    expect(dms()).toHaveLength(1);
    const reminder = dms()[0] as FakeSlackCall;
    expect(blocksText(reminder)).toContain("Add the new-buyer visit to the playbook");
    expect(blocksText(reminder)).toContain("overdue by 1 day");
    const action = await bot.db.prisma.correctiveAction.findFirstOrThrow({ where: { caseId: acme.caseId } });

    const retroLine = nextCall(bot, "chat.postMessage");
    const done = await click(bot, {
      actionId: ids.action.correctiveActionDone,
      value: action.id,
      channel: dm,
      ts: String(reminder.response.ts),
      user: "U0ANNA",
      message: { text: reminder.body.text, blocks: reminder.body.blocks },
    });
    const replaced = await done.answer();
    expect(replaced.body.replace_original).toBe(true);
    expect(textOf(replaced.body.blocks as SlackBlock[])).toContain(
      "~Add the new-buyer visit to the playbook~\nDone by <@U0ANNA> on 2026-12-08",
    );
    const line = await retroLine((c) => c.body.channel === RETRO && c.body.thread_ts === retroTs);
    expect(blocksText(line)).toContain(
      "<@U0ANNA> finished a corrective action: *Add the new-buyer visit to the playbook*",
    );
    expect(
      await bot.db.prisma.correctiveAction.findUniqueOrThrow({ where: { id: action.id } }),
    ).toMatchObject({
      status: "done",
      doneBy: "U0ANNA",
    });

    const again = await click(bot, {
      actionId: ids.action.correctiveActionDone,
      value: action.id,
      channel: dm,
      ts: String(reminder.response.ts),
      user: "U0BEN",
    });
    expect((await again.answer()).body.text).toBe(
      "This corrective action is already done (by <@U0ANNA> on 2026-12-08).",
    );
    // Done: no reminder the next day.
    clock = new Date("2026-12-09T09:00:00Z");
    expect(await bot.runJob("corrective-action-reminders")).toBe(true);
    expect(dms()).toHaveLength(1);
  });
});

describe("without AI and without a retro channel", () => {
  let bot: TestBot;
  let deps: ServiceDeps;
  const clock = new Date("2026-11-23T09:00:00Z");

  beforeAll(async () => {
    bot = await startTestBot({ now: () => clock });
    deps = testDeps(bot.db, () => clock);
  });

  afterAll(async () => {
    await bot?.stop();
  });

  it("says how to set the retro channel, then a summary from the empty form ends the case as lost", async () => {
    const globex = await leavingAccount(bot, deps, "Globex", "C0GLOBEX");
    const { answer } = await click(bot, {
      actionId: ids.action.exitOpenRetro,
      value: globex.caseId,
      channel: "C0GLOBEX",
      ts: globex.message.ts,
    });
    expect((await answer()).body.text).toContain("Set `RETRO_CHANNEL` (or `MANAGERS_CHANNEL`)");
    expect(bot.fake.callsTo("chat.postMessage").filter((c) => c.body.channel === RETRO)).toEqual([]);

    // As if opened in a channel set since: the thread exists, people answered.
    const slack = createBotWebClient(BOT_TOKEN, bot.fake.apiUrl);
    const top = await slack.chat.postMessage({ channel: "CMANAGERS", text: "Retrospective: Globex" });
    const retroTs = String(top.ts);
    await bot.db.prisma.exitCase.update({
      where: { id: globex.caseId },
      data: { retroChannelId: "CMANAGERS", retroTs, retroOpenedAt: clock },
    });
    bot.fake.addReply("CMANAGERS", retroTs, { user: "U0ANNA", text: "Our prices went up twice in a year" });
    for (const task of await bot.db.prisma.exitTask.findMany({
      where: { caseId: globex.caseId, number: { lte: 4 } },
    }))
      await changeTaskStatus(deps, {
        taskId: task.id,
        to: "not_needed",
        notNeededReason: "test",
        actorSlackId: "U0BOSS",
      });

    const nextOpen = nextCall(bot, "views.open");
    const nextUpdate = nextCall(bot, "views.update");
    await click(bot, {
      actionId: ids.action.retroSummarize,
      value: globex.caseId,
      channel: "CMANAGERS",
      ts: retroTs,
    });
    const viewId = String(((await nextOpen()).response.view as { id: string }).id);
    const form = (await nextUpdate((c) => c.body.view_id === viewId)).body.view as Modal;
    expect(textOf(form.blocks)).toContain("No AI assistant is configured, so the form is empty");

    const caseUpdate = nextCall(bot, "chat.update");
    const res = await submit(
      bot,
      viewId,
      globex.caseId,
      formValues({
        reason: "price_too_high",
        lessons: ["Announce price rises a quarter ahead"],
        actions: [],
      }),
    );
    expect(res.body).toBe("");
    const refreshed = await caseUpdate((c) => c.body.ts === globex.message.ts);
    expect(blocksText(refreshed)).toContain("*Globex* was lost on 2026-11-23 — every exit task is finished");
    expect(await bot.db.prisma.account.findUniqueOrThrow({ where: { id: globex.accountId } })).toMatchObject({
      status: "lost",
    });
    const found = await runCustomerCommand(bot, "lessons price");
    expect(found.text).toContain("Announce price rises a quarter ahead");
    expect(found.text).toContain("*Globex* · Retail · Price too high");
    expect(bot.fake.rejected).toEqual([]);
  });
});
