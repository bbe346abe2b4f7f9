// Complaint services against a real database: once per submission, one winner per step, open list, posting fallbacks.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ComplaintDetails, ComplaintPlacement } from "../../../src/domain/complaints.ts";
import {
  type ComplaintSlackClient,
  postComplaintMessage,
  refreshComplaintMessage,
} from "../../../src/services/complaints/complaint-message.ts";
import { getComplaintDetails } from "../../../src/services/complaints/get-complaint-details.ts";
import { listOpenComplaints } from "../../../src/services/complaints/list-open-complaints.ts";
import {
  type RecordComplaintInput,
  recordComplaint,
} from "../../../src/services/complaints/record-complaint.ts";
import { transitionComplaint } from "../../../src/services/complaints/transition-complaint.ts";
import type { ServiceDeps } from "../../../src/services/deps.ts";
import { isUniqueViolation } from "../../../src/services/once.ts";
import type { PostFailureNotice } from "../../../src/slack/views/complaint-message.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { testDeps } from "../../support/deps.ts";

const NOW = new Date("2026-11-23T12:00:00Z");
const DAY = 86_400_000;
let clock = NOW;
let db: TestDatabase;
let deps: ServiceDeps;
let accountId: string;
let otherAccountId: string;
let contactId: string;
let foreignContactId: string;
let keys = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  deps = testDeps(db, () => clock);
  accountId = (
    await db.prisma.account.create({
      data: { externalId: "C-1", name: "ACME", channelId: "C0ACME", ownerSlackId: "U0OWNER" },
    })
  ).id;
  otherAccountId = (await db.prisma.account.create({ data: { externalId: "C-2", name: "Other Co" } })).id;
  contactId = (await db.prisma.contact.create({ data: { accountId, name: "Paula" } })).id;
  foreignContactId = (
    await db.prisma.contact.create({ data: { accountId: otherAccountId, name: "Stranger" } })
  ).id;
});

afterAll(async () => {
  await db?.drop();
});

beforeEach(() => {
  clock = NOW;
});

function input(overrides: Partial<RecordComplaintInput> = {}): RecordComplaintInput {
  keys += 1;
  return {
    accountId,
    category: "delivery",
    severity: "high",
    description: "Pallets arrived broken",
    reportedByContactId: contactId,
    ownerSlackId: "U0OWNER",
    createdBy: "U0001",
    sourcePermalink: null,
    submissionKey: `VSVC${keys}`,
    ...overrides,
  };
}

async function recorded(overrides: Partial<RecordComplaintInput> = {}): Promise<string> {
  const result = await recordComplaint(deps, input(overrides));
  if (result.kind !== "recorded") throw new Error(`not recorded: ${result.message}`);
  return result.complaintId;
}

describe("recordComplaint", () => {
  it("creates the complaint and its first step together", async () => {
    const result = await recordComplaint(deps, input({ submissionKey: "VONE" }));
    expect(result).toMatchObject({ kind: "recorded", created: true });
    const complaint = await db.prisma.complaint.findUniqueOrThrow({
      where: { submissionKey: "VONE" },
      include: { events: true },
    });
    expect(complaint).toMatchObject({ status: "open", createdAt: NOW, updatedAt: NOW, createdBy: "U0001" });
    expect(complaint.events).toEqual([
      expect.objectContaining({
        fromStatus: null,
        toStatus: "open",
        actorSlackId: "U0001",
        at: NOW,
        note: null,
      }),
    ]);
  });

  it("records a submission once, also when the same submission arrives twice at the same time", async () => {
    const same = input({ submissionKey: "VRACE" });
    const results = await Promise.all([recordComplaint(deps, same), recordComplaint(deps, same)]);
    expect(results.map((r) => r.kind === "recorded" && r.created).sort()).toEqual([false, true]);
    const ids = new Set(results.map((r) => (r.kind === "recorded" ? r.complaintId : "")));
    expect(ids.size).toBe(1);
    expect(await db.prisma.complaint.count({ where: { submissionKey: "VRACE" } })).toBe(1);
    const [id] = [...ids];
    expect(await db.prisma.complaintEvent.count({ where: { complaintId: id ?? "" } })).toBe(1);
  });

  it("sees Prisma's unique violation through the pg driver adapter (what createOnce relies on)", async () => {
    const data = {
      accountId,
      category: "other" as const,
      severity: "low" as const,
      description: "x",
      ownerSlackId: "U1",
      createdBy: "U1",
      submissionKey: "VP2002",
    };
    await db.prisma.complaint.create({ data });
    const error = await db.prisma.complaint.create({ data }).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe("P2002");
    expect(isUniqueViolation(error)).toBe(true);
    // The adapter names the index, not the fields.
    expect(error).toMatchObject({
      meta: { driverAdapterError: { cause: { constraint: { index: "complaint_submission_key_key" } } } },
    });
  });

  it("refuses a contact of another customer, and a customer that is gone, saving nothing", async () => {
    const before = await db.prisma.complaint.count();
    expect(await recordComplaint(deps, input({ reportedByContactId: foreignContactId }))).toEqual({
      kind: "invalid",
      field: "reportedBy",
      message: "That contact is not one of this customer's.",
    });
    expect(
      await recordComplaint(deps, input({ accountId: "00000000-0000-4000-8000-000000000000" })),
    ).toMatchObject({ kind: "invalid", field: "account" });
    expect(await db.prisma.complaint.count()).toBe(before);
  });
});

describe("transitionComplaint", () => {
  it("lets only one of several simultaneous clicks apply", async () => {
    const id = await recorded();
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        transitionComplaint(deps, { complaintId: id, action: "investigate", actorSlackId: `U${i}` }),
      ),
    );
    expect(outcomes.filter((o) => o.kind === "applied")).toHaveLength(1);
    expect(outcomes.filter((o) => o.kind === "refused")).toHaveLength(4);
    expect(await db.prisma.complaintEvent.count({ where: { complaintId: id } })).toBe(2);
  });

  it("refuses when the complaint moved between reading and writing (conditional update)", async () => {
    const id = await recorded();
    // Another session moves it and holds its row lock, uncommitted.
    const other = await db.pool.connect();
    try {
      await other.query("BEGIN");
      await other.query("UPDATE complaint SET status = 'investigating' WHERE id = $1", [id]);
      const pending = transitionComplaint(deps, {
        complaintId: id,
        action: "investigate",
        actorSlackId: "U0LATE",
      });
      // Wait until our update is blocked on that row lock: it read 'open' and now waits.
      await waitForLockWait();
      await other.query("COMMIT");
      const outcome = await pending;
      expect(outcome).toEqual({
        kind: "refused",
        status: "investigating",
        reason: "Someone else just changed this complaint: it is now investigating.",
      });
    } finally {
      other.release();
    }
    expect(await db.prisma.complaintEvent.count({ where: { complaintId: id } })).toBe(1);
  });

  it("records resolution with the step, clears it on reopen, and restarts the clock", async () => {
    const id = await recorded({ severity: "critical" });
    clock = new Date(NOW.getTime() + DAY);
    await transitionComplaint(deps, { complaintId: id, action: "investigate", actorSlackId: "U0A" });
    expect(
      await transitionComplaint(deps, {
        complaintId: id,
        action: "resolve",
        actorSlackId: "U0A",
        note: "  ",
      }),
    ).toEqual({ kind: "refused", status: "investigating", reason: "Say what was done to resolve it." });
    clock = new Date(NOW.getTime() + 2 * DAY);
    await transitionComplaint(deps, {
      complaintId: id,
      action: "resolve",
      actorSlackId: "U0B",
      note: " Sent new pallets ",
    });
    let { details } = await getComplaintDetails(deps, id);
    expect(details).toMatchObject({ status: "resolved", resolution: "Sent new pallets", resolvedAt: clock });
    expect(details.age.overdueDays).toBe(0);
    clock = new Date(NOW.getTime() + 3 * DAY);
    await transitionComplaint(deps, { complaintId: id, action: "reopen", actorSlackId: "U0C" });
    ({ details } = await getComplaintDetails(deps, id));
    expect(details).toMatchObject({ status: "reopened", resolution: null, resolvedAt: null, since: clock });
    expect(details.steps.map((s) => [s.fromStatus, s.toStatus, s.actorSlackId, s.note])).toEqual([
      [null, "open", "U0001", null],
      ["open", "investigating", "U0A", null],
      ["investigating", "resolved", "U0B", "Sent new pallets"],
      ["resolved", "reopened", "U0C", null],
    ]);
    const row = await db.prisma.complaint.findUniqueOrThrow({ where: { id } });
    expect(row.updatedAt).toEqual(clock);
  });
});

async function waitForLockWait(): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const { rows } = await db.pool.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    );
    if ((rows[0] as { n: number }).n > 0) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error("the transition never waited for the row lock");
}

describe("listOpenComplaints", () => {
  it("lists open ones newest first, with age and overdue from the latest reopen", async () => {
    const scoped = (await db.prisma.account.create({ data: { externalId: "C-LIST", name: "Listed" } })).id;
    const base = { accountId: scoped, reportedByContactId: null };
    clock = new Date(NOW.getTime() - 10 * DAY);
    const old = await recorded({ ...base, severity: "high", ownerSlackId: "U0X" });
    clock = new Date(NOW.getTime() - 5 * DAY);
    const closed = await recorded({ ...base, severity: "low" });
    await transitionComplaint(deps, { complaintId: closed, action: "investigate", actorSlackId: "U1" });
    await transitionComplaint(deps, {
      complaintId: closed,
      action: "resolve",
      actorSlackId: "U1",
      note: "done",
    });
    await transitionComplaint(deps, { complaintId: closed, action: "confirm", actorSlackId: "U1" });
    clock = new Date(NOW.getTime() - 4 * DAY);
    const reopened = await recorded({ ...base, severity: "critical" });
    await transitionComplaint(deps, { complaintId: reopened, action: "investigate", actorSlackId: "U1" });
    await transitionComplaint(deps, {
      complaintId: reopened,
      action: "resolve",
      actorSlackId: "U1",
      note: "x",
    });
    clock = new Date(NOW.getTime() - 1 * DAY);
    await transitionComplaint(deps, { complaintId: reopened, action: "reopen", actorSlackId: "U1" });
    clock = new Date(NOW.getTime() - 2 * 3600_000);
    const fresh = await recorded({ ...base, severity: "medium" });
    clock = NOW;

    const list = await listOpenComplaints(deps, { accountId: scoped });
    expect(list.total).toBe(3);
    expect(list.complaints.map((c) => c.id)).toEqual([fresh, reopened, old]);
    const [first, second, third] = list.complaints;
    expect(first).toMatchObject({ status: "open", overdue: false, age: { ageDays: 0, targetDays: 7 } });
    // Reopened a day ago: the clock restarted then, critical target 1 day, not overdue yet.
    expect(second).toMatchObject({
      status: "reopened",
      since: new Date(NOW.getTime() - DAY),
      overdue: false,
      age: { ageDays: 1, targetDays: 1, overdueDays: 0 },
      account: { id: scoped, name: "Listed" },
    });
    // Raised 10 days ago, high (3 days): 7 days overdue.
    expect(third).toMatchObject({ overdue: true, age: { ageDays: 10, targetDays: 3, overdueDays: 7 } });
    expect(third?.dueAt).toEqual(new Date(NOW.getTime() - 7 * DAY));
    expect(third?.message).toBeNull();

    const limited = await listOpenComplaints(deps, { accountId: scoped, limit: 1 });
    expect(limited.complaints.map((c) => c.id)).toEqual([fresh]);
    expect(limited.total).toBe(3);
    const owned = await listOpenComplaints(deps, { accountId: scoped, ownerSlackId: "U0X" });
    expect(owned.complaints.map((c) => c.id)).toEqual([old]);
  });
});

describe("postComplaintMessage", () => {
  type Posted = { channel: string; text: string };
  function fakeSlack(failures: Record<string, string> = {}) {
    const posted: Posted[] = [];
    const updated: { channel: string; ts: string }[] = [];
    let ts = 0;
    const client = {
      chat: {
        postMessage: async (args: { channel: string; text?: string }) => {
          posted.push({ channel: args.channel, text: args.text ?? "" });
          const error = failures[args.channel];
          if (error) throw Object.assign(new Error(error), { data: { ok: false, error } });
          ts += 1;
          return { ok: true, channel: args.channel.replace(/^U/, "D"), ts: `1700000000.00000${ts}` };
        },
        update: async (args: { channel: string; ts: string }) => {
          updated.push({ channel: args.channel, ts: args.ts });
          return { ok: true };
        },
      },
    } as unknown as ComplaintSlackClient;
    return { client, posted, updated };
  }
  const render = {
    message: (details: ComplaintDetails, placement: ComplaintPlacement) => ({
      text: `${details.account.name} ${JSON.stringify(placement)}`,
      blocks: [],
    }),
    postFailure: (notice: PostFailureNotice) => ({ text: `notice ${JSON.stringify(notice)}`, blocks: [] }),
  };

  it("posts in the account's channel and remembers where", async () => {
    const id = await recorded();
    const slack = fakeSlack();
    const result = await postComplaintMessage(deps, {
      slack: slack.client,
      complaintId: id,
      submitterSlackId: "U0001",
      render,
    });
    expect(result).toEqual({
      posted: { channelId: "C0ACME", ts: "1700000000.000001", placement: { kind: "channel" } },
      channelError: null,
      submitterNotified: false,
    });
    expect(slack.posted.map((p) => p.channel)).toEqual(["C0ACME"]);
    expect(await db.prisma.complaint.findUniqueOrThrow({ where: { id } })).toMatchObject({
      messageChannelId: "C0ACME",
      messageTs: "1700000000.000001",
    });
    expect(await refreshComplaintMessage(deps, { slack: slack.client, complaintId: id, render })).toBe(true);
    expect(slack.updated).toEqual([{ channel: "C0ACME", ts: "1700000000.000001" }]);
  });

  it("falls back to the owner, then the submitter, and tells the submitter why", async () => {
    const id = await recorded();
    const slack = fakeSlack({ C0ACME: "not_in_channel", U0OWNER: "user_not_found" });
    const result = await postComplaintMessage(deps, {
      slack: slack.client,
      complaintId: id,
      submitterSlackId: "U0SUB",
      render,
    });
    expect(slack.posted.map((p) => p.channel)).toEqual(["C0ACME", "U0OWNER", "U0SUB"]);
    expect(result).toMatchObject({
      posted: {
        channelId: "D0SUB",
        placement: { kind: "direct", reason: "channel_failed", channelId: "C0ACME" },
      },
      channelError: "not_in_channel",
      // The complaint itself went to the submitter and says what happened: no second message.
      submitterNotified: false,
    });
  });

  it("notifies the submitter when the owner got it instead, and when nothing could be posted", async () => {
    const id = await recorded();
    const toOwner = fakeSlack({ C0ACME: "not_in_channel" });
    await postComplaintMessage(deps, {
      slack: toOwner.client,
      complaintId: id,
      submitterSlackId: "U0SUB",
      render,
    });
    expect(toOwner.posted.map((p) => p.channel)).toEqual(["C0ACME", "U0OWNER", "U0SUB"]);
    expect(toOwner.posted[2]?.text).toContain('"error":"not_in_channel","sentTo":"U0OWNER"');

    const nowhere = fakeSlack({ C0ACME: "is_archived", U0OWNER: "user_not_found", U0SUB: "user_not_found" });
    const result = await postComplaintMessage(deps, {
      slack: nowhere.client,
      complaintId: id,
      submitterSlackId: "U0SUB",
      render,
    });
    expect(result).toEqual({ posted: null, channelError: "is_archived", submitterNotified: false });
  });
});
