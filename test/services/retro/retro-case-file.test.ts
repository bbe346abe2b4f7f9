// The case file's orders and profit: profit only where the retro channel may read it (§7 roles).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSilentLogger } from "../../../src/logger.ts";
import { startExit } from "../../../src/services/exit/start-exit.ts";
import { getRetroCaseFile } from "../../../src/services/retro/get-retro-case-file.ts";
import { createRoles, ROLES_OFF } from "../../../src/services/roles.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { testDeps } from "../../support/deps.ts";

const NOW = new Date("2026-11-23T12:00:00Z");
let db: TestDatabase;
let caseId = "";

beforeAll(async () => {
  db = await createTestDatabase();
  const account = await db.prisma.account.create({ data: { externalId: "RC-1", name: "Lost Co" } });
  await db.prisma.order.createMany({
    data: Array.from({ length: 6 }, (_, i) => ({
      accountId: account.id,
      externalId: `RC-O-${i}`,
      orderedAt: new Date(NOW.getTime() - (10 + i * 40) * 86_400_000),
      quantity: 1,
      amount: 100_000n,
      cost: 60_000n,
      currency: "USD",
    })),
  });
  const started = await startExit(
    testDeps(db, () => NOW),
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
      actorSlackId: "U0BOSS",
      submissionKey: "start-rc",
    },
  );
  if (!started.ok) throw new Error("the case did not start");
  caseId = started.caseId;
});

afterAll(async () => {
  await db?.drop();
});

describe("getRetroCaseFile", () => {
  const roles = (on: boolean) =>
    createRoles(on ? { ...ROLES_OFF, managerUserIds: ["U0BOSS"] } : ROLES_OFF, {
      logger: createSilentLogger(),
      now: () => NOW,
    });
  const profits = (file: Awaited<ReturnType<typeof getRetroCaseFile>>) =>
    file.timeline?.months.filter((m) => m.orderCount > 0).map((m) => m.profit) ?? [];

  it("keeps profit with roles off, and in the managers' channel", async () => {
    const off = await getRetroCaseFile(
      testDeps(db, () => NOW, { roles: roles(false) }),
      caseId,
    );
    expect(off.profitShown).toBe(true);
    expect(profits(off)).toContain(40_000n);
    const managers = await getRetroCaseFile(
      testDeps(db, () => NOW, {
        roles: roles(true),
        channels: { warnings: undefined, managers: "CMANAGERS", retro: "CMANAGERS" },
      }),
      caseId,
    );
    expect(managers.profitShown).toBe(true);
  });

  it("leaves profit out of a retro channel other than the managers' once roles are on", async () => {
    const file = await getRetroCaseFile(
      testDeps(db, () => NOW, {
        roles: roles(true),
        channels: { warnings: undefined, managers: "CMANAGERS", retro: "CRETRO" },
      }),
      caseId,
    );
    expect(file.profitShown).toBe(false);
    expect(profits(file).length).toBeGreaterThan(0);
    expect(new Set(profits(file))).toEqual(new Set([null]));
    expect(file.timeline?.trend.recentProfit).toBeNull();
  });
});
