import { describe, expect, it } from "vitest";
import { createSilentLogger } from "../../src/logger.ts";
import { createRoles, GROUP_CACHE_MS, ROLES_OFF } from "../../src/services/roles.ts";

describe("createRoles", () => {
  const logger = createSilentLogger();

  it("counts everyone as a manager when none are configured", async () => {
    const roles = createRoles(ROLES_OFF, { logger, now: () => new Date() });
    expect(roles.configured).toBe(false);
    expect(await roles.isManager("UANYONE")).toBe(true);
    expect(await roles.managerIds()).toEqual([]);
  });

  it("knows configured ids and the group's members, and asks Slack again only after the cache time", async () => {
    let now = new Date("2026-11-23T09:00:00Z");
    const asked: string[] = [];
    let members = ["UGROUP1"];
    const roles = createRoles(
      { managerUserIds: ["UBOSS"], managerGroupId: "SMANAGERS", repsSeeMargin: false },
      {
        groupMembers: async (groupId) => {
          asked.push(groupId);
          return members;
        },
        logger,
        now: () => now,
      },
    );
    expect(await roles.isManager("UBOSS")).toBe(true);
    expect(await roles.isManager("UGROUP1")).toBe(true);
    expect(await roles.isManager("UREP")).toBe(false);
    expect(await roles.viewer("UREP")).toEqual({ userId: "UREP", manager: false });
    expect(asked).toEqual(["SMANAGERS"]);

    members = ["UGROUP2"];
    now = new Date(now.getTime() + GROUP_CACHE_MS - 1);
    expect(await roles.isManager("UGROUP2")).toBe(false);
    now = new Date(now.getTime() + 1);
    expect(await roles.isManager("UGROUP2")).toBe(true);
    expect(await roles.managerIds()).toEqual(["UBOSS", "UGROUP2"]);
    expect(asked).toEqual(["SMANAGERS", "SMANAGERS"]);
  });

  it("keeps the last members known when Slack cannot be reached", async () => {
    let now = new Date("2026-11-23T09:00:00Z");
    let fail = false;
    const roles = createRoles(
      { managerUserIds: [], managerGroupId: "SMANAGERS", repsSeeMargin: true },
      {
        groupMembers: async () => {
          if (fail) throw new Error("slack down");
          return ["UGROUP1"];
        },
        logger,
        now: () => now,
      },
    );
    expect(await roles.isManager("UGROUP1")).toBe(true);
    fail = true;
    now = new Date(now.getTime() + GROUP_CACHE_MS);
    expect(await roles.isManager("UGROUP1")).toBe(true);
    expect(roles.repsSeeMargin).toBe(true);
  });
});
