// Classification over a real database: the set-based facts, history rows only on change, designations
// re-classifying one account at once, and class-change notes posted once even after a crash.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gapCoefficientOfVariation } from "../../../src/domain/classification.ts";
import { createSilentLogger } from "../../../src/logger.ts";
import {
  classifyAllAccounts,
  reclassifyAccount,
} from "../../../src/services/classification/classify-accounts.ts";
import { getDesignationForm, saveDesignations } from "../../../src/services/classification/designations.ts";
import { postClassNotes } from "../../../src/services/classification/post-class-notes.ts";
import type { ServiceDeps } from "../../../src/services/deps.ts";
import { createRoles } from "../../../src/services/roles.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { testDeps } from "../../support/deps.ts";

let db: TestDatabase;
let deps: ServiceDeps;
const now = new Date("2026-11-23T07:00:00Z");
const until = new Date("2026-11-24T00:00:00Z");
const DAY = 86_400_000;
const ids: Record<string, string> = {};

async function account(key: string, data: Record<string, unknown> = {}) {
  ids[key] = (
    await db.prisma.account.create({ data: { externalId: key, name: `Account ${key}`, ...data } })
  ).id;
  return ids[key] as string;
}

async function orders(accountId: string, daysAgo: number[], amount: bigint, cost: bigint | null) {
  await db.prisma.order.createMany({
    data: daysAgo.map((d, n) => ({
      accountId,
      externalId: `${accountId}-${d}-${n}`,
      orderedAt: new Date(now.getTime() - d * DAY),
      quantity: 1,
      amount,
      cost,
      currency: "USD",
    })),
  });
}

const classify = () => classifyAllAccounts(deps, { asOfDay: "2026-11-23", until, scanId: null });
const classRows = (accountId: string) =>
  db.prisma.accountClass.findMany({ where: { accountId }, orderBy: { createdAt: "asc" } });

beforeAll(async () => {
  db = await createTestDatabase();
  deps = testDeps(db, () => now, {
    roles: createRoles(
      { managerUserIds: ["UMGR"], managerGroupId: undefined, repsSeeMargin: false },
      { logger: createSilentLogger(), now: () => now },
    ),
  });
  // Big: weekly orders (regular), the revenue leader. Irregular: few, very profitable orders.
  await orders(
    await account("big", { channelId: "CBIG" }),
    [7, 14, 21, 28, 35, 42, 49, 56],
    1_000_000n,
    900_000n,
  );
  await orders(await account("irregular"), [1, 3, 60, 200], 200_000n, 10_000n);
  await orders(await account("small"), [10, 20, 30], 1_000n, 800n);
  await account("empty");
  await orders(await account("old"), [400], 5_000_000n, null);
  await account("lost", { status: "lost" });
});

afterAll(async () => {
  await db?.drop();
});

describe("classifyAllAccounts", () => {
  it("classifies every current account from the trailing year, regularity as the domain measures it", async () => {
    expect(await classify()).toEqual({ accounts: 5, changed: 5 });
    const [big] = await classRows(ids.big as string);
    expect(big).toMatchObject({
      keyBasis: "revenue",
      trailingRevenue: 8_000_000n,
      currency: "USD",
      face: "white",
    });
    const [irregular] = await classRows(ids.irregular as string);
    expect(irregular?.face).toBe("red");
    const why = irregular?.why as { face: { inputs: { gapCv: number } } };
    // Order days 200, 60, 3, 1 days ago → day numbers 0, 140, 197, 199.
    expect(why.face.inputs.gapCv).toBeCloseTo(gapCoefficientOfVariation([0, 140, 197, 199]) ?? -1, 9);
    // An order 400 days ago is outside the window: no revenue, no face.
    const [old] = await classRows(ids.old as string);
    expect(old).toMatchObject({ keyBasis: null, face: null, trailingRevenue: 0n });
    expect(await classRows(ids.lost as string)).toEqual([]);
  });

  it("adds no row when nothing changed, and one when the class changes", async () => {
    expect(await classify()).toEqual({ accounts: 5, changed: 0 });
    await db.prisma.interaction.create({
      data: {
        accountId: ids.small as string,
        kind: "call",
        occurredOn: new Date("2026-11-20"),
        summary: "ok",
        loyalty: "loyal",
        createdBy: "U1",
      },
    });
    expect(await classify()).toEqual({ accounts: 5, changed: 1 });
    const rows = await classRows(ids.small as string);
    expect(rows.map((r) => r.loyalty)).toEqual([null, "loyal"]);
  });

  it("saves an account whose year holds only a refund, with no revenue, and everyone else with it", async () => {
    const refunded = await account("refunded");
    await orders(refunded, [5], -30_000n, null);
    expect(await classify()).toEqual({ accounts: 6, changed: 1 });
    expect(await classRows(refunded)).toEqual([
      expect.objectContaining({ trailingRevenue: 0n, keyBasis: null }),
    ]);
  });
});

describe("designations and notes", () => {
  /** The version a form opened now would carry. */
  const opened = async (accountId: string) =>
    (await getDesignationForm(deps, { accountId, userId: "UMGR" })).version;
  const values = {
    key: false,
    blackFace: false,
    blackFaceReason: null,
    relationshipOverride: null,
    facts: { investedInUs: false, integrated: false, trained: false },
  };

  it("refuses a rep's designation field by field and saves nothing", async () => {
    const result = await saveDesignations(deps, {
      accountId: ids.big as string,
      userId: "UREP",
      submissionKey: "V-rep",
      version: await opened(ids.big as string),
      values: {
        ...values,
        blackFace: true,
        blackFaceReason: "Brand",
        facts: { ...values.facts, trained: true },
      },
    });
    expect(result).toMatchObject({
      ok: false,
      errors: { blackFace: expect.stringContaining("Only a manager") },
    });
    expect((await db.prisma.account.findUniqueOrThrow({ where: { id: ids.big as string } })).trained).toBe(
      false,
    );
  });

  it("needs a reason for a black face", async () => {
    const result = await saveDesignations(deps, {
      accountId: ids.big as string,
      userId: "UMGR",
      submissionKey: "V-noreason",
      version: await opened(ids.big as string),
      values: { ...values, blackFace: true },
    });
    expect(result).toMatchObject({ ok: false, errors: { blackFaceReason: expect.any(String) } });
  });

  it("refuses a form opened before someone else's change, saving nothing", async () => {
    const stale = await opened(ids.small as string);
    await db.prisma.account.update({
      where: { id: ids.small as string },
      data: { keyDesignatedBy: "UOTHER" },
    });
    try {
      const result = await saveDesignations(deps, {
        accountId: ids.small as string,
        userId: "UMGR",
        submissionKey: "V-stale",
        version: stale,
        values: { ...values, facts: { ...values.facts, integrated: true } },
      });
      expect(result).toMatchObject({
        ok: false,
        errors: { facts: expect.stringContaining("changed this classification") },
      });
      const row = await db.prisma.account.findUniqueOrThrow({ where: { id: ids.small as string } });
      expect([row.keyDesignatedBy, row.integrated]).toEqual(["UOTHER", false]);
    } finally {
      await db.prisma.account.update({ where: { id: ids.small as string }, data: { keyDesignatedBy: null } });
    }
  });

  it("re-classifies at once, posts the key account's note once even after a crash, and ignores a replay", async () => {
    const version = await opened(ids.big as string);
    const submit = () =>
      saveDesignations(deps, {
        accountId: ids.big as string,
        userId: "UMGR",
        submissionKey: "V-black",
        version,
        values: { ...values, blackFace: true, blackFaceReason: "Designated supplier to the city" },
      });
    expect(await submit()).toMatchObject({ ok: true, changed: true });
    expect(await reclassifyAccount(deps, ids.big as string)).toBe(true);
    expect(await submit()).toMatchObject({ ok: true, changed: false });
    expect(await reclassifyAccount(deps, ids.big as string)).toBe(false);
    const rows = await classRows(ids.big as string);
    expect(rows.map((r) => r.face)).toEqual(["white", "black"]);

    // Slack down: nothing marked, the note stays pending.
    const failing = { chat: { postMessage: async () => Promise.reject(new Error("down")) } };
    expect(
      await postClassNotes(deps, { slack: failing as never, render: () => ({ text: "n", blocks: [] }) }),
    ).toEqual({
      posted: 0,
      failed: 1,
    });
    const posted: unknown[] = [];
    const slack = {
      chat: {
        postMessage: async (message: unknown) => {
          posted.push(message);
          return { ok: true };
        },
      },
    };
    const render = (note: {
      accountName: string;
      current: { face: string | null };
      previous: { face: string | null };
    }) => ({
      text: `${note.accountName}: ${note.previous.face} → ${note.current.face}`,
      blocks: [],
    });
    await postClassNotes(deps, { slack: slack as never, render: render as never });
    await postClassNotes(deps, { slack: slack as never, render: render as never });
    expect(posted).toEqual([{ channel: "CBIG", text: "Account big: white → black", blocks: [] }]);
    // The scan keeps the designated class: no new row.
    expect((await classify()).changed).toBe(0);
  });
});
