// One customer walked all the way through the real bot, every step by the buttons and modals a person
// would use: the daily scan's critical warning → Start exit handling → the six tasks (last
// conversation, domino outreach, company-level note, losses) → lost → the retrospective thread with
// replies → Summarize (with the AI, and without it) → lessons and corrective actions → the lessons
// search → the churn report, whose rate is recounted here from the seeded history.
import type { ViewStateValue } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ids } from "../../src/slack/ids.ts";
import { taskStatusActionId } from "../../src/slack/views/exit-case.ts";
import { outcomeFields } from "../../src/slack/views/exit-outcome-modal.ts";
import { retroInput } from "../../src/slack/views/retro-summary-modal.ts";
import { type SlackBlock, textOf } from "../support/blocks.ts";
import { runCustomerCommand, startTestBot, type TestBot } from "../support/bot.ts";
import {
  blocksText,
  casePosted,
  click,
  exitStartValues,
  input,
  nextCall,
  type OpenedView,
  openedView,
  privateAnswer,
  savedCase,
  snapshot,
  submit,
  threadLine,
  updated,
} from "../support/exit.ts";
import { FAKE_OPENAI_KEY, type FakeOpenAi, startFakeOpenAi } from "../support/fake-openai.ts";
import type { FakeSlackCall } from "../support/fake-slack.ts";

const DAY = 86_400_000;
const WARNINGS_CHANNEL = "CWARNINGS";
const RETRO = "CRETRO";
const FADING = "C0FADING";
const OWNER = "U0OWNER";
const MANAGER = "U0BOSS";

type Button = { action_id: string; value: string; text: { text: string } };

/** The buttons of a message as posted or last updated. */
function buttonsOf(call: FakeSlackCall): Button[] {
  return ((call.body.blocks ?? []) as SlackBlock[]).flatMap((block) => [
    ...((block.elements ?? []) as Button[]).filter((element) => "action_id" in element),
    ...(block.accessory ? [block.accessory as Button] : []).filter((element) => "action_id" in element),
  ]);
}

function buttonValue(call: FakeSlackCall, actionId: string, valueContains = ""): string {
  const found = buttonsOf(call).find((b) => b.action_id === actionId && b.value.includes(valueContains));
  if (!found) throw new Error(`no ${actionId} button (${valueContains}) on the message`);
  return found.value;
}

type Seeded = { id: string; firstOrderDay: string | null };

describe.each([
  { ai: true, title: "with the AI assistant" },
  { ai: false, title: "without an AI assistant" },
])("a customer walked from a critical warning to the churn report, $title", ({ ai: withAi }) => {
  let bot: TestBot;
  let fakeAi: FakeOpenAi | undefined;
  const clock = new Date("2026-11-23T09:00:00Z");
  const seeded: Seeded[] = [];
  let fadingId = "";
  let partnerName = "";
  let caseId = "";
  let caseTs = "";
  /** The case's message as last rendered (posted or updated). */
  let caseMessage: FakeSlackCall;

  /** Refreshes `caseMessage` with the update made after `before`. */
  async function caseUpdated(before: ReadonlySet<FakeSlackCall>) {
    caseMessage = await updated(bot, before, FADING, caseTs);
    return caseMessage;
  }

  async function clickOnCase(actionId: string, valueContains = "", user = OWNER) {
    return click(bot, {
      actionId,
      value: buttonValue(caseMessage, actionId, valueContains),
      channel: FADING,
      ts: caseTs,
      user,
    });
  }

  async function finishTask(number: number) {
    const task = await bot.db.prisma.exitTask.findFirstOrThrow({ where: { caseId, number } });
    const before = snapshot(bot);
    await clickOnCase(taskStatusActionId("done"), task.id);
    await caseUpdated(before);
    expect((await bot.db.prisma.exitTask.findUniqueOrThrow({ where: { id: task.id } })).status).toBe("done");
  }

  beforeAll(async () => {
    fakeAi = withAi ? await startFakeOpenAi() : undefined;
    bot = await startTestBot({
      now: () => clock,
      env: {
        WARNINGS_CHANNEL,
        RETRO_CHANNEL: RETRO,
        ...(fakeAi
          ? { OPENAI_API_KEY: FAKE_OPENAI_KEY, OPENAI_BASE_URL: fakeAi.baseUrl, OPENAI_TIMEOUT_MS: "5000" }
          : {}),
      },
    });
    const prisma = bot.db.prisma;
    const orders: {
      accountId: string;
      externalId: string;
      orderedAt: Date;
      quantity: number;
      amount: bigint;
      cost: bigint;
      currency: string;
    }[] = [];
    const account = async (externalId: string, name: string, data: Record<string, string> = {}) => {
      const row = await prisma.account.create({ data: { externalId, name, ...data } });
      return row.id;
    };
    const order = (accountId: string, externalId: string, daysAgo: number, amount: bigint) =>
      orders.push({
        accountId,
        externalId,
        orderedAt: new Date(clock.getTime() - daysAgo * DAY),
        quantity: 10,
        amount,
        cost: (amount * 7n) / 10n,
        currency: "USD",
      });
    const firstOrderDay = (daysAgo: number) =>
      new Date(clock.getTime() - daysAgo * DAY).toISOString().slice(0, 10);

    // The customer who leaves: ordered every week for two years, then stopped four months ago; a
    // competitor is courting them, their buyer changed, and a critical complaint is overdue.
    fadingId = await account("W-FADING", "Fading Foods Inc.", {
      channelId: FADING,
      ownerSlackId: OWNER,
      segment: "Retail",
    });
    for (let week = 104; week >= 17; week--) order(fadingId, `FD-${week}`, week * 7, 250_000n);
    seeded.push({ id: fadingId, firstOrderDay: firstOrderDay(104 * 7) });
    // A steady customer in the same segment: at domino risk when Fading leaves.
    partnerName = "Retail Partner GmbH";
    const partnerId = await account("W-PARTNER", partnerName, { ownerSlackId: "U0ANNA", segment: "Retail" });
    for (let week = 104; week >= 1; week--) order(partnerId, `PT-${week}`, week * 7, 100_000n);
    seeded.push({ id: partnerId, firstOrderDay: firstOrderDay(104 * 7) });
    // A population for the purchase model, some of them new this month (not customers at its start).
    for (let n = 0; n < 30; n++) {
      const id = await account(`W-F${n}`, `Filler ${n}`);
      const ages = Array.from({ length: 1 + (n % 6) }, (_, k) => 10 + k * (15 + n));
      for (const [k, age] of ages.entries()) order(id, `WF-${n}-${k}`, age, 5_000n);
      seeded.push({ id, firstOrderDay: firstOrderDay(Math.max(...ages)) });
    }
    await prisma.order.createMany({ data: orders });
    await prisma.warningSign.createMany({
      data: [
        {
          accountId: fadingId,
          kind: "competitor_activity",
          observedOn: new Date(clock.getTime() - 10 * DAY),
          details: "Rival Foods offered them 15% off",
          competitorName: "Rival Foods",
          createdBy: OWNER,
        },
        {
          accountId: fadingId,
          kind: "contact_change",
          observedOn: new Date(clock.getTime() - 30 * DAY),
          details: "Their buyer moved to another company",
          createdBy: OWNER,
        },
      ],
    });
    await prisma.complaint.create({
      data: {
        accountId: fadingId,
        category: "delivery",
        severity: "critical",
        description: "Three late deliveries before Christmas",
        ownerSlackId: OWNER,
        createdBy: OWNER,
        createdAt: new Date(clock.getTime() - 40 * DAY),
      },
    });
  });

  afterAll(async () => {
    await bot?.stop();
    await fakeAi?.close();
  });

  it("1. the daily scan posts a critical warning in the account's channel, offering to start exit handling", async () => {
    const before = snapshot(bot);
    expect(await bot.runJob("risk-scan")).toBe(true);
    const warning = await nextCall(bot, "chat.postMessage", before, (c) => c.body.channel === FADING);
    expect(blocksText(warning)).toContain("Churn warning: Fading Foods Inc.");
    expect(blocksText(warning)).toMatch(/Churn risk \d+\/100 · Critical/);

    const startBefore = snapshot(bot);
    await click(bot, {
      actionId: ids.action.exitStart,
      value: buttonValue(warning, ids.action.exitStart),
      channel: FADING,
      ts: String(warning.response.ts),
      user: OWNER,
    });
    const modal = await openedView(bot, startBefore, ids.view.exitStart);
    const errors = await submit(bot, {
      view: modal,
      user: OWNER,
      values: exitStartValues({
        reason: "price_too_high",
        surface: "Budget cuts",
        competitor: "Rival Foods",
        expectedEnd: "2026-12-31",
      }),
    });
    expect(errors).toEqual({});
    caseMessage = await casePosted(bot, startBefore, FADING);
    caseTs = String(caseMessage.response.ts);
    const row = await savedCase(bot, fadingId);
    caseId = row.id;
    expect(row).toMatchObject({ reason: "price_too_high", competitorWon: "Rival Foods", status: "open" });
    expect(row.account.status).toBe("leaving");
    expect(row.tasks).toHaveLength(6);
    expect(blocksText(caseMessage)).toContain("*Fading Foods Inc.* is leaving");
    const answered = await bot.db.prisma.churnWarning.findFirstOrThrow({ where: { accountId: fadingId } });
    expect(answered.status).not.toBe("posted");
  });

  it("2. task 1: the brief, then the last conversation's outcome: leaving confirmed", async () => {
    const before = snapshot(bot);
    await clickOnCase(ids.action.exitBrief);
    // Posted at once from the template, or first as "Preparing…" while the AI drafts its questions.
    const posted = await nextCall(
      bot,
      "chat.postMessage",
      before,
      (c) => c.body.thread_ts === caseTs && /last-conversation brief/i.test(blocksText(c)),
    );
    const brief = blocksText(posted).includes("Preparing")
      ? await nextCall(bot, "chat.update", before, (c) => c.body.ts === posted.response.ts)
      : posted;
    expect(blocksText(brief)).toContain("Last-conversation brief — Fading Foods Inc.");
    expect(blocksText(brief)).toContain("Three late deliveries before Christmas");

    const outcomeBefore = snapshot(bot);
    await clickOnCase(ids.action.exitOutcome);
    const modal = await openedView(bot, outcomeBefore, ids.view.exitOutcome);
    expect(
      await submit(bot, {
        view: modal,
        user: OWNER,
        values: {
          ...input.select(outcomeFields.outcome, "leaving_confirmed"),
          ...input.text(outcomeFields.said, "Rival Foods is 15% cheaper and delivers on time."),
          ...input.text(outcomeFields.suggested, "Warn us before prices change."),
          ...input.text(outcomeFields.surfaceReason, null),
          ...input.text(outcomeFields.deepReason, "Late deliveries made the price gap matter"),
        },
      }),
    ).toEqual({});
    await caseUpdated(outcomeBefore);
    expect(blocksText(caseMessage)).toContain("*1. Last conversation* — Done");
  });

  it("3. tasks 2 and 3: the customers at domino risk, one outreach, the company-level note", async () => {
    const listed = await clickOnCase(ids.action.exitDomino, '"task":2');
    expect(await privateAnswer(bot, listed)).toContain(partnerName);

    const outreachBefore = snapshot(bot);
    await clickOnCase(ids.action.exitOutreach, '"task":2');
    const outreach = await openedView(bot, outreachBefore, ids.view.exitOutreach);
    const partner = await bot.db.prisma.account.findFirstOrThrow({ where: { name: partnerName } });
    expect(
      await submit(bot, {
        view: outreach,
        user: OWNER,
        values: {
          ...input.select("exit_outreach_pick", partner.id),
          exit_outreach_account: {
            [ids.action.accountSelect]: { type: "external_select", selected_option: null } as ViewStateValue,
          },
          ...input.user("exit_outreach_by", "U0ANNA"),
          ...input.date("exit_outreach_on", "2026-11-23"),
          ...input.text("exit_outreach_outcome", "Told them the truth; they stay with us."),
        },
      }),
    ).toEqual({});
    await threadLine(bot, outreachBefore, caseTs, `Outreach to ${partnerName}`);
    await finishTask(2);

    const noteBefore = snapshot(bot);
    await clickOnCase(ids.action.exitOutreach, '"task":3');
    const note = await openedView(bot, noteBefore, ids.view.exitOutreach);
    expect(
      await submit(bot, {
        view: note,
        user: MANAGER,
        values: {
          ...input.select("exit_outreach_pick", null),
          exit_outreach_account: {
            [ids.action.accountSelect]: { type: "external_select", selected_option: null } as ViewStateValue,
          },
          ...input.user("exit_outreach_by", MANAGER),
          ...input.date("exit_outreach_on", "2026-11-23"),
          ...input.text("exit_outreach_outcome", null),
          ...input.text("exit_outreach_company", "Customer meeting: delivery plan for 2027"),
        },
      }),
    ).toEqual({});
    await threadLine(bot, noteBefore, caseTs, "Company-level communication: Customer meeting");
    await finishTask(3);
  });

  it("4. task 4: the four loss items with their totals", async () => {
    const before = snapshot(bot);
    await clickOnCase(ids.action.exitLosses);
    const losses = await openedView(bot, before, ids.view.exitLosses);
    const amount = (id: string, value: string | null) => input.text(id, value);
    expect(
      await submit(bot, {
        view: losses,
        user: MANAGER,
        values: {
          ...amount("exit_losses_receivables_outstanding", "5000"),
          ...amount("exit_losses_receivables_recovered", "4000"),
          ...amount("exit_losses_compensation_claimed", "2000"),
          ...amount("exit_losses_compensation_agreed", "500"),
          ...amount("exit_losses_goods_returned", "300"),
          ...amount("exit_losses_market_gap", "12000"),
        },
      }),
    ).toEqual({});
    // Unrecovered 1,000 + returned 300 + market gap 12,000 − compensation 500.
    const line = await threadLine(bot, before, caseTs, "4. Cut the loss");
    expect(String(line.body.text)).toContain("net loss $12,800.00");
    await finishTask(4);
  });

  let retroTs = "";
  let promptsTs = "";

  it("5. the retrospective opens in a thread of the retro channel with the case file", async () => {
    const before = snapshot(bot);
    await clickOnCase(ids.action.exitOpenRetro, "", MANAGER);
    const top = await nextCall(
      bot,
      "chat.postMessage",
      before,
      (c) => c.body.channel === RETRO && !c.body.thread_ts,
    );
    retroTs = String(top.response.ts);
    expect(blocksText(top)).toContain("Retrospective: Fading Foods Inc.");
    expect(blocksText(top)).toContain("*Reason:* Price too high (within our control)");
    const prompts = await nextCall(
      bot,
      "chat.postMessage",
      before,
      (c) =>
        c.body.channel === RETRO &&
        c.body.thread_ts === retroTs &&
        blocksText(c).includes("What could we have done"),
    );
    promptsTs = String(prompts.response.ts);
    await caseUpdated(before);
    expect(blocksText(caseMessage)).toContain("5. Keep the lesson* — Doing");
  });

  it("6. people answer in the thread; Summarize turns it into a form; saving keeps lessons and actions and ends the case as lost", async () => {
    bot.fake.addReply(RETRO, retroTs, {
      user: "U0ANNA",
      text: "Nobody looked at the late deliveries until the complaint was critical",
    });
    bot.fake.addReply(RETRO, retroTs, { user: OWNER, text: "I never met their new buyer" });
    fakeAi?.answer("retro_summary", {
      kind: "json",
      value: {
        deepReason: "Late deliveries went unwatched until price became the excuse",
        reason: "poor_service",
        lessons: ["Watch delivery complaints on key accounts weekly"],
        actions: [{ description: "Weekly delivery review for key accounts", owner: "U0ANNA", dueInDays: 14 }],
      },
    });

    const openBefore = snapshot(bot);
    await click(bot, {
      actionId: ids.action.retroSummarize,
      value: caseId,
      channel: RETRO,
      ts: promptsTs,
      user: MANAGER,
    });
    const opened = await nextCall(bot, "views.open", openBefore);
    const viewId = String((opened.response.view as { id: string }).id);
    const form = await nextCall(bot, "views.update", openBefore, (c) => c.body.view_id === viewId);
    const view = form.body.view as OpenedView;
    const element = (id: string) =>
      (view.blocks as (SlackBlock & { block_id?: string; element?: Record<string, unknown> })[]).find(
        (block) => block.block_id === id,
      )?.element ?? {};
    if (withAi) {
      expect(textOf(view.blocks)).toContain("Prefilled by the AI from the thread");
      expect(element(retroInput.lesson(0)).initial_value).toBe(
        "Watch delivery complaints on key accounts weekly",
      );
      expect(fakeAi?.requestsFor("retro_summary").at(-1)?.user).toContain("I never met their new buyer");
    } else {
      expect(element(retroInput.lesson(0)).initial_value).toBeUndefined();
    }

    // What a person saves: with the AI, its draft kept and one lesson added; without it, typed in.
    const values: Record<string, Record<string, ViewStateValue>> = {
      ...input.text(retroInput.deepReason, "Late deliveries went unwatched until price became the excuse"),
      ...input.select(retroInput.reason, "poor_service"),
      ...input.text(retroInput.lesson(0), "Watch delivery complaints on key accounts weekly"),
      ...input.text(retroInput.lesson(1), "Meet a new buyer within two weeks"),
      ...input.text(retroInput.actionDescription(0), "Weekly delivery review for key accounts"),
      ...input.user(retroInput.actionOwner(0), "U0ANNA"),
      ...input.date(retroInput.actionDue(0), "2026-12-07"),
    };
    for (let i = 2; i < 5; i++) Object.assign(values, input.text(retroInput.lesson(i), null));
    for (let i = 1; i < 5; i++)
      Object.assign(
        values,
        input.text(retroInput.actionDescription(i), null),
        {
          [retroInput.actionOwner(i)]: {
            [retroInput.actionOwner(i)]: { type: "users_select", selected_user: null },
          },
        },
        input.date(retroInput.actionDue(i), null),
      );
    const saveBefore = snapshot(bot);
    expect(
      await submit(bot, {
        view: { callback_id: ids.view.retroSummary, private_metadata: view.private_metadata },
        viewId,
        user: MANAGER,
        values,
      }),
    ).toEqual({});
    const summary = await nextCall(
      bot,
      "chat.postMessage",
      saveBefore,
      (c) => c.body.channel === RETRO && c.body.thread_ts === retroTs,
    );
    expect(blocksText(summary)).toContain("1. Watch delivery complaints on key accounts weekly");
    await caseUpdated(saveBefore);
    expect(blocksText(caseMessage)).toContain("was lost on 2026-11-23");

    const exitCase = await bot.db.prisma.exitCase.findUniqueOrThrow({
      where: { id: caseId },
      include: { lessons: true, actions: true, tasks: true, account: true },
    });
    expect(exitCase).toMatchObject({
      status: "lost",
      reason: "poor_service",
      closedOn: new Date("2026-11-23"),
    });
    expect(exitCase.account.status).toBe("lost");
    expect(exitCase.tasks.map((t) => t.status).sort()).toEqual([
      "done",
      "done",
      "done",
      "done",
      "done",
      "done",
    ]);
    expect(exitCase.lessons.map((l) => l.text).sort()).toEqual([
      "Meet a new buyer within two weeks",
      "Watch delivery complaints on key accounts weekly",
    ]);
    expect(exitCase.actions).toEqual([
      expect.objectContaining({
        description: "Weekly delivery review for key accounts",
        ownerSlackId: "U0ANNA",
        dueOn: new Date("2026-12-07"),
        status: "open",
      }),
    ]);
  });

  it("7. /customer lessons finds the lesson and links back to its case", async () => {
    const found = await runCustomerCommand(bot, "lessons delivery");
    expect(found.text).toContain("Watch delivery complaints on key accounts weekly");
    expect(found.text).toContain("Fading Foods Inc.");
    expect(found.text).toMatch(/archives\/CRETRO\/p\d+/);
    const none = await runCustomerCommand(bot, "lessons zeppelin");
    expect(none.text).not.toContain("Watch delivery complaints");
  });

  it("8. the churn report counts the loss: its rate recounted from the seeded history", async () => {
    // Customers at the start of November: bought before it (all seeded accounts are active then).
    const atStart = seeded.filter((s) => s.firstOrderDay !== null && s.firstOrderDay < "2026-11-01").length;
    expect(atStart).toBeGreaterThan(1);
    expect(atStart).toBeLessThan(seeded.length);
    const report = await runCustomerCommand(bot, "report month");
    expect(report.text).toContain("Churn report: November 2026 to date");
    expect(report.text).toContain(
      `1 of ${atStart} customers at the start lost: ${((100 * 1) / atStart).toFixed(1)}%`,
    );
    expect(report.text).toContain("Poor service");
    expect(report.text).toContain("$12,800.00");
  });

  it("9. the lost customer buys again: Won back on the card; the loss stays in the history and the report", async () => {
    const card = await runCustomerCommand(bot, "fading foods");
    expect(card.text).toContain("*Status*\nLost");
    const wonBack = buttonsOf(card.call).find((b) => b.action_id === ids.action.winBack);
    expect(wonBack?.value).toBe(fadingId);
    const answer = await click(bot, { actionId: ids.action.winBack, value: fadingId, user: OWNER });
    expect(await privateAnswer(bot, answer)).toContain(
      `Fading Foods Inc. is active again: won back by <@${OWNER}>. Its history is kept.`,
    );
    const changes = await bot.db.prisma.accountStatusChange.findMany({
      where: { accountId: fadingId },
      orderBy: { at: "asc" },
    });
    expect(changes.map((c) => [c.fromStatus, c.toStatus, c.exitCaseId])).toEqual([
      ["active", "leaving", caseId],
      ["leaving", "lost", caseId],
      ["lost", "active", caseId],
    ]);
    expect((await bot.db.prisma.exitCase.findUniqueOrThrow({ where: { id: caseId } })).status).toBe("lost");
    expect(await bot.db.prisma.lesson.count({ where: { caseId } })).toBe(2);

    const again = await click(bot, { actionId: ids.action.winBack, value: fadingId, user: OWNER });
    expect(await privateAnswer(bot, again)).toBe("Fading Foods Inc. is not lost (it is active).");
    const report = await runCustomerCommand(bot, "report month");
    expect(report.text).toMatch(/1 of \d+ customers at the start lost/);
  });
});
