// getHome against a real database: complaint urgency and overdue counts agree with complaintAge to the
// minute, the response clock restarts on reopening, and "this week" follows the configured time zone.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceDeps } from "../../../src/services/deps.ts";
import { getHome } from "../../../src/services/home/get-home.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { testDeps } from "../../support/deps.ts";

// 23:30 on Sunday 2026-11-29 in UTC, already 07:30 on Monday 2026-11-30 in Shanghai.
const NOW = new Date("2026-11-29T23:30:00Z");
const HOUR = 3_600_000;
const ME = "U0ME";
let db: TestDatabase;
let deps: ServiceDeps;
let accountId: string;

const ago = (hours: number) => new Date(NOW.getTime() - hours * HOUR);

beforeAll(async () => {
  db = await createTestDatabase();
  deps = testDeps(db, () => NOW);
  accountId = (
    await db.prisma.account.create({ data: { externalId: "A-1", name: "Acme", ownerSlackId: ME } })
  ).id;
  const complaint = (description: string, severity: "high" | "low", createdAt: Date, status = "open") =>
    db.prisma.complaint.create({
      data: {
        accountId,
        category: "other",
        severity,
        description,
        ownerSlackId: ME,
        createdBy: ME,
        createdAt,
        status: status as "open",
      },
    });
  // High (3 days): exactly 4 days old is 1 day overdue; a minute less is not yet.
  await complaint("just overdue", "high", ago(96));
  await complaint("not quite", "high", new Date(ago(96).getTime() + 60_000));
  // Low (14 days): 20 days old, 6 days overdue.
  await complaint("long overdue", "low", ago(20 * 24));
  // Resolved: waits for the customer, never overdue, listed after the rest.
  await complaint("resolved old", "high", ago(40 * 24), "resolved");
  // Raised 60 days ago, reopened 2 days ago (and once before): the clock counts from the last reopening.
  const reopened = await complaint("reopened", "high", ago(60 * 24), "reopened");
  await db.prisma.complaintEvent.createMany({
    data: [
      { complaintId: reopened.id, toStatus: "open", actorSlackId: ME, at: ago(60 * 24) },
      {
        complaintId: reopened.id,
        fromStatus: "resolved",
        toStatus: "reopened",
        actorSlackId: ME,
        at: ago(30 * 24),
      },
      {
        complaintId: reopened.id,
        fromStatus: "confirmed",
        toStatus: "reopened",
        actorSlackId: ME,
        at: ago(48),
      },
    ],
  });
  await db.prisma.followUp.createMany({
    data: [
      {
        accountId,
        description: "due Sunday",
        dueOn: new Date("2026-11-29"),
        ownerSlackId: ME,
        createdBy: ME,
      },
      {
        accountId,
        description: "due Monday",
        dueOn: new Date("2026-11-30"),
        ownerSlackId: ME,
        createdBy: ME,
      },
      {
        accountId,
        description: "due next Sunday",
        dueOn: new Date("2026-12-06"),
        ownerSlackId: ME,
        createdBy: ME,
      },
    ],
  });
});

afterAll(async () => {
  await db?.drop();
});

describe("getHome", () => {
  it("orders open complaints by urgency and counts overdue ones as complaintAge does", async () => {
    const home = await getHome(deps, { userId: ME });
    const items = home.complaints.items;
    expect(items.map((c) => c.description)).toEqual([
      "long overdue",
      "just overdue",
      "not quite",
      "reopened",
      "resolved old",
    ]);
    const overdue = Object.fromEntries(items.map((c) => [c.description, c.age.overdueDays]));
    expect(overdue).toEqual({
      "long overdue": 6,
      "just overdue": 1,
      "not quite": 0,
      reopened: 0,
      "resolved old": 0,
    });
    expect(home.complaints.overdue).toBe(items.filter((c) => c.age.overdueDays > 0).length);
    const reopened = items.find((c) => c.description === "reopened");
    expect(reopened?.reopened).toBe(true);
    expect(reopened?.age.ageDays).toBe(2);
    expect(items.find((c) => c.description === "long overdue")?.reopened).toBe(false);
  });

  it("takes this week from the configured time zone", async () => {
    const utc = await getHome(deps, { userId: ME });
    expect(utc.today).toBe("2026-11-29");
    expect(utc.weekEndsOn).toBe("2026-11-29");
    expect(utc.followUps.items.map((f) => [f.description, f.daysLate])).toEqual([["due Sunday", 0]]);
    expect(utc.followUps.overdue).toBe(0);

    const shanghai = await getHome({ ...deps, timeZone: "Asia/Shanghai" }, { userId: ME });
    expect(shanghai.today).toBe("2026-11-30");
    expect(shanghai.weekEndsOn).toBe("2026-12-06");
    expect(shanghai.followUps.items.map((f) => [f.description, f.daysLate])).toEqual([
      ["due Sunday", 1],
      ["due Monday", 0],
      ["due next Sunday", -6],
    ]);
    expect(shanghai.followUps.overdue).toBe(1);
  });

  it("gives a user with nothing empty sections", async () => {
    const home = await getHome(deps, { userId: "U0NOBODY", pages: { accounts: 3 } });
    expect(home.accounts).toEqual({ items: [], page: 0, pageSize: 20, total: 0 });
    expect(home.complaints.total).toBe(0);
    expect(home.followUps.total).toBe(0);
    expect(home.signs.total).toBe(0);
  });
});
