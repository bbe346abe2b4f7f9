// Follow-up services against a real database: listing open ones, marking done, and reminders raced by two runs or time zones.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ServiceDeps } from "../../../src/services/deps.ts";
import { listOpenFollowUps, markFollowUpDone } from "../../../src/services/interactions/follow-ups.ts";
import {
  type ReminderDeps,
  sendFollowUpReminders,
} from "../../../src/services/interactions/send-follow-up-reminders.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { testDeps } from "../../support/deps.ts";

const NOW = new Date("2026-11-23T12:00:00Z");
let db: TestDatabase;
let deps: ServiceDeps;
let accountId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  deps = testDeps(db, () => NOW);
  accountId = (await db.prisma.account.create({ data: { externalId: "C-1", name: "ACME" } })).id;
});

afterAll(async () => {
  await db?.drop();
});

beforeEach(async () => {
  await db.prisma.followUp.deleteMany();
});

function add(owner: string, dueOn: string, description = "Step", extra: { doneAt?: Date } = {}) {
  return db.prisma.followUp.create({
    data: {
      accountId,
      ownerSlackId: owner,
      dueOn: new Date(`${dueOn}T00:00:00Z`),
      description,
      createdBy: "U0001",
      ...extra,
    },
  });
}

/** A Slack client that records DMs; `fail` makes the DM to that user throw as the Web API client does. */
function recordingSlack(fail: Set<string> = new Set()) {
  const sent: { channel: string; text: string }[] = [];
  const slack = {
    chat: {
      postMessage: async (args: { channel: string; text: string }) => {
        if (fail.has(args.channel)) throw new Error("An API error occurred: channel_not_found");
        sent.push({ channel: args.channel, text: args.text });
        return { ok: true };
      },
    },
  };
  // Only chat.postMessage is used by the reminders; the rest of the client is not needed here.
  return { sent, slack: slack as unknown as ReminderDeps["slack"] };
}

describe("listOpenFollowUps", () => {
  it("lists the owner's open follow-ups due by the day, most overdue first, with days late", async () => {
    const late = await add("U0ANN", "2026-11-20", "Late one");
    const today = await add("U0ANN", "2026-11-23", "Today");
    const friday = await add("U0ANN", "2026-11-27", "Friday");
    await add("U0ANN", "2026-11-30", "Next week");
    await add("U0ANN", "2026-11-19", "Done", { doneAt: NOW });
    await add("U0BOB", "2026-11-19", "Someone else's");
    const open = await listOpenFollowUps(deps, { ownerSlackId: "U0ANN", dueOnOrBefore: "2026-11-29" });
    expect(open).toEqual([
      {
        id: late.id,
        accountId,
        accountName: "ACME",
        interactionId: null,
        description: "Late one",
        dueOn: "2026-11-20",
        ownerSlackId: "U0ANN",
        daysLate: 3,
      },
      expect.objectContaining({ id: today.id, dueOn: "2026-11-23", daysLate: 0 }),
      expect.objectContaining({ id: friday.id, dueOn: "2026-11-27", daysLate: -4 }),
    ]);
    expect(
      await listOpenFollowUps(deps, { ownerSlackId: "U0ANN", dueOnOrBefore: "2026-11-29", limit: 1 }),
    ).toHaveLength(1);
  });
});

describe("markFollowUpDone", () => {
  it("records who and when once, and reports a repeat and an unknown id", async () => {
    const step = await add("U0ANN", "2026-11-20", "Send offer");
    const first = await markFollowUpDone(deps, { followUpId: step.id, doneBy: "U0TEAM" });
    expect(first).toEqual({
      status: "done",
      followUp: {
        id: step.id,
        accountName: "ACME",
        description: "Send offer",
        dueOn: "2026-11-20",
        ownerSlackId: "U0ANN",
        doneBy: "U0TEAM",
        doneAt: NOW,
      },
    });
    const again = await markFollowUpDone(deps, { followUpId: step.id, doneBy: "U0ANN" });
    expect(again).toEqual({
      status: "already_done",
      followUp: first.status === "done" ? first.followUp : null,
    });
    expect(
      await markFollowUpDone(deps, { followUpId: "00000000-0000-4000-8000-000000000000", doneBy: "U0ANN" }),
    ).toEqual({
      status: "not_found",
    });
  });
});

describe("sendFollowUpReminders", () => {
  it("reminds each follow-up once when two runs race (two instances)", async () => {
    for (let i = 0; i < 40; i++) await add(`U0R${i % 8}`, "2026-11-22", `Step ${i}`);
    const a = recordingSlack();
    const b = recordingSlack();
    const [runA, runB] = await Promise.all([
      sendFollowUpReminders({ ...deps, slack: a.slack }, NOW),
      sendFollowUpReminders({ ...deps, slack: b.slack }, NOW),
    ]);
    expect(runA.reminded + runB.reminded).toBe(40);
    expect(runA.failedOwners + runB.failedOwners).toBe(0);
    // Each owner's five follow-ups were claimed together by one run: one message per owner in all.
    const channels = [...a.sent, ...b.sent].map((m) => m.channel).sort();
    expect(channels).toEqual(["U0R0", "U0R1", "U0R2", "U0R3", "U0R4", "U0R5", "U0R6", "U0R7"]);
    expect(await db.prisma.followUp.count({ where: { remindedAt: null } })).toBe(0);
  });

  it("reads 'due today' in the configured time zone", async () => {
    await add("U0ANN", "2026-11-24", "Tomorrow in UTC, today in Shanghai");
    // 2026-11-23T20:00Z is 2026-11-24 04:00 in Shanghai.
    const evening = new Date("2026-11-23T20:00:00Z");
    const utc = recordingSlack();
    expect(await sendFollowUpReminders({ ...deps, slack: utc.slack }, evening)).toEqual({
      owners: 0,
      reminded: 0,
      failedOwners: 0,
    });
    const shanghai = recordingSlack();
    expect(
      await sendFollowUpReminders({ ...deps, timeZone: "Asia/Shanghai", slack: shanghai.slack }, evening),
    ).toEqual({
      owners: 1,
      reminded: 1,
      failedOwners: 0,
    });
    expect(shanghai.sent[0]?.text).toBe(
      "You have 1 follow-up due. ACME — Tomorrow in UTC, today in Shanghai",
    );
  });

  it("counts a failed owner and releases only that owner's follow-ups", async () => {
    await add("U0OK", "2026-11-23");
    await add("U0GONE", "2026-11-23");
    await add("U0GONE", "2026-11-21");
    const { sent, slack } = recordingSlack(new Set(["U0GONE"]));
    expect(await sendFollowUpReminders({ ...deps, slack }, NOW)).toEqual({
      owners: 1,
      reminded: 1,
      failedOwners: 1,
    });
    expect(sent.map((m) => m.channel)).toEqual(["U0OK"]);
    expect(await db.prisma.followUp.count({ where: { ownerSlackId: "U0GONE", remindedAt: null } })).toBe(2);
  });
});
