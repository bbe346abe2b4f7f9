// Starting exit handling and running its tasks against a real database: one case per account, once per
// modal; edits with their thread lines; stale task changes refused; the last task ends the case lost,
// a retained customer gets its status back, and every status change stays as history.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AiOutcome, AiRequest, Assistant } from "../../../src/ai/assistant.ts";
import type { ServiceDeps } from "../../../src/services/deps.ts";
import { closeCase } from "../../../src/services/exit/close-case.ts";
import { editExitCase } from "../../../src/services/exit/edit-exit-case.ts";
import { getExitStartForm, getExitTaskForm, taskRefusal } from "../../../src/services/exit/exit-forms.ts";
import { getExitCase } from "../../../src/services/exit/get-exit-case.ts";
import { type ExitStartDraft, startExit } from "../../../src/services/exit/start-exit.ts";
import { suggestExitReason, suggestionUpdate } from "../../../src/services/exit/suggest-exit-reason.ts";
import { changeTaskStatus, closedMessage, editTask } from "../../../src/services/exit/update-task.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { testDeps } from "../../support/deps.ts";

const NOW = new Date("2026-11-23T12:00:00Z");
let db: TestDatabase;
let deps: ServiceDeps;
let accounts = 0;
let keys = 0;

const emptyDraft: ExitStartDraft = {
  reason: null,
  surfaceReason: null,
  deepReason: null,
  competitorWon: null,
  expectedEndOn: null,
};

beforeAll(async () => {
  db = await createTestDatabase();
  deps = testDeps(db, () => NOW);
});

afterAll(async () => {
  await db?.drop();
});

beforeEach(() => {
  deps = testDeps(db, () => NOW);
});

async function account(overrides: { status?: "active" | "at_risk" | "blacklisted" | "lost" } = {}) {
  accounts += 1;
  return db.prisma.account.create({
    data: {
      externalId: `X-${accounts}`,
      name: `Customer ${accounts}`,
      ownerSlackId: "U0OWNER",
      channelId: "C0CUST",
      ...overrides,
    },
  });
}

async function start(accountId: string, draft: Partial<ExitStartDraft> = {}, key = `V${++keys}`) {
  const result = await startExit(deps, {
    accountId,
    draft: { ...emptyDraft, ...draft },
    warningId: null,
    actorSlackId: "U0STARTER",
    submissionKey: key,
  });
  if (!result.ok) throw new Error(`start refused: ${JSON.stringify(result.errors)}`);
  return result;
}

const history = (accountId: string) =>
  db.prisma.accountStatusChange.findMany({
    where: { accountId },
    orderBy: { at: "asc" },
    select: { fromStatus: true, toStatus: true, exitCaseId: true, actorSlackId: true },
  });

async function taskId(caseId: string, number: number): Promise<string> {
  return (await db.prisma.exitTask.findFirstOrThrow({ where: { caseId, number } })).id;
}

describe("startExit", () => {
  it("marks the account leaving and creates the six tasks for its owner, due on their default days", async () => {
    const { id } = await account({ status: "at_risk" });
    const started = await start(id, { surfaceReason: "  off season  ", competitorWon: "Rival GmbH" });
    expect(started.created).toBe(true);
    const exitCase = await getExitCase(deps, started.caseId);
    expect(exitCase).toMatchObject({
      status: "open",
      surfaceReason: "off season",
      competitorWon: "Rival GmbH",
      deepReason: null,
      reason: null,
      startedBy: "U0STARTER",
    });
    expect(exitCase.account.status).toBe("leaving");
    expect(exitCase.tasks.map((t) => [t.number, t.ownerSlackId, t.dueOn, t.status])).toEqual([
      [1, "U0OWNER", "2026-11-26", "todo"],
      [2, "U0OWNER", "2026-11-26", "todo"],
      [3, "U0OWNER", "2026-11-30", "todo"],
      [4, "U0OWNER", "2026-12-07", "todo"],
      [5, "U0OWNER", "2026-12-14", "todo"],
      [6, "U0OWNER", "2026-12-23", "todo"],
    ]);
    expect(await history(id)).toEqual([
      { fromStatus: "at_risk", toStatus: "leaving", exitCaseId: started.caseId, actorSlackId: "U0STARTER" },
    ]);
  });

  it("returns the same case for a replayed submission, and refuses a second start of a leaving account", async () => {
    const { id, name } = await account();
    const first = await start(id, {}, "V-replay");
    const replay = await start(id, {}, "V-replay");
    expect(replay).toEqual({ ok: true, caseId: first.caseId, created: false });
    await expect(start(id)).rejects.toThrow(`${name} is already leaving`);
    await expect(getExitStartForm(deps, { accountId: id, warningId: null })).rejects.toThrow(
      "already leaving",
    );
    expect(await db.prisma.exitCase.count({ where: { accountId: id } })).toBe(1);
    expect(await history(id)).toHaveLength(1);
  });

  it("refuses a lost account and an invalid expected end, writing nothing", async () => {
    const lost = await account({ status: "lost" });
    await expect(getExitStartForm(deps, { accountId: lost.id, warningId: null })).rejects.toThrow(
      "already lost",
    );
    await expect(start(lost.id)).rejects.toThrow("already lost");
    const { id } = await account();
    const result = await startExit(deps, {
      accountId: id,
      draft: { ...emptyDraft, expectedEndOn: "2026-02-30" },
      warningId: null,
      actorSlackId: "U0STARTER",
      submissionKey: "V-bad-date",
    });
    expect(result).toEqual({ ok: false, errors: { expectedEndOn: "Pick a valid date." } });
    expect(await db.prisma.exitCase.count({ where: { accountId: { in: [id, lost.id] } } })).toBe(0);
  });

  it("links only a warning of the same account", async () => {
    const { id } = await account();
    const other = await account();
    const warning = (accountId: string, key: string) =>
      db.prisma.churnWarning.create({
        data: {
          accountId,
          asOf: new Date("2026-11-23"),
          risk: 90,
          band: "critical",
          reasons: [],
          verdict: "retain",
          verdictHeadline: "Retain",
          actions: [],
          dedupeKey: key,
          status: "posted",
        },
      });
    const own = await warning(id, "w-own");
    const foreign = await warning(other.id, "w-foreign");
    expect((await getExitStartForm(deps, { accountId: id, warningId: own.id })).warningId).toBe(own.id);
    expect((await getExitStartForm(deps, { accountId: id, warningId: foreign.id })).warningId).toBeNull();
  });
});

describe("editExitCase", () => {
  it("fills in the reasons later and describes each change for the thread", async () => {
    const { id } = await account();
    const { caseId } = await start(id, { surfaceReason: "off season" });
    const edited = await editExitCase(deps, {
      caseId,
      draft: {
        reason: "price_too_high",
        surfaceReason: "off season",
        deepReason: "Rival undercut us by 12%",
        competitorWon: null,
        expectedEndOn: "2027-01-31",
      },
      actorSlackId: "U0EDITOR",
    });
    expect(edited).toEqual({
      ok: true,
      caseId,
      update:
        "Case: reason none → Price too high; deep reason: Rival undercut us by 12%; expected end none → 2027-01-31",
      reasonTextChanged: true,
    });
    expect(await getExitCase(deps, caseId)).toMatchObject({
      reason: "price_too_high",
      deepReason: "Rival undercut us by 12%",
      expectedEndOn: "2027-01-31",
    });
    const again = await editExitCase(deps, {
      caseId,
      draft: {
        reason: "price_too_high",
        surfaceReason: " off season ",
        deepReason: "Rival undercut us by 12%",
        competitorWon: "  ",
        expectedEndOn: "2027-01-31",
      },
      actorSlackId: "U0EDITOR",
    });
    expect(again).toEqual({ ok: true, caseId, update: null, reasonTextChanged: false });
    const cleared = await editExitCase(deps, {
      caseId,
      draft: { ...emptyDraft, reason: "price_too_high", expectedEndOn: "2027-13-01" },
      actorSlackId: "U0EDITOR",
    });
    expect(cleared).toEqual({ ok: false, errors: { expectedEndOn: "Pick a valid date." } });
  });

  it("still takes the reasons after the case closed (the reason mix counts lost customers)", async () => {
    const { id } = await account();
    const { caseId } = await start(id);
    await db.prisma.$transaction((tx) =>
      closeCase(tx, { caseId, outcome: "lost", today: "2026-11-23", actorSlackId: "U0X" }),
    );
    const edited = await editExitCase(deps, {
      caseId,
      draft: { ...emptyDraft, reason: "bankrupt" },
      actorSlackId: "U0EDITOR",
    });
    expect(edited).toMatchObject({ ok: true, update: "Case: reason none → Went bankrupt" });
  });
});

describe("task changes", () => {
  it("moves a task, refuses a stale click (same status, done by another step, no reason), and keeps events", async () => {
    const { id } = await account();
    const { caseId } = await start(id);
    const task2 = await taskId(caseId, 2);
    const change = await changeTaskStatus(deps, { taskId: task2, to: "doing", actorSlackId: "U0A" });
    expect(change).toEqual({ caseId, update: "2. Contain bad news: To do → Doing", caseLost: false });
    // A second click on the same (now stale) Start button.
    const form = await getExitTaskForm(deps, task2);
    expect(taskRefusal(form, { to: "doing" })).toBe("Task 2 is already doing.");
    await expect(changeTaskStatus(deps, { taskId: task2, to: "doing", actorSlackId: "U0B" })).rejects.toThrow(
      "Task 2 is already doing.",
    );
    const task1 = await taskId(caseId, 1);
    await expect(changeTaskStatus(deps, { taskId: task1, to: "done", actorSlackId: "U0A" })).rejects.toThrow(
      "Task 1 is done by recording the conversation's outcome.",
    );
    await expect(
      changeTaskStatus(deps, { taskId: task1, to: "not_needed", notNeededReason: "  ", actorSlackId: "U0A" }),
    ).rejects.toThrow("Say why the task is not needed.");
    const events = await db.prisma.exitTaskEvent.findMany({ where: { task: { caseId } } });
    expect(events.map((e) => [e.fromStatus, e.toStatus, e.actorSlackId])).toEqual([["todo", "doing", "U0A"]]);
  });

  it("edits owner, due day and notes; an unchanged edit reports no change; a new due day earns a new reminder", async () => {
    const { id } = await account();
    const { caseId } = await start(id);
    const task3 = await taskId(caseId, 3);
    await db.prisma.exitTask.update({ where: { id: task3 }, data: { remindedOn: new Date("2026-11-23") } });
    const edit = { ownerSlackId: "U0PR", dueOn: "2026-12-02", notes: "PR drafts the statement" };
    const edited = await editTask(deps, { taskId: task3, edit, actorSlackId: "U0A" });
    expect(edited).toEqual({
      ok: true,
      changed: true,
      caseId,
      update:
        "3. Reassure other customers: owner <@U0OWNER> → <@U0PR>; due 2026-11-30 → 2026-12-02; notes: PR drafts the statement",
    });
    const row = await db.prisma.exitTask.findUniqueOrThrow({ where: { id: task3 } });
    expect(row).toMatchObject({ ownerSlackId: "U0PR", remindedOn: null, notes: "PR drafts the statement" });
    expect(await editTask(deps, { taskId: task3, edit, actorSlackId: "U0A" })).toMatchObject({
      ok: true,
      changed: false,
    });
  });

  it("ends the case lost when the last task finishes, and refuses any change after", async () => {
    const { id, name } = await account();
    const { caseId } = await start(id);
    const finish = async (number: number, to: "done" | "not_needed") =>
      changeTaskStatus(deps, {
        taskId: await taskId(caseId, number),
        to,
        notNeededReason: to === "not_needed" ? "Handled by the distributor" : null,
        actorSlackId: "U0A",
      });
    for (const number of [1, 5, 6]) expect((await finish(number, "not_needed")).caseLost).toBe(false);
    expect((await finish(2, "done")).caseLost).toBe(false);
    expect((await finish(3, "done")).caseLost).toBe(false);
    const last = await finish(4, "done");
    expect(last).toMatchObject({ caseLost: true, update: "4. Cut the loss: To do → Done" });
    const exitCase = await getExitCase(deps, caseId);
    expect(exitCase).toMatchObject({ status: "lost", closedOn: "2026-11-23" });
    expect(exitCase.account.status).toBe("lost");
    expect(await history(id)).toEqual([
      { fromStatus: "active", toStatus: "leaving", exitCaseId: caseId, actorSlackId: "U0STARTER" },
      { fromStatus: "leaving", toStatus: "lost", exitCaseId: caseId, actorSlackId: "U0A" },
    ]);
    // The buttons of the old message are stale now.
    const task2 = await taskId(caseId, 2);
    expect(taskRefusal(await getExitTaskForm(deps, task2), { to: "doing" })).toBe(closedMessage);
    expect(taskRefusal(await getExitTaskForm(deps, task2), "edit")).toBe(closedMessage);
    await expect(changeTaskStatus(deps, { taskId: task2, to: "doing", actorSlackId: "U0A" })).rejects.toThrow(
      closedMessage,
    );
    await expect(start(id)).rejects.toThrow(`${name} is already lost.`);
  });

  it("a retained customer gets back the status it had, with both changes in the history", async () => {
    const { id } = await account({ status: "at_risk" });
    const { caseId } = await start(id);
    const closed = await db.prisma.$transaction((tx) =>
      closeCase(tx, { caseId, outcome: "retained", today: "2026-11-23", actorSlackId: "U0A" }),
    );
    expect(closed).toBe(true);
    expect((await db.prisma.account.findUniqueOrThrow({ where: { id } })).status).toBe("at_risk");
    expect(await history(id)).toEqual([
      { fromStatus: "at_risk", toStatus: "leaving", exitCaseId: caseId, actorSlackId: "U0STARTER" },
      { fromStatus: "leaving", toStatus: "at_risk", exitCaseId: caseId, actorSlackId: "U0A" },
    ]);
    // Retained, it may leave again later: a new case starts.
    expect((await start(id)).created).toBe(true);
  });
});

/** An assistant that answers what the test scripted and records what it was asked. */
function scriptedAssistant(answer: AiOutcome<unknown>) {
  const asked: AiRequest<unknown>[] = [];
  const assistant: Assistant = {
    shareMoney: true,
    async ask<T>(request: AiRequest<T>): Promise<AiOutcome<T>> {
      asked.push(request as AiRequest<unknown>);
      return answer as AiOutcome<T>;
    },
  };
  return { assistant, asked };
}

describe("suggestExitReason", () => {
  it("stores the AI's reason from the reason texts only, and says so for the thread", async () => {
    const { id } = await account();
    const { caseId } = await start(id, { surfaceReason: "too expensive", competitorWon: "Rival GmbH" });
    const { assistant, asked } = scriptedAssistant({ ok: true, value: { reason: "price_too_high" } });
    deps = testDeps(db, () => NOW, { assistant });
    const suggestion = await suggestExitReason(deps, { caseId });
    expect(suggestion).toEqual({ kind: "classified", reason: "price_too_high" });
    expect(suggestionUpdate(suggestion)).toBe(
      "Reason classified by AI from the text: Price too high; change it with Edit case.",
    );
    expect((await getExitCase(deps, caseId)).reason).toBe("price_too_high");
    expect(asked).toHaveLength(1);
    expect(asked[0]?.input).toBe("Surface reason: too expensive");
    expect(asked[0]?.instructions).toContain("price_too_high: Price too high");
    // A reason is set now: nothing more to ask.
    expect(await suggestExitReason(deps, { caseId })).toEqual({ kind: "skipped" });
    expect(asked).toHaveLength(1);
  });

  it("leaves the reason unrecorded without AI, without text, when unclear, or when the AI fails", async () => {
    const { id } = await account();
    const { caseId } = await start(id, { deepReason: "their buyer left" });
    expect(await suggestExitReason(deps, { caseId })).toEqual({ kind: "skipped" });
    for (const [answer, expected] of [
      [{ ok: true, value: { reason: null } }, { kind: "unclear" }],
      [
        { ok: false, reason: "timeout" },
        { kind: "unavailable", why: "timeout" },
      ],
      [
        { ok: false, reason: "invalid_output" },
        { kind: "unavailable", why: "invalid_output" },
      ],
    ] as const) {
      deps = testDeps(db, () => NOW, { assistant: scriptedAssistant(answer).assistant });
      expect(await suggestExitReason(deps, { caseId })).toEqual(expected);
    }
    expect((await getExitCase(deps, caseId)).reason).toBeNull();
    const other = await account();
    const bare = await start(other.id);
    const { assistant, asked } = scriptedAssistant({ ok: true, value: { reason: "bankrupt" } });
    deps = testDeps(db, () => NOW, { assistant });
    expect(await suggestExitReason(deps, { caseId: bare.caseId })).toEqual({ kind: "skipped" });
    expect(asked).toEqual([]);
  });
});
