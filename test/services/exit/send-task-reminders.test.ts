// Overdue exit task reminders against a real database: one message per owner, at most once a day per
// task, only open tasks of open cases, and a failed message gives its claim back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type OverdueTask,
  sendExitTaskReminders,
  type TaskReminderDeps,
} from "../../../src/services/exit/send-task-reminders.ts";
import { startExit } from "../../../src/services/exit/start-exit.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { testDeps } from "../../support/deps.ts";

const STARTED = new Date("2026-11-01T12:00:00Z");
let db: TestDatabase;
let caseId = "";
let closedCaseId = "";

type Sent = { channel: string; tasks: OverdueTask[] };

/** A Slack stand-in: records each message with the tasks it was rendered from; can fail the next post. */
function slackStub() {
  const sent: Sent[] = [];
  let failNext = false;
  let pending: OverdueTask[] = [];
  const slack = {
    chat: {
      postMessage: async (args: { channel: string }) => {
        if (failNext) {
          failNext = false;
          throw Object.assign(new Error("An API error occurred: ratelimited"), {
            data: { error: "ratelimited" },
          });
        }
        sent.push({ channel: args.channel, tasks: pending });
        return { ok: true, channel: args.channel, ts: "1.000100" };
      },
      getPermalink: async (args: { channel: string; message_ts: string }) => ({
        ok: true,
        permalink: `https://example.slack.com/archives/${args.channel}/p${args.message_ts.replace(".", "")}`,
      }),
    },
  } as unknown as TaskReminderDeps["slack"];
  const render = (tasks: OverdueTask[]) => {
    pending = tasks;
    return { text: `${tasks.length} overdue`, blocks: [] };
  };
  return { slack, sent, render, failNextPost: () => (failNext = true) };
}

function run(now: Date, stub: ReturnType<typeof slackStub>) {
  const deps: TaskReminderDeps = { ...testDeps(db, () => now), slack: stub.slack };
  return sendExitTaskReminders(deps, { now, render: stub.render });
}

async function startCase(name: string, owner: string, key: string): Promise<string> {
  const account = await db.prisma.account.create({
    data: { externalId: name, name, ownerSlackId: owner, channelId: "C0CUST" },
  });
  const started = await startExit(
    testDeps(db, () => STARTED),
    {
      accountId: account.id,
      draft: {
        reason: null,
        surfaceReason: null,
        deepReason: null,
        competitorWon: null,
        expectedEndOn: null,
      },
      warningId: null,
      actorSlackId: owner,
      submissionKey: key,
    },
  );
  if (!started.ok) throw new Error("start refused");
  return started.caseId;
}

beforeAll(async () => {
  db = await createTestDatabase();
  // Started 2026-11-01: tasks due 11-04, 11-04, 11-08, 11-15, 11-22, 12-01.
  caseId = await startCase("Acme", "U0MARIA", "V1");
  await db.prisma.exitCase.update({
    where: { id: caseId },
    data: { channelId: "C0CUST", messageTs: "1700000000.000100" },
  });
  // Task 1 done, task 2 handed to PR, task 6 not due yet on 11-23.
  await db.prisma.exitTask.updateMany({ where: { caseId, number: 1 }, data: { status: "done" } });
  await db.prisma.exitTask.updateMany({
    where: { caseId, number: 2 },
    data: { ownerSlackId: "U0PR", status: "doing" },
  });
  closedCaseId = await startCase("Closed Co", "U0MARIA", "V2");
  await db.prisma.exitCase.update({ where: { id: closedCaseId }, data: { status: "retained" } });
});

afterAll(async () => {
  await db?.drop();
});

describe("sendExitTaskReminders", () => {
  it("messages each owner once about their overdue open tasks of open cases, with a link to the case", async () => {
    const stub = slackStub();
    const result = await run(new Date("2026-11-23T09:00:00Z"), stub);
    expect(result).toEqual({ owners: 2, reminded: 4, failedOwners: 0 });
    const byOwner = Object.fromEntries(
      stub.sent.map((s) => [s.channel, s.tasks.map((t) => [t.number, t.accountName, t.daysOverdue])]),
    );
    expect(byOwner).toEqual({
      U0MARIA: [
        [3, "Acme", 15],
        [4, "Acme", 8],
        [5, "Acme", 1],
      ],
      U0PR: [[2, "Acme", 19]],
    });
    expect(stub.sent[0]?.tasks[0]?.link).toEqual({
      channelId: "C0CUST",
      permalink: "https://example.slack.com/archives/C0CUST/p1700000000000100",
    });
  });

  it("sends nothing more the same day, and again the next day", async () => {
    const sameDay = slackStub();
    expect(await run(new Date("2026-11-23T17:00:00Z"), sameDay)).toEqual({
      owners: 0,
      reminded: 0,
      failedOwners: 0,
    });
    expect(sameDay.sent).toEqual([]);
    const nextDay = slackStub();
    expect(await run(new Date("2026-11-24T09:00:00Z"), nextDay)).toMatchObject({ owners: 2, reminded: 4 });
  });

  it("gives the claim back when the message fails, so the next run sends it", async () => {
    const stub = slackStub();
    stub.failNextPost();
    const result = await run(new Date("2026-11-25T09:00:00Z"), stub);
    expect(result.failedOwners).toBe(1);
    expect(result.owners).toBe(1);
    const failedOwner = ["U0MARIA", "U0PR"].find((owner) => !stub.sent.some((s) => s.channel === owner));
    expect(failedOwner).toBeDefined();
    const theirTasks = await db.prisma.exitTask.findMany({
      where: {
        caseId,
        ownerSlackId: failedOwner,
        status: { in: ["todo", "doing"] },
        dueOn: { lt: new Date("2026-11-25") },
      },
    });
    expect(theirTasks.length).toBeGreaterThan(0);
    // Back to the day they were last reminded, not cleared and not today.
    for (const task of theirTasks) expect(task.remindedOn).toEqual(new Date("2026-11-24"));
    const retry = slackStub();
    expect(await run(new Date("2026-11-25T10:00:00Z"), retry)).toMatchObject({ owners: 1, failedOwners: 0 });
    expect(retry.sent.map((s) => s.channel)).toEqual([failedOwner]);
  });

  it("never reminds about a closed case's tasks", async () => {
    const tasks = await db.prisma.exitTask.findMany({ where: { caseId: closedCaseId } });
    expect(tasks.every((task) => task.remindedOn === null)).toBe(true);
  });
});
