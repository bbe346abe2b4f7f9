// The lessons library and corrective actions against a real database: search by words, reason and
// segment (all words must match); Done once; reminders once a day, given back when Slack refuses.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ServiceDeps } from "../../../src/services/deps.ts";
import { startExit } from "../../../src/services/exit/start-exit.ts";
import { markCorrectiveActionDone } from "../../../src/services/retro/corrective-actions.ts";
import { saveRetroSummary } from "../../../src/services/retro/save-retro-summary.ts";
import { searchLessons } from "../../../src/services/retro/search-lessons.ts";
import {
  type ActionReminderDeps,
  type ActionReminderRow,
  sendCorrectiveActionReminders,
} from "../../../src/services/retro/send-corrective-action-reminders.ts";
import type { SlackMessage } from "../../../src/slack/views/account-card.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { testDeps } from "../../support/deps.ts";

let clock = new Date("2026-11-23T12:00:00Z");
let db: TestDatabase;
let deps: ServiceDeps;
let n = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  deps = testDeps(db, () => clock);
});

afterAll(async () => {
  await db?.drop();
});

async function summarized(input: {
  name: string;
  segment: string | null;
  reason: "price_too_high" | "poor_service" | null;
  lessons: string[];
  actions?: { description: string; ownerSlackId: string; dueOn: string }[];
}): Promise<string> {
  n += 1;
  const account = await db.prisma.account.create({
    data: { externalId: `L-${n}`, name: input.name, segment: input.segment },
  });
  const started = await startExit(deps, {
    accountId: account.id,
    draft: { reason: null, surfaceReason: null, deepReason: null, competitorWon: null, expectedEndOn: null },
    warningId: null,
    actorSlackId: "U0BOSS",
    submissionKey: `start-${n}`,
  });
  if (!started.ok) throw new Error("not started");
  await db.prisma.exitCase.update({
    where: { id: started.caseId },
    data: { retroChannelId: "CRETRO", retroTs: `1700000001.00${n}00` },
  });
  const saved = await saveRetroSummary(deps, {
    caseId: started.caseId,
    draft: { deepReason: null, reason: input.reason, lessons: input.lessons, actions: input.actions ?? [] },
    actorSlackId: "U0BOSS",
    submissionKey: `summary-${n}`,
  });
  if (!saved.ok) throw new Error("not saved");
  return started.caseId;
}

describe("searchLessons", () => {
  beforeAll(async () => {
    await summarized({
      name: "Northwind Traders",
      segment: "Retail",
      reason: "price_too_high",
      lessons: [
        "Review prices with key accounts every quarter",
        "Watch for 100% discounts_offered by rivals",
      ],
    });
    clock = new Date(clock.getTime() + 60_000);
    await summarized({
      name: "杭州贸易公司",
      segment: "Wholesale",
      reason: "poor_service",
      lessons: ["Answer complaints within the response target", "新采购经理上任两周内拜访"],
    });
  });

  const texts = async (words: string[]) => (await searchLessons(deps, { words })).hits.map((hit) => hit.text);

  it("lists the latest lessons without words, newest first, with the total", async () => {
    const all = await searchLessons(deps, { words: [], limit: 3 });
    expect(all.total).toBe(4);
    expect(all.hits.map((hit) => hit.accountName)).toEqual([
      "杭州贸易公司",
      "杭州贸易公司",
      "Northwind Traders",
    ]);
    expect(all.hits[0]).toMatchObject({
      reason: "poor_service",
      segment: "Wholesale",
      createdOn: "2026-11-23",
    });
    expect(all.hits[0]?.retro).toMatchObject({ channelId: "CRETRO" });
  });

  it.each([
    ["a word of the lesson", ["quarter"], ["Review prices with key accounts every quarter"]],
    [
      "a reason's label",
      ["price"],
      ["Review prices with key accounts every quarter", "Watch for 100% discounts_offered by rivals"],
    ],
    [
      "a reason's code",
      ["poor_service"],
      ["Answer complaints within the response target", "新采购经理上任两周内拜访"],
    ],
    [
      "a segment",
      ["wholesale"],
      ["Answer complaints within the response target", "新采购经理上任两周内拜访"],
    ],
    ["the account's name", ["northwind", "rivals"], ["Watch for 100% discounts_offered by rivals"]],
    ["Chinese text", ["采购"], ["新采购经理上任两周内拜访"]],
    ["every word, not any", ["complaints", "retail"], []],
    ["% and _ taken literally", ["100%"], ["Watch for 100% discounts_offered by rivals"]],
    ["_ taken literally", ["s_o"], ["Watch for 100% discounts_offered by rivals"]],
    ["nothing", ["zebra"], []],
  ])("finds by %s", async (_name, words, expected) => {
    expect(await texts(words)).toEqual(expected);
  });
});

describe("corrective actions", () => {
  let reminderCalls: { channel: string; text: string }[] = [];
  let failFor: Set<string> = new Set();
  const reminderDeps = (): ActionReminderDeps => ({
    ...deps,
    slack: {
      chat: {
        postMessage: (async (args: { channel: string; text: string }) => {
          if (failFor.has(args.channel))
            throw Object.assign(new Error("slack"), { data: { error: "ratelimited" } });
          reminderCalls.push(args);
          return { ok: true, channel: args.channel, ts: "1.1" };
        }) as never,
      } as never,
    },
  });
  const render = (rows: ActionReminderRow[]): SlackMessage => ({
    text: rows.map((row) => `${row.description} (${row.daysLate})`).join(", "),
    blocks: [],
  });

  beforeEach(async () => {
    reminderCalls = [];
    failFor = new Set();
    clock = new Date("2026-11-23T12:00:00Z");
    await db.prisma.correctiveAction.updateMany({ data: { status: "done" } });
  });

  it("is marked done once: a second click finds it done by the first", async () => {
    const caseId = await summarized({
      name: "Done Co",
      segment: null,
      reason: null,
      lessons: ["One"],
      actions: [{ description: "Train the team", ownerSlackId: "U0ANNA", dueOn: "2026-11-30" }],
    });
    const action = await db.prisma.correctiveAction.findFirstOrThrow({ where: { caseId } });
    const first = await markCorrectiveActionDone(deps, { actionId: action.id, actorSlackId: "U0ANNA" });
    clock = new Date(clock.getTime() + 3_600_000);
    const second = await markCorrectiveActionDone(deps, { actionId: action.id, actorSlackId: "U0BEN" });
    expect(first).toMatchObject({ status: "done", action: { doneBy: "U0ANNA", accountName: "Done Co" } });
    expect(second).toMatchObject({ status: "already_done", action: { doneBy: "U0ANNA" } });
    expect(await db.prisma.correctiveAction.findUniqueOrThrow({ where: { id: action.id } })).toMatchObject({
      status: "done",
      doneBy: "U0ANNA",
      doneAt: new Date("2026-11-23T12:00:00Z"),
    });
    expect(
      await markCorrectiveActionDone(deps, {
        actionId: "00000000-0000-4000-8000-000000000000",
        actorSlackId: "U0ANNA",
      }),
    ).toEqual({ status: "not_found" });
  });

  it("reminds each owner once a day of actions due or overdue, and again the next day", async () => {
    await summarized({
      name: "Remind Co",
      segment: null,
      reason: null,
      lessons: ["One"],
      actions: [
        { description: "Due today", ownerSlackId: "U0ANNA", dueOn: "2026-11-23" },
        { description: "Not yet", ownerSlackId: "U0ANNA", dueOn: "2026-11-30" },
        { description: "Ben's", ownerSlackId: "U0BEN", dueOn: "2026-11-23" },
      ],
    });
    clock = new Date("2026-11-25T08:00:00Z");
    const run = await sendCorrectiveActionReminders(reminderDeps(), clock, render);
    expect(run).toEqual({ owners: 2, reminded: 2, failedOwners: 0 });
    expect(reminderCalls.sort((a, b) => a.channel.localeCompare(b.channel))).toEqual([
      { channel: "U0ANNA", text: "Due today (2)", blocks: [] },
      { channel: "U0BEN", text: "Ben's (2)", blocks: [] },
    ]);
    // A second run the same day sends nothing.
    expect(await sendCorrectiveActionReminders(reminderDeps(), clock, render)).toEqual({
      owners: 0,
      reminded: 0,
      failedOwners: 0,
    });
    clock = new Date("2026-11-26T08:00:00Z");
    reminderCalls = [];
    expect((await sendCorrectiveActionReminders(reminderDeps(), clock, render)).reminded).toBe(2);
  });

  it("gives the day's claim back when Slack refuses the message, so a later run sends it", async () => {
    await summarized({
      name: "Fail Co",
      segment: null,
      reason: null,
      lessons: ["One"],
      actions: [{ description: "Retry me", ownerSlackId: "U0CARL", dueOn: "2026-11-23" }],
    });
    const action = await db.prisma.correctiveAction.findFirstOrThrow({ where: { description: "Retry me" } });
    // Reminded yesterday already: a failure today must restore that day, not clear it.
    await db.prisma.correctiveAction.update({
      where: { id: action.id },
      data: { remindedOn: new Date("2026-11-22") },
    });
    failFor = new Set(["U0CARL"]);
    expect(await sendCorrectiveActionReminders(reminderDeps(), clock, render)).toEqual({
      owners: 0,
      reminded: 0,
      failedOwners: 1,
    });
    expect(
      (await db.prisma.correctiveAction.findUniqueOrThrow({ where: { id: action.id } })).remindedOn,
    ).toEqual(new Date("2026-11-22T00:00:00Z"));
    failFor = new Set();
    expect(await sendCorrectiveActionReminders(reminderDeps(), clock, render)).toMatchObject({ reminded: 1 });
  });

  it("two runs at once send each owner's reminder once", async () => {
    await summarized({
      name: "Race Co",
      segment: null,
      reason: null,
      lessons: ["One"],
      actions: [
        { description: "A", ownerSlackId: "U0DORA", dueOn: "2026-11-23" },
        { description: "B", ownerSlackId: "U0DORA", dueOn: "2026-11-23" },
      ],
    });
    const runs = await Promise.all(
      [1, 2].map(() => sendCorrectiveActionReminders(reminderDeps(), clock, render)),
    );
    expect(runs.reduce((sum, run) => sum + run.reminded, 0)).toBe(2);
    expect(reminderCalls).toHaveLength(1);
  });
});
