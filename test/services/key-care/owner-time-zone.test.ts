// Owners' time zones: read from Slack once a day and cached in SlackUser; Slack failing or giving no
// zone falls back to the cache, then to TIME_ZONE.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { localHour, slackUserInfo } from "../../../src/services/key-care/owner-time-zone.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { testDeps } from "../../support/deps.ts";

let db: TestDatabase;
const DAY = 24 * 60 * 60 * 1000;
const start = new Date("2026-11-23T00:00:00Z");

function fakeSlack(answers: (() => Promise<unknown>)[]) {
  const calls: string[] = [];
  return {
    calls,
    users: {
      info: async ({ user }: { user: string }) => {
        calls.push(user);
        const next = answers.shift();
        if (!next) throw new Error("unexpected users.info");
        return next();
      },
    },
  };
}

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});
beforeEach(async () => {
  await db.prisma.slackUser.deleteMany();
});

describe("slackUserInfo", () => {
  it("asks Slack once, then uses the cache for a day, then asks again", async () => {
    const slack = fakeSlack([
      async () => ({ ok: true, user: { tz: "Asia/Tokyo", deleted: false } }),
      async () => ({ ok: true, user: { tz: "Europe/Paris", deleted: true } }),
    ]);
    const deps = { ...testDeps(db, () => start, { timeZone: "America/New_York" }), slack: slack as never };
    expect(await slackUserInfo(deps, "U1", start)).toEqual({ timeZone: "Asia/Tokyo", deleted: false });
    expect(await slackUserInfo(deps, "U1", new Date(start.getTime() + DAY - 1))).toEqual({
      timeZone: "Asia/Tokyo",
      deleted: false,
    });
    expect(slack.calls).toEqual(["U1"]);
    expect(await slackUserInfo(deps, "U1", new Date(start.getTime() + DAY))).toEqual({
      timeZone: "Europe/Paris",
      deleted: true,
    });
    expect(slack.calls).toEqual(["U1", "U1"]);
  });

  it("falls back to the stale cache when Slack fails, and to TIME_ZONE without any zone", async () => {
    const slack = fakeSlack([
      async () => ({ ok: true, user: { tz: "Asia/Tokyo" } }),
      async () => {
        throw new Error("ratelimited");
      },
      async () => ({ ok: true, user: { tz: "Not/AZone" } }),
    ]);
    const deps = { ...testDeps(db, () => start, { timeZone: "America/New_York" }), slack: slack as never };
    await slackUserInfo(deps, "U2", start);
    expect(await slackUserInfo(deps, "U2", new Date(start.getTime() + 2 * DAY))).toEqual({
      timeZone: "Asia/Tokyo",
      deleted: false,
    });
    expect(await slackUserInfo(deps, "U3", start)).toEqual({ timeZone: "America/New_York", deleted: false });
  });
});

describe("localHour", () => {
  it.each([
    ["2026-11-24T00:00:00Z", "Asia/Tokyo", 9],
    ["2026-11-23T17:00:00Z", "America/Los_Angeles", 9],
    ["2026-07-01T16:00:00Z", "America/Los_Angeles", 9],
    ["2026-11-23T23:30:00Z", "UTC", 23],
    ["2026-11-23T00:00:00Z", "UTC", 0],
  ])("%s in %s is hour %i", (iso, zone, hour) => {
    expect(localHour(new Date(iso), zone)).toBe(hour);
  });
});
