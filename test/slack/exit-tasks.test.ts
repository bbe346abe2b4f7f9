// Running the six exit tasks end to end: status buttons and the edit modal update the case's message in
// place with a line in its thread; "not needed" asks why first; stale clicks are told privately; the
// last finished task ends the case as lost; overdue tasks are reminded by DM once a day.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ids } from "../../src/slack/ids.ts";
import { taskStatusActionId } from "../../src/slack/views/exit-case.ts";
import type { SlackBlock } from "../support/blocks.ts";
import { startTestBot, type TestBot } from "../support/bot.ts";
import {
  blocksText,
  casePosted,
  click,
  exitStartValues,
  input,
  openedView,
  privateAnswer,
  savedCase,
  snapshot,
  submit,
  threadLine,
  updated,
} from "../support/exit.ts";

const DAY = 86_400_000;
let bot: TestBot;
let clock = new Date("2026-11-23T10:00:00Z");
let caseId = "";
let ts = "";
const CHANNEL = "CDELTA";

async function task(number: number) {
  return bot.db.prisma.exitTask.findFirstOrThrow({ where: { caseId, number } });
}

/** Clicks a task's status button on the case's message. */
async function statusClick(number: number, to: string, user?: string) {
  const { id } = await task(number);
  return click(bot, {
    actionId: taskStatusActionId(to),
    value: JSON.stringify({ taskId: id, to }),
    channel: CHANNEL,
    ts,
    ...(user ? { user } : {}),
  });
}

/** Starts a case through the modal and returns its id and message ts once posted. */
async function startCase(accountId: string, channel: string) {
  const before = snapshot(bot);
  const view = {
    callback_id: ids.view.exitStart,
    private_metadata: JSON.stringify({ accountId, warningId: null }),
  };
  expect(await submit(bot, { view, values: exitStartValues() })).toEqual({});
  const posted = await casePosted(bot, before, channel);
  const row = await savedCase(bot, accountId);
  expect(row.messageTs).toBe(posted.response.ts);
  return { id: row.id, ts: String(row.messageTs) };
}

beforeAll(async () => {
  bot = await startTestBot({ now: () => clock });
  const delta = await bot.db.prisma.account.create({
    data: { externalId: "D-1", name: "Delta Distribution", channelId: CHANNEL, ownerSlackId: "U0MARIA" },
  });
  ({ id: caseId, ts } = await startCase(delta.id, CHANNEL));
});

afterAll(async () => {
  await bot?.stop();
});

describe("task status buttons", () => {
  it("Start moves the task to doing, re-renders the message and adds a line in the thread", async () => {
    const before = snapshot(bot);
    await statusClick(2, "doing", "U0JONAS");
    const message = await updated(bot, before, CHANNEL, ts);
    expect(blocksText(message)).toContain("*2. Contain bad news* — Doing");
    const line = await threadLine(bot, before, ts, "2. Contain bad news: To do → Doing");
    expect(blocksText(line)).toContain("<@U0JONAS>");
    expect((await task(2)).status).toBe("doing");
  });

  it("a stale click is told privately and the message refreshed", async () => {
    const before = snapshot(bot);
    const answer = await statusClick(2, "doing");
    expect(await privateAnswer(bot, answer)).toBe("Task 2 is already doing.");
    await updated(bot, before, CHANNEL, ts);
    const afterFirst = snapshot(bot);
    const task1 = await statusClick(1, "done");
    expect(await privateAnswer(bot, task1)).toBe("Task 1 is done by recording the conversation's outcome.");
    await updated(bot, afterFirst, CHANNEL, ts);
    expect((await task(1)).status).toBe("todo");
  });

  it("Not needed asks why before changing anything, and shows the reason", async () => {
    const before = snapshot(bot);
    await statusClick(6, "not_needed");
    const modal = await openedView(bot, before, ids.view.exitNotNeeded);
    expect(JSON.stringify(modal.blocks)).toContain("6. Use the mistake as a step");
    expect((await task(6)).status).toBe("todo");
    expect(await submit(bot, { view: modal, values: input.text("not_needed_reason", "   ") })).toEqual({
      not_needed_reason: "Say why the task is not needed (at most 1000 characters).",
    });
    expect((await task(6)).status).toBe("todo");
    expect(
      await submit(bot, {
        view: modal,
        values: input.text("not_needed_reason", "Covered by the group's review"),
      }),
    ).toEqual({});
    expect(await task(6)).toMatchObject({
      status: "not_needed",
      notNeededReason: "Covered by the group's review",
    });
    const message = await updated(bot, before, CHANNEL, ts);
    expect(blocksText(message)).toContain("Not needed: Covered by the group's review");
    await threadLine(
      bot,
      before,
      ts,
      "6. Use the mistake as a step: To do → Not needed (Covered by the group's review)",
    );
    // The same modal submitted again: the task is not needed already.
    expect(
      await submit(bot, {
        view: modal,
        values: input.text("not_needed_reason", "Covered by the group's review"),
      }),
    ).toEqual({ not_needed_reason: "Task 6 is already not needed." });
  });

  it("Edit opens owner, due date and notes; saving updates the message and the thread", async () => {
    const before = snapshot(bot);
    const { id } = await task(3);
    await click(bot, { actionId: ids.action.exitTaskEdit, value: id, channel: CHANNEL, ts });
    const modal = await openedView(bot, before, ids.view.exitTaskEdit);
    const modalText = JSON.stringify(modal.blocks);
    expect(modalText).toContain('"initial_user":"U0MARIA"');
    expect(modalText).toContain('"initial_date":"2026-11-30"');
    expect(modalText).toContain("This task may go to PR or a manager.");
    const values = (due: string | null) => ({
      ...input.user("task_owner", "U0PR"),
      ...input.date("task_due", due),
      ...input.text("task_notes", "Call the five dealers in the north <@U0BOSS>"),
    });
    expect(await submit(bot, { view: modal, values: values(null) })).toEqual({
      task_due: "Pick the day it is due.",
    });
    expect(await submit(bot, { view: modal, values: values("2026-11-31") })).toEqual({
      task_due: "Pick a valid date.",
    });
    expect(await submit(bot, { view: modal, values: values("2026-12-02") })).toEqual({});
    const message = await updated(bot, before, CHANNEL, ts);
    const text = blocksText(message);
    expect(text).toContain("*3. Reassure other customers* — To do · <@U0PR> · due 2026-12-02");
    expect(text).toContain("Notes: Call the five dealers in the north &lt;@U0BOSS&gt;");
    const line = await threadLine(bot, before, ts, "owner <@U0MARIA> → <@U0PR>");
    expect(blocksText(line)).toContain("due 2026-11-30 → 2026-12-02");
    expect(await task(3)).toMatchObject({
      ownerSlackId: "U0PR",
      notes: "Call the five dealers in the north <@U0BOSS>",
    });
  });

  it("the last finished task ends the case as lost: the message shows it and the thread says so", async () => {
    for (const number of [1, 5]) {
      const before = snapshot(bot);
      await statusClick(number, "not_needed");
      const modal = await openedView(bot, before, ids.view.exitNotNeeded);
      expect(
        await submit(bot, { view: modal, values: input.text("not_needed_reason", "Handled elsewhere") }),
      ).toEqual({});
    }
    for (const number of [2, 3]) {
      const before = snapshot(bot);
      await statusClick(number, "done");
      await threadLine(bot, before, ts, "→ Done");
    }
    const before = snapshot(bot);
    await statusClick(4, "done");
    const message = await updated(bot, before, CHANNEL, ts);
    const text = blocksText(message);
    expect(text).toContain("*Delta Distribution* was lost on 2026-11-23");
    // No task buttons any more; Edit case stays for the reasons.
    expect((message.body.blocks as SlackBlock[]).filter((b) => b.type === "actions")).toEqual([]);
    expect(text).toContain("Edit case");
    await threadLine(bot, before, ts, "4. Cut the loss: To do → Done");
    await threadLine(
      bot,
      before,
      ts,
      "Every exit task is finished: the case is closed and Delta Distribution is now marked lost.",
    );
    const row = await bot.db.prisma.exitCase.findUniqueOrThrow({
      where: { id: caseId },
      include: { account: true },
    });
    expect(row.status).toBe("lost");
    expect(row.account.status).toBe("lost");

    // A button of the old message after the end.
    const stale = await statusClick(2, "doing");
    expect(await privateAnswer(bot, stale)).toBe(
      "This customer's exit handling is closed: its tasks can no longer change.",
    );
    const { id } = await task(2);
    const edit = await click(bot, { actionId: ids.action.exitTaskEdit, value: id, channel: CHANNEL, ts });
    expect(await privateAnswer(bot, edit)).toBe(
      "This customer's exit handling is closed: its tasks can no longer change.",
    );
    expect(bot.fake.rejected).toEqual([]);
  });
});

describe("overdue task reminders", () => {
  it("DMs the owner about each overdue task once a day, with a link to the case", async () => {
    const echo = await bot.db.prisma.account.create({
      data: { externalId: "E-1", name: "Echo Electronics", channelId: "CECHO", ownerSlackId: "U0MARIA" },
    });
    const echoCase = await startCase(echo.id, "CECHO");
    // Five days later tasks 1 and 2 (due after 3 days) are two days overdue.
    clock = new Date(clock.getTime() + 5 * DAY);
    const before = snapshot(bot);
    expect(await bot.runJob("exit-task-reminders")).toBe(true);
    const dms = bot.fake
      .callsTo("chat.postMessage")
      .filter((c) => !before.has(c) && c.body.channel === "U0MARIA");
    expect(dms).toHaveLength(1);
    const text = blocksText(dms[0]);
    expect(text).toContain("2 exit tasks of yours are overdue.");
    expect(text).toContain("*Echo Electronics* — 1. Last conversation · due 2026-11-26, 2 days overdue");
    expect(text).toContain("2. Contain bad news");
    expect(text).toContain(
      `<https://churnwatch-test.slack.com/archives/CECHO/p${echoCase.ts.replace(".", "")}|open the case>`,
    );
    // Delta's case is closed: none of its tasks are listed.
    expect(text).not.toContain("Delta");

    // A second run the same day sends nothing.
    expect(await bot.runJob("exit-task-reminders")).toBe(true);
    expect(
      bot.fake.callsTo("chat.postMessage").filter((c) => !before.has(c) && c.body.channel === "U0MARIA"),
    ).toHaveLength(1);
    expect(bot.fake.rejected).toEqual([]);
  });
});
