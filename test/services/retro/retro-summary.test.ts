// The retrospective's summary against a real database: saved once per form (a replay creates
// nothing), checked, tasks 5 and 6 done, the last task ends the case as lost, a second summary adds
// to the first; and the AI's draft (what it is sent, what comes back, the fallbacks).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AiOutcome, AiRequest, Assistant } from "../../../src/ai/assistant.ts";
import type { RetroSummaryDraft } from "../../../src/domain/retrospective.ts";
import type { ServiceDeps } from "../../../src/services/deps.ts";
import { startExit } from "../../../src/services/exit/start-exit.ts";
import { changeTaskStatus } from "../../../src/services/exit/update-task.ts";
import {
  draftRetroSummary,
  RETRO_SUMMARY_TASK,
  type RetroAiSummary,
} from "../../../src/services/retro/draft-retro-summary.ts";
import type { ThreadSlackClient } from "../../../src/services/retro/read-retro-thread.ts";
import { saveRetroSummary } from "../../../src/services/retro/save-retro-summary.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { testDeps } from "../../support/deps.ts";

const NOW = new Date("2026-11-23T12:00:00Z");
let db: TestDatabase;
let deps: ServiceDeps;
let accounts = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  deps = testDeps(db, () => NOW);
});

afterAll(async () => {
  await db?.drop();
});

/** A leaving account with an open case whose retrospective thread is open. */
async function openCase(options: { retro?: boolean } = {}): Promise<string> {
  accounts += 1;
  const account = await db.prisma.account.create({
    data: {
      externalId: `R-${accounts}`,
      name: `Lost Co ${accounts}`,
      ownerSlackId: "U0OWNER",
      segment: "Retail",
    },
  });
  const started = await startExit(deps, {
    accountId: account.id,
    draft: {
      reason: "price_too_high",
      surfaceReason: "Off season",
      deepReason: null,
      competitorWon: null,
      expectedEndOn: null,
    },
    warningId: null,
    actorSlackId: "U0BOSS",
    submissionKey: `start-${accounts}`,
  });
  if (!started.ok) throw new Error("the case did not start");
  if (options.retro !== false)
    await db.prisma.exitCase.update({
      where: { id: started.caseId },
      data: { retroChannelId: "CRETRO", retroTs: `1700000000.00${accounts}00`, retroOpenedAt: NOW },
    });
  return started.caseId;
}

const draft = (overrides: Partial<RetroSummaryDraft> = {}): RetroSummaryDraft => ({
  deepReason: "Nobody visited their new buyer",
  reason: "relationship_change",
  lessons: ["Visit a new buyer within two weeks", "Escalate complaints past their target"],
  actions: [{ description: "Add the visit to the playbook", ownerSlackId: "U0ANNA", dueOn: "2026-12-15" }],
  ...overrides,
});

const taskStatus = async (caseId: string, number: number) =>
  (await db.prisma.exitTask.findFirstOrThrow({ where: { caseId, number } })).status;

describe("saveRetroSummary", () => {
  it("saves lessons, actions, the reasons and marks tasks 5 and 6 done, once per form", async () => {
    const caseId = await openCase();
    const first = await saveRetroSummary(deps, {
      caseId,
      draft: draft(),
      actorSlackId: "U0BOSS",
      submissionKey: "V1",
    });
    expect(first).toMatchObject({
      ok: true,
      created: true,
      saved: {
        lessons: ["Visit a new buyer within two weeks", "Escalate complaints past their target"],
        caseLost: false,
        taskUpdates: [
          "5. Keep the lesson: To do → Done (retrospective summarized)",
          "6. Use the mistake as a step: To do → Done (retrospective summarized)",
        ],
      },
    });
    const replay = await saveRetroSummary(deps, {
      caseId,
      draft: draft(),
      actorSlackId: "U0BOSS",
      submissionKey: "V1",
    });
    expect(replay).toEqual({ ok: true, created: false, caseId });
    expect(await db.prisma.lesson.count({ where: { caseId } })).toBe(2);
    expect(await db.prisma.correctiveAction.findMany({ where: { caseId } })).toMatchObject([
      {
        description: "Add the visit to the playbook",
        ownerSlackId: "U0ANNA",
        status: "open",
        createdBy: "U0BOSS",
      },
    ]);
    expect(await db.prisma.exitCase.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({
      deepReason: "Nobody visited their new buyer",
      reason: "relationship_change",
      retroSummarizedAt: NOW,
      status: "open",
    });
    expect([await taskStatus(caseId, 5), await taskStatus(caseId, 6)]).toEqual(["done", "done"]);
    // Each task got one event, not two.
    expect(await db.prisma.exitTaskEvent.count({ where: { task: { caseId }, toStatus: "done" } })).toBe(2);
  });

  it("takes a doubled submit (two at once) as one", async () => {
    const caseId = await openCase();
    const both = await Promise.all(
      [1, 2].map(() =>
        saveRetroSummary(deps, { caseId, draft: draft(), actorSlackId: "U0BOSS", submissionKey: "VBOTH" }),
      ),
    );
    expect(both.map((result) => result.ok && result.created).sort()).toEqual([false, true]);
    expect(await db.prisma.lesson.count({ where: { caseId } })).toBe(2);
  });

  it("refuses a form without lessons or with an incomplete action, saving nothing", async () => {
    const caseId = await openCase();
    const result = await saveRetroSummary(deps, {
      caseId,
      draft: draft({
        lessons: [" "],
        actions: [{ description: "Fix", ownerSlackId: null, dueOn: "2026-11-01" }],
      }),
      actorSlackId: "U0BOSS",
      submissionKey: "VBAD",
    });
    expect(result).toEqual({
      ok: false,
      errors: {
        "lesson.0": expect.stringMatching(/at least one lesson/),
        "action.0.owner": "An action needs an owner.",
        "action.0.dueOn": "The due date cannot be in the past.",
      },
    });
    expect(await db.prisma.lesson.count({ where: { caseId } })).toBe(0);
    expect(await taskStatus(caseId, 5)).toBe("todo");
  });

  it("ends the case as lost when tasks 5 and 6 were the last ones open", async () => {
    const caseId = await openCase();
    const tasks = await db.prisma.exitTask.findMany({ where: { caseId, number: { in: [1, 2, 3, 4] } } });
    for (const task of tasks)
      await changeTaskStatus(deps, {
        taskId: task.id,
        to: "not_needed",
        notNeededReason: "test",
        actorSlackId: "U0BOSS",
      });
    const result = await saveRetroSummary(deps, {
      caseId,
      draft: draft(),
      actorSlackId: "U0BOSS",
      submissionKey: "VLAST",
    });
    expect(result).toMatchObject({ ok: true, created: true, saved: { caseLost: true } });
    const closed = await db.prisma.exitCase.findUniqueOrThrow({
      where: { id: caseId },
      include: { account: true },
    });
    expect(closed.status).toBe("lost");
    expect(closed.account.status).toBe("lost");
  });

  it("adds a second summary's lessons and actions to the first, and keeps them for a closed case", async () => {
    const caseId = await openCase();
    await saveRetroSummary(deps, { caseId, draft: draft(), actorSlackId: "U0BOSS", submissionKey: "VA" });
    await db.prisma.exitCase.update({ where: { id: caseId }, data: { status: "retained" } });
    const second = await saveRetroSummary(deps, {
      caseId,
      draft: draft({ lessons: ["Price reviews every quarter"], actions: [], reason: "price_too_high" }),
      actorSlackId: "U0ANNA",
      submissionKey: "VB",
    });
    expect(second).toMatchObject({ ok: true, created: true, saved: { taskUpdates: [], caseLost: false } });
    expect(
      (await db.prisma.lesson.findMany({ where: { caseId }, orderBy: { text: "asc" } })).map((l) => l.text),
    ).toEqual([
      "Escalate complaints past their target",
      "Price reviews every quarter",
      "Visit a new buyer within two weeks",
    ]);
    expect(await db.prisma.correctiveAction.count({ where: { caseId } })).toBe(1);
    expect((await db.prisma.exitCase.findUniqueOrThrow({ where: { id: caseId } })).reason).toBe(
      "price_too_high",
    );
  });

  it("needs the retrospective to be open, and the case to exist", async () => {
    const caseId = await openCase({ retro: false });
    await expect(
      saveRetroSummary(deps, { caseId, draft: draft(), actorSlackId: "U0BOSS", submissionKey: "VNORETRO" }),
    ).rejects.toMatchObject({ code: "bad_request" });
    await expect(
      saveRetroSummary(deps, {
        caseId: "00000000-0000-4000-8000-000000000000",
        draft: draft(),
        actorSlackId: "U0BOSS",
        submissionKey: "VNOCASE",
      }),
    ).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("draftRetroSummary", () => {
  const requests: AiRequest<unknown>[] = [];
  let reply: AiOutcome<RetroAiSummary>;
  const assistant = (shareMoney: boolean): Assistant => ({
    shareMoney,
    async ask<T>(request: AiRequest<T>): Promise<AiOutcome<T>> {
      requests.push(request as AiRequest<unknown>);
      return reply as AiOutcome<T>;
    },
  });
  // The thread as Slack returns it: the bot's case file first, then two pages of answers.
  const slack: ThreadSlackClient = {
    conversations: {
      replies: (async (args: { cursor?: string }) => {
        const parent = { ts: "PARENT", bot_id: "B1", text: "Net loss $10,000.00" };
        return args.cursor
          ? {
              ok: true,
              messages: [parent, { ts: "3", user: "U0BEN", text: "They got 20k EUR off elsewhere" }],
            }
          : {
              ok: true,
              has_more: true,
              response_metadata: { next_cursor: "page2" },
              messages: [
                parent,
                { ts: "1", user: "U0ANNA", text: "We lost $12,000 of orders before anyone noticed" },
                { ts: "2", subtype: "channel_join", user: "U0NEW", text: "joined" },
                { ts: "2.5", bot_id: "B1", text: "questions" },
              ],
            };
      }) as unknown as ThreadSlackClient["conversations"]["replies"],
    },
  };

  beforeEach(() => {
    requests.length = 0;
  });

  it("sends only the answers and the case's reason, without money when AI_SHARE_MONEY is false", async () => {
    const caseId = await openCase();
    await db.prisma.exitCase.update({ where: { id: caseId }, data: { retroTs: "PARENT" } });
    reply = {
      ok: true,
      value: {
        deepReason: "Their buyer changed and nobody visited",
        reason: "relationship_change",
        lessons: ["Visit new buyers", "", "x".repeat(1500)],
        actions: [
          { description: "Playbook step", owner: "U0ANNA", dueInDays: 14 },
          { description: "Quarterly price review", owner: "U0STRANGER", dueInDays: -3 },
        ],
      },
    };
    const form = await draftRetroSummary({ ...deps, assistant: assistant(false) }, { slack, caseId });
    const sent = requests[0];
    expect(sent?.task).toBe(RETRO_SUMMARY_TASK);
    expect(sent?.input).toContain("Churn reason recorded: price_too_high (Price too high)");
    expect(sent?.input).toContain("Surface reason: Off season");
    expect(sent?.input).toContain("Participants: U0ANNA, U0BEN");
    expect(sent?.input).toContain("U0ANNA: We lost [amount] of orders before anyone noticed");
    expect(sent?.input).toContain("U0BEN: They got [amount] off elsewhere");
    for (const left of ["$", "12,000", "20k", "10,000", "joined", "questions", "Lost Co"])
      expect(sent?.input).not.toContain(left);
    expect(form.prefilled).toBe(true);
    expect(form.draft).toEqual({
      deepReason: "Their buyer changed and nobody visited",
      reason: "relationship_change",
      lessons: ["Visit new buyers", "x".repeat(1000)],
      actions: [
        { description: "Playbook step", ownerSlackId: "U0ANNA", dueOn: "2026-12-07" },
        // Not a participant: no owner; a due date in the past becomes tomorrow.
        { description: "Quarterly price review", ownerSlackId: null, dueOn: "2026-11-24" },
      ],
    });
  });

  it("keeps money in the prompt when sharing is allowed", async () => {
    const caseId = await openCase();
    await db.prisma.exitCase.update({ where: { id: caseId }, data: { retroTs: "PARENT" } });
    reply = { ok: true, value: { deepReason: "", reason: null, lessons: ["One"], actions: [] } };
    const form = await draftRetroSummary({ ...deps, assistant: assistant(true) }, { slack, caseId });
    expect(requests[0]?.input).toContain("$12,000");
    // Nothing from the AI for these: the case's own values stay.
    expect(form.draft).toMatchObject({ deepReason: null, reason: "price_too_high" });
  });

  it.each([
    ["timeout", /took too long/],
    ["invalid_output", /could not be used/],
    ["failed", /unavailable/],
  ] as const)("falls back to the empty form on %s", async (reason, note) => {
    const caseId = await openCase();
    await db.prisma.exitCase.update({ where: { id: caseId }, data: { retroTs: "PARENT" } });
    reply = { ok: false, reason };
    const form = await draftRetroSummary({ ...deps, assistant: assistant(true) }, { slack, caseId });
    expect(form).toMatchObject({ prefilled: false, note: expect.stringMatching(note) });
    expect(form.draft).toEqual({ deepReason: null, reason: "price_too_high", lessons: [], actions: [] });
  });

  it("without AI, says so; with a previous summary, says it adds to it", async () => {
    const caseId = await openCase();
    await db.prisma.exitCase.update({ where: { id: caseId }, data: { retroTs: "PARENT" } });
    await saveRetroSummary(deps, {
      caseId,
      draft: draft(),
      actorSlackId: "U0BOSS",
      submissionKey: `VPREV-${caseId}`,
    });
    const form = await draftRetroSummary(deps, { slack, caseId });
    expect(requests).toHaveLength(0);
    expect(form).toMatchObject({
      prefilled: false,
      note: expect.stringMatching(/No AI assistant is configured/),
      previous: { lessons: 2, actions: 1, summarizedOn: "2026-11-23" },
    });
  });
});
