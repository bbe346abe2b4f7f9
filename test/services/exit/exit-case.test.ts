// The exit workflow's core against a real database: starting a case, task changes with their
// history, the case ending lost or retained with the account's status history, and the message.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceDeps } from "../../../src/services/deps.ts";
import { closeCase } from "../../../src/services/exit/close-case.ts";
import {
  type ExitSlackClient,
  postExitCase,
  refreshExitCase,
} from "../../../src/services/exit/exit-message.ts";
import { getExitCase } from "../../../src/services/exit/get-exit-case.ts";
import { type ExitStartDraft, startExit } from "../../../src/services/exit/start-exit.ts";
import { changeTaskStatus, editTask, finishTasks } from "../../../src/services/exit/update-task.ts";
import { buildExitCaseMessage, buildExitUpdate } from "../../../src/slack/views/exit-case.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { testDeps } from "../../support/deps.ts";

const NOW = new Date("2026-11-23T12:00:00Z");
const TODAY = "2026-11-23";
let db: TestDatabase;
let deps: ServiceDeps;
let keys = 0;

const draft: ExitStartDraft = {
  reason: "price_too_high",
  surfaceReason: "  Budget cuts ",
  deepReason: "",
  competitorWon: "Globex",
  expectedEndOn: "2026-12-31",
};

async function account(
  name: string,
  extra: { status?: "active" | "at_risk" | "lost"; owner?: string | null } = {},
) {
  const created = await db.prisma.account.create({
    data: {
      externalId: `X-${name}`,
      name,
      channelId: `C0${name.toUpperCase()}`,
      ownerSlackId: extra.owner === undefined ? "U0OWNER" : extra.owner,
      status: extra.status ?? "active",
    },
  });
  return created.id;
}

async function start(accountId: string, overrides: { key?: string; draft?: Partial<ExitStartDraft> } = {}) {
  keys += 1;
  return startExit(deps, {
    accountId,
    draft: { ...draft, ...overrides.draft },
    warningId: null,
    actorSlackId: "U0STARTER",
    submissionKey: overrides.key ?? `V${keys}`,
  });
}

async function started(accountId: string): Promise<string> {
  const result = await start(accountId);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.caseId;
}

async function statusHistory(accountId: string) {
  const rows = await db.prisma.accountStatusChange.findMany({ where: { accountId }, orderBy: { at: "asc" } });
  return rows.map((row) => `${row.fromStatus}→${row.toStatus}@${row.effectiveOn.toISOString().slice(0, 10)}`);
}

beforeAll(async () => {
  db = await createTestDatabase();
  deps = testDeps(db, () => NOW);
});

afterAll(async () => {
  await db?.drop();
});

describe("startExit", () => {
  it("marks the account leaving, keeps the change, and creates the six tasks with owner and due days", async () => {
    const id = await account("acme");
    await db.prisma.order.create({
      data: {
        accountId: id,
        externalId: "O-acme",
        orderedAt: NOW,
        quantity: 1,
        amount: 100n,
        currency: "EUR",
      },
    });
    const caseId = await started(id);
    const exitCase = await getExitCase(deps, caseId);
    expect(exitCase.status).toBe("open");
    expect(exitCase.account.status).toBe("leaving");
    expect(exitCase.surfaceReason).toBe("Budget cuts");
    expect(exitCase.deepReason).toBeNull();
    expect(exitCase.currency).toBe("EUR");
    expect(exitCase.tasks.map((t) => [t.number, t.ownerSlackId, t.dueOn, t.status])).toEqual([
      [1, "U0OWNER", "2026-11-26", "todo"],
      [2, "U0OWNER", "2026-11-26", "todo"],
      [3, "U0OWNER", "2026-11-30", "todo"],
      [4, "U0OWNER", "2026-12-07", "todo"],
      [5, "U0OWNER", "2026-12-14", "todo"],
      [6, "U0OWNER", "2026-12-23", "todo"],
    ]);
    expect(await statusHistory(id)).toEqual([`active→leaving@${TODAY}`]);
  });

  it("gives the tasks to whoever started it when the account has no owner, and the default currency without orders", async () => {
    const caseId = await started(await account("ownerless", { owner: null }));
    const exitCase = await getExitCase(deps, caseId);
    expect(new Set(exitCase.tasks.map((t) => t.ownerSlackId))).toEqual(new Set(["U0STARTER"]));
    expect(exitCase.currency).toBe("USD");
  });

  it("returns the same case for a replayed submit and refuses a second case while one is open", async () => {
    const id = await account("replay");
    const first = await start(id, { key: "VREPLAY" });
    const again = await start(id, { key: "VREPLAY" });
    expect(again).toEqual(first.ok ? { ok: true, caseId: first.caseId, created: false } : null);
    await expect(start(id)).rejects.toThrow(/already leaving/);
    expect(await db.prisma.exitCase.count({ where: { accountId: id } })).toBe(1);
  });

  it("refuses a lost account and an unknown one, and a malformed end date inline", async () => {
    await expect(start(await account("gone", { status: "lost" }))).rejects.toThrow(/already lost/);
    await expect(start("00000000-0000-4000-8000-000000000000")).rejects.toThrow(/no longer exists/);
    expect(await start(await account("baddate"), { draft: { expectedEndOn: "2026-02-30" } })).toEqual({
      ok: false,
      errors: { expectedEndOn: "Pick a valid date." },
    });
  });
});

describe("task changes", () => {
  it("moves a task through its statuses with events, and refuses what the rules forbid", async () => {
    const caseId = await started(await account("tasks"));
    const [t1, t2] = (await getExitCase(deps, caseId)).tasks;
    if (!t1 || !t2) throw new Error("tasks missing");
    const change = await changeTaskStatus(deps, { taskId: t2.id, to: "doing", actorSlackId: "U1" });
    expect(change).toEqual({ caseId, update: "2. Contain bad news: To do → Doing", caseLost: false });
    await expect(changeTaskStatus(deps, { taskId: t2.id, to: "doing", actorSlackId: "U1" })).rejects.toThrow(
      /already doing/,
    );
    await expect(changeTaskStatus(deps, { taskId: t1.id, to: "done", actorSlackId: "U1" })).rejects.toThrow(
      /recording the conversation's outcome/,
    );
    await expect(
      changeTaskStatus(deps, { taskId: t2.id, to: "not_needed", notNeededReason: "  ", actorSlackId: "U1" }),
    ).rejects.toThrow(/Say why/);
    await changeTaskStatus(deps, {
      taskId: t2.id,
      to: "not_needed",
      notNeededReason: "No press",
      actorSlackId: "U1",
    });
    const events = await db.prisma.exitTaskEvent.findMany({
      where: { taskId: t2.id },
      orderBy: { at: "asc" },
    });
    expect(events.map((e) => [e.fromStatus, e.toStatus, e.actorSlackId])).toEqual([
      ["todo", "doing", "U1"],
      ["doing", "not_needed", "U1"],
    ]);
    expect((await getExitCase(deps, caseId)).tasks[1]?.notNeededReason).toBe("No press");
  });

  it("edits owner, due day and notes, describing the change, and checks the day", async () => {
    const caseId = await started(await account("edits"));
    const task = (await getExitCase(deps, caseId)).tasks[2];
    if (!task) throw new Error("task missing");
    const edit = { ownerSlackId: "U0PR", dueOn: "2026-12-01", notes: " Call the dealers " };
    expect(await editTask(deps, { taskId: task.id, edit, actorSlackId: "U1" })).toEqual({
      ok: true,
      changed: true,
      caseId,
      update:
        "3. Reassure other customers: owner <@U0OWNER> → <@U0PR>; due 2026-11-30 → 2026-12-01; notes: Call the dealers",
    });
    expect(await editTask(deps, { taskId: task.id, edit, actorSlackId: "U1" })).toMatchObject({
      changed: false,
    });
    expect(
      await editTask(deps, { taskId: task.id, edit: { ...edit, dueOn: "tomorrow" }, actorSlackId: "U1" }),
    ).toEqual({ ok: false, errors: { dueOn: "Pick a valid date." } });
    const saved = (await getExitCase(deps, caseId)).tasks[2];
    expect([saved?.ownerSlackId, saved?.dueOn, saved?.notes]).toEqual([
      "U0PR",
      "2026-12-01",
      "Call the dealers",
    ]);
  });

  it("ends the case as lost when the last task finishes, and then refuses changes", async () => {
    const id = await account("finish");
    const caseId = await started(id);
    const tasks = (await getExitCase(deps, caseId)).tasks;
    await db.prisma.$transaction((tx) =>
      finishTasks(tx, { caseId, numbers: [1], note: "leaving confirmed", today: TODAY, actorSlackId: "U1" }),
    );
    for (const task of tasks.slice(1, 4))
      await changeTaskStatus(deps, { taskId: task.id, to: "done", actorSlackId: "U1" });
    const last = await db.prisma.$transaction((tx) =>
      finishTasks(tx, {
        caseId,
        numbers: [5, 6],
        note: "retrospective saved",
        today: TODAY,
        actorSlackId: "U2",
      }),
    );
    expect(last.caseLost).toBe(true);
    expect(last.updates).toEqual([
      "5. Keep the lesson: To do → Done (retrospective saved)",
      "6. Use the mistake as a step: To do → Done (retrospective saved)",
    ]);
    const exitCase = await getExitCase(deps, caseId);
    expect([exitCase.status, exitCase.closedOn, exitCase.account.status]).toEqual(["lost", TODAY, "lost"]);
    expect(await statusHistory(id)).toEqual([`active→leaving@${TODAY}`, `leaving→lost@${TODAY}`]);
    await expect(
      changeTaskStatus(deps, { taskId: tasks[1]?.id ?? "", to: "doing", actorSlackId: "U1" }),
    ).rejects.toThrow(/closed/);
  });

  it("retained gives the account back the status it had before it was leaving", async () => {
    const id = await account("kept", { status: "at_risk" });
    const caseId = await started(id);
    expect(
      await db.prisma.$transaction((tx) =>
        closeCase(tx, { caseId, outcome: "retained", today: TODAY, actorSlackId: "U1" }),
      ),
    ).toBe(true);
    expect(
      await db.prisma.$transaction((tx) =>
        closeCase(tx, { caseId, outcome: "lost", today: TODAY, actorSlackId: "U1" }),
      ),
    ).toBe(false);
    const exitCase = await getExitCase(deps, caseId);
    expect([exitCase.status, exitCase.account.status]).toEqual(["retained", "at_risk"]);
    expect(await statusHistory(id)).toEqual([`at_risk→leaving@${TODAY}`, `leaving→at_risk@${TODAY}`]);
  });
});

describe("the case message", () => {
  type Posted = { channel: string; thread_ts?: string; text: string };
  function fakeSlack(failFor: Record<string, string> = {}) {
    const posted: Posted[] = [];
    const updated: Posted[] = [];
    let ts = 0;
    const slack = {
      chat: {
        postMessage: async (args: Posted) => {
          const error = failFor[args.channel];
          if (error) throw Object.assign(new Error(error), { data: { ok: false, error } });
          posted.push(args);
          ts += 1;
          return { ok: true, channel: args.channel.startsWith("U") ? "D0DM" : args.channel, ts: `1.${ts}` };
        },
        update: async (args: Posted) => {
          updated.push(args);
          return { ok: true };
        },
      },
    } as unknown as ExitSlackClient;
    return { slack, posted, updated };
  }
  const render = { message: buildExitCaseMessage, update: buildExitUpdate };

  it("goes to the account's channel, is updated in place with a line in its thread", async () => {
    const caseId = await started(await account("posted"));
    const { slack, posted, updated } = fakeSlack();
    expect(await postExitCase(deps, { slack, caseId, render })).toEqual({
      channelId: "C0POSTED",
      ts: "1.1",
      placement: { misrouted: null },
    });
    expect(posted[0]?.text).toBe("posted: exit handling (open)");
    await refreshExitCase(deps, {
      slack,
      caseId,
      update: { actorSlackId: "U1", text: "1. Last conversation: x" },
      render,
    });
    expect(updated).toHaveLength(1);
    expect(posted[1]).toMatchObject({ channel: "C0POSTED", thread_ts: "1.1" });
    // Posting again does not post twice.
    await postExitCase(deps, { slack, caseId, render });
    expect(posted).toHaveLength(2);
  });

  it("falls back to the warnings channel, then to whoever started it, saying why", async () => {
    const caseId = await started(await account("outside"));
    const withWarnings = { ...deps, channels: { ...deps.channels, warnings: "C0WARN" } };
    const first = fakeSlack({ C0OUTSIDE: "not_in_channel" });
    expect(await postExitCase(withWarnings, { slack: first.slack, caseId, render })).toMatchObject({
      channelId: "C0WARN",
      placement: { misrouted: { intendedChannelId: "C0OUTSIDE", error: "not_in_channel" } },
    });
    expect(JSON.stringify(first.posted[0])).toContain("cannot post in <#C0OUTSIDE>");

    const second = await started(await account("nowhere"));
    const dm = fakeSlack({ C0NOWHERE: "channel_not_found" });
    expect(await postExitCase(deps, { slack: dm.slack, caseId: second, render })).toMatchObject({
      channelId: "D0DM",
    });
    expect(dm.posted[0]?.channel).toBe("U0STARTER");
  });
});
