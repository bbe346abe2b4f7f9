// Handover and rep departures against a real database, with a recording Slack client.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSilentLogger } from "../../../src/logger.ts";
import type { ServiceDeps } from "../../../src/services/deps.ts";
import { handOverAccounts } from "../../../src/services/ownership/hand-over-accounts.ts";
import {
  recordRepDeparture,
  retryRepDepartureAlerts,
} from "../../../src/services/ownership/record-rep-departure.ts";
import { createRoles } from "../../../src/services/roles.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { testDeps } from "../../support/deps.ts";
import { startCase } from "../../support/exit-cases.ts";

const NOW = new Date("2026-11-23T12:00:00Z");
let db: TestDatabase;

type Posted = { channel: string; text: string };

function slackClient(options: { failPosts?: number } = {}) {
  const posted: Posted[] = [];
  let failures = options.failPosts ?? 0;
  const client = {
    chat: {
      postMessage: async (args: { channel: string; text?: string }) => {
        if (failures > 0) {
          failures -= 1;
          throw Object.assign(new Error("An API error occurred: ratelimited"), {
            data: { error: "ratelimited" },
          });
        }
        posted.push({ channel: args.channel, text: args.text ?? "" });
        return { ok: true, channel: args.channel, ts: `${posted.length}.000` };
      },
    },
    users: {
      info: async ({ user }: { user: string }) => ({
        ok: true,
        user: { id: user, deleted: false, is_bot: false },
      }),
    },
  };
  // A test double of the two Web API families these services use.
  return { posted, slack: client as unknown as Parameters<typeof handOverAccounts>[0]["slack"] };
}

function deps(managers: string[], overrides: Partial<ServiceDeps> = {}): ServiceDeps {
  return testDeps(db, () => NOW, {
    roles: createRoles(
      { managerUserIds: managers, managerGroupId: undefined, repsSeeMargin: false },
      { logger: createSilentLogger(), now: () => NOW },
    ),
    ...overrides,
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

beforeEach(async () => {
  await db.pool.query(
    "TRUNCATE account, rep_departure, account_owner_change, warning_sign, follow_up, exit_case, exit_task, corrective_action, owner_reminder CASCADE",
  );
});

describe("handOverAccounts", () => {
  it("moves the open exit tasks and corrective actions the rep owns on those accounts, not others'", async () => {
    const acme = await db.prisma.account.create({
      data: { externalId: "A", name: "ACME", ownerSlackId: "UREP1" },
    });
    const caseId = await startCase(deps([]), acme.id);
    await db.prisma.exitTask.updateMany({ where: { caseId, number: 2 }, data: { status: "done" } });
    await db.prisma.exitTask.updateMany({ where: { caseId, number: 3 }, data: { ownerSlackId: "UPR" } });
    await db.prisma.correctiveAction.createMany({
      data: [
        {
          caseId,
          description: "Fix the delivery SLA",
          ownerSlackId: "UREP1",
          dueOn: new Date("2026-12-15"),
          createdBy: "UM",
        },
        {
          caseId,
          description: "Done already",
          ownerSlackId: "UREP1",
          dueOn: new Date("2026-11-01"),
          createdBy: "UM",
          status: "done",
        },
      ],
    });
    // A birthday reminder claimed for the old owner whose DM failed, and one already sent.
    await db.prisma.ownerReminder.createMany({
      data: [
        {
          accountId: acme.id,
          kind: "birthday",
          subject: "c1",
          occasionOn: new Date("2026-11-25"),
          ownerSlackId: "UREP1",
        },
        {
          accountId: acme.id,
          kind: "cadence",
          occasionOn: new Date("2026-11-01"),
          ownerSlackId: "UREP1",
          sentAt: new Date("2026-11-01T09:00:00Z"),
        },
      ],
    });
    const { slack, posted } = slackClient();
    const result = await handOverAccounts(
      { ...deps(["UMANAGER"]), slack },
      { managerId: "UMANAGER", fromId: "UREP1", toId: "UNEW", accountQueries: [] },
    );
    expect(result.moved).toEqual({ followUps: 0, exitTasks: 4, correctiveActions: 1, complaints: 0 });
    const reminders = await db.prisma.ownerReminder.findMany({ orderBy: { kind: "asc" } });
    expect(reminders.map((r) => [r.kind, r.ownerSlackId])).toEqual([
      ["cadence", "UREP1"],
      ["birthday", "UNEW"],
    ]);
    const tasks = await db.prisma.exitTask.findMany({ where: { caseId }, orderBy: { number: "asc" } });
    expect(tasks.map((t) => t.ownerSlackId)).toEqual(["UNEW", "UREP1", "UPR", "UNEW", "UNEW", "UNEW"]);
    const actions = await db.prisma.correctiveAction.findMany({ orderBy: { description: "asc" } });
    expect(actions.map((a) => [a.description, a.ownerSlackId])).toEqual([
      ["Done already", "UREP1"],
      ["Fix the delivery SLA", "UNEW"],
    ]);
    expect(posted.map((p) => p.channel)).toEqual(["UNEW"]);
  });

  it("changes nothing when one of the accounts is no longer the rep's by the time it commits", async () => {
    await db.prisma.account.create({ data: { externalId: "A", name: "ACME", ownerSlackId: "UREP1" } });
    const { slack } = slackClient();
    const first = handOverAccounts(
      { ...deps(["UMANAGER"]), slack },
      { managerId: "UMANAGER", fromId: "UREP1", toId: "UNEW", accountQueries: ["acme"] },
    );
    const second = handOverAccounts(
      { ...deps(["UMANAGER"]), slack },
      { managerId: "UMANAGER", fromId: "UREP1", toId: "UOTHER", accountQueries: ["acme"] },
    );
    const results = await Promise.allSettled([first, second]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db.prisma.accountOwnerChange.count()).toBe(1);
  });
});

describe("recordRepDeparture", () => {
  it("two deliveries at once: one departure, one sign per open account, one alert", async () => {
    await db.prisma.account.createMany({
      data: [
        { externalId: "A", name: "ACME", ownerSlackId: "UREP1" },
        { externalId: "B", name: "Beta", ownerSlackId: "UREP1" },
        { externalId: "L", name: "Lost", ownerSlackId: "UREP1", status: "lost" },
        { externalId: "O", name: "Other", ownerSlackId: "UREP2" },
      ],
    });
    const { slack, posted } = slackClient();
    const d = { ...deps(["UM1", "UM2"]), slack };
    const input = { repId: "UREP1", source: "deactivated" as const, recordedBy: null };
    const results = await Promise.all([recordRepDeparture(d, input), recordRepDeparture(d, input)]);
    expect(results.map((r) => r.alert).sort()).toEqual(["already", "managers"]);
    expect(results.filter((r) => r.newDeparture)).toHaveLength(1);
    expect(await db.prisma.repDeparture.count()).toBe(1);
    const signs = await db.prisma.warningSign.findMany({ include: { account: true } });
    expect(signs.map((s) => s.account.name).sort()).toEqual(["ACME", "Beta"]);
    expect(posted.map((p) => p.channel).sort()).toEqual(["UM1", "UM2"]);
  });

  it("goes to MANAGERS_CHANNEL when set; a failed alert is tried again on the next delivery", async () => {
    await db.prisma.account.create({ data: { externalId: "A", name: "ACME", ownerSlackId: "UREP1" } });
    const { slack, posted } = slackClient({ failPosts: 1 });
    const d = {
      ...deps(["UM1"], { channels: { warnings: undefined, managers: "CMANAGERS", retro: undefined } }),
      slack,
    };
    const input = { repId: "UREP1", source: "recorded" as const, recordedBy: "UM1" };
    expect((await recordRepDeparture(d, input)).alert).toBe("failed");
    expect((await recordRepDeparture(d, input)).alert).toBe("channel");
    expect((await recordRepDeparture(d, input)).alert).toBe("already");
    expect(posted.map((p) => p.channel)).toEqual(["CMANAGERS"]);
    expect(await db.prisma.warningSign.count()).toBe(1);
  });

  it("a deactivation's failed alert is retried by the hourly job, once", async () => {
    await db.prisma.account.create({ data: { externalId: "A", name: "ACME", ownerSlackId: "UREP1" } });
    const { slack, posted } = slackClient({ failPosts: 1 });
    const d = {
      ...deps(["UM1"], { channels: { warnings: undefined, managers: "CMANAGERS", retro: undefined } }),
      slack,
    };
    expect(
      (await recordRepDeparture(d, { repId: "UREP1", source: "deactivated", recordedBy: null })).alert,
    ).toBe("failed");
    expect(await retryRepDepartureAlerts(d)).toEqual({ retried: 1, alerted: 1 });
    expect(await retryRepDepartureAlerts(d)).toEqual({ retried: 0, alerted: 0 });
    expect(posted.map((p) => p.channel)).toEqual(["CMANAGERS"]);
    expect(await db.prisma.warningSign.count()).toBe(1);
  });

  it("with roles off and no managers' channel nobody is alerted, but the sign is recorded", async () => {
    await db.prisma.account.create({ data: { externalId: "A", name: "ACME", ownerSlackId: "UREP1" } });
    const { slack, posted } = slackClient();
    const result = await recordRepDeparture(
      { ...deps([]), slack },
      { repId: "UREP1", source: "deactivated", recordedBy: null },
    );
    expect(result.alert).toBe("nobody");
    expect(posted).toEqual([]);
    expect(await db.prisma.warningSign.count({ where: { kind: "rep_leaving" } })).toBe(1);
  });
});
