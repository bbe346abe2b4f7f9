// recordSign against a real database: one transaction, contact history kept, once per submission even when raced.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type SignDraft, signKinds } from "../../../src/domain/signs.ts";
import { isAppError } from "../../../src/errors.ts";
import type { ServiceDeps } from "../../../src/services/deps.ts";
import { createOnce, isUniqueViolation } from "../../../src/services/once.ts";
import { type RecordSignInput, recordSign } from "../../../src/services/signs/record-sign.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { testDeps } from "../../support/deps.ts";

let db: TestDatabase;
let deps: ServiceDeps;
let accountId: string;
let otherAccountId: string;

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

beforeAll(async () => {
  db = await createTestDatabase();
  deps = testDeps(db, () => new Date("2026-11-23T12:00:00Z"));
  accountId = (await db.prisma.account.create({ data: { externalId: "C-1", name: "ACME" } })).id;
  otherAccountId = (await db.prisma.account.create({ data: { externalId: "C-2", name: "Other Co" } })).id;
});

afterAll(async () => {
  await db?.drop();
});

beforeEach(async () => {
  await db.prisma.warningSign.deleteMany();
  await db.prisma.contact.deleteMany();
});

let keys = 0;
function input(draft: Partial<SignDraft> = {}, overrides: Partial<RecordSignInput> = {}): RecordSignInput {
  keys += 1;
  return {
    accountId,
    submissionKey: `VSIGN${keys}`,
    createdBy: "U0001",
    sourcePermalink: null,
    draft: {
      kind: "payment_problem",
      observedOn: "2026-11-20",
      details: "Invoice 4711 is 60 days overdue",
      oldContact: null,
      newContactName: null,
      newContactRole: null,
      newContactEmail: null,
      newContactPhone: null,
      competitorName: null,
      competitorMoves: [],
      ...draft,
    },
    ...overrides,
  };
}

const contactChange = (oldContact: string | null): Partial<SignDraft> => ({
  kind: "contact_change",
  details: "Paula moved to another company",
  oldContact,
  newContactName: "Nina New",
  newContactRole: "purchasing",
  newContactEmail: "nina@acme.test",
  newContactPhone: "+49 30 999",
});

async function paula(extra: { accountId?: string; startedOn?: Date; endedOn?: Date } = {}) {
  return db.prisma.contact.create({
    data: { accountId, name: "Paula Purchase", role: "purchasing", email: "paula@acme.test", ...extra },
  });
}

describe("recordSign", () => {
  it("saves a sign with who, when and where from, and confirms what was saved", async () => {
    const result = await recordSign(
      deps,
      input({}, { sourcePermalink: "https://acme.slack.com/archives/C1/p1700000000000100" }),
    );
    expect(result).toMatchObject({
      ok: true,
      created: true,
      summary: {
        accountName: "ACME",
        kind: "payment_problem",
        observedOn: "2026-11-20",
        details: "Invoice 4711 is 60 days overdue",
        oldContact: null,
        newContact: null,
        competitor: null,
      },
    });
    const rows = await db.prisma.warningSign.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      accountId,
      kind: "payment_problem",
      observedOn: day("2026-11-20"),
      createdBy: "U0001",
      sourcePermalink: "https://acme.slack.com/archives/C1/p1700000000000100",
      competitorName: null,
      competitorMoves: [],
      oldContactId: null,
      newContactId: null,
    });
  });

  it.each(signKinds)("saves a %s sign as that kind", async (kind) => {
    const extra =
      kind === "contact_change"
        ? { newContactName: "Nina New", newContactRole: "user" }
        : kind === "competitor_activity"
          ? { competitorName: "Rival" }
          : {};
    const result = await recordSign(deps, input({ kind, ...extra }));
    expect(result.ok).toBe(true);
    const rows = await db.prisma.warningSign.findMany();
    expect(rows.map((r) => r.kind)).toEqual([kind]);
    expect(rows[0]?.competitorName).toBe(kind === "competitor_activity" ? "Rival" : null);
    expect(rows[0]?.newContactId !== null).toBe(kind === "contact_change");
  });

  it("stores the competitor and what they did", async () => {
    await recordSign(
      deps,
      input({
        kind: "competitor_activity",
        competitorName: "Rival GmbH",
        competitorMoves: ["hiring", "price"],
      }),
    );
    const sign = await db.prisma.warningSign.findFirstOrThrow();
    expect(sign.competitorName).toBe("Rival GmbH");
    expect(sign.competitorMoves).toEqual(["hiring", "price"]);
  });

  it("on a contact change ends the old contact on the sign's date and starts the new one: history kept", async () => {
    const old = await paula({ startedOn: day("2020-01-01") });
    const result = await recordSign(deps, input(contactChange(old.id)));
    expect(result).toMatchObject({
      ok: true,
      summary: {
        oldContact: { name: "Paula Purchase", role: "purchasing" },
        newContact: { name: "Nina New", role: "purchasing" },
      },
    });
    const contacts = await db.prisma.contact.findMany({ orderBy: { createdAt: "asc" } });
    expect(contacts).toHaveLength(2);
    const [before, after] = contacts;
    // The old row is only given an end date: same id, name, role, email and start.
    expect(before).toMatchObject({
      id: old.id,
      name: "Paula Purchase",
      role: "purchasing",
      email: "paula@acme.test",
      startedOn: day("2020-01-01"),
      endedOn: day("2026-11-20"),
    });
    expect(after).toMatchObject({
      accountId,
      name: "Nina New",
      role: "purchasing",
      email: "nina@acme.test",
      phone: "+49 30 999",
      startedOn: day("2026-11-20"),
      endedOn: null,
    });
    const sign = await db.prisma.warningSign.findFirstOrThrow();
    expect(sign).toMatchObject({ kind: "contact_change", oldContactId: old.id, newContactId: after?.id });
  });

  it("on a contact change without a known predecessor only adds the new contact", async () => {
    const result = await recordSign(deps, input(contactChange(null)));
    expect(result.ok).toBe(true);
    const contacts = await db.prisma.contact.findMany();
    expect(contacts.map((c) => c.name)).toEqual(["Nina New"]);
    const sign = await db.prisma.warningSign.findFirstOrThrow();
    expect(sign.oldContactId).toBeNull();
    expect(sign.newContactId).toBe(contacts[0]?.id);
  });

  it.each([
    ["of another customer", { accountId: "other" }, "That contact is not one of this customer's."],
    ["who already left", { endedOn: day("2026-10-01") }, "Paula Purchase already left on 2026-10-01."],
    [
      "who started after the sign's date",
      { startedOn: day("2026-11-21") },
      "Paula Purchase started on 2026-11-21, after the sign's date.",
    ],
  ] as const)("refuses an old contact %s and saves nothing", async (_case, extra, message) => {
    const old = await paula({
      ...("accountId" in extra ? { accountId: otherAccountId } : {}),
      ...("endedOn" in extra ? { endedOn: extra.endedOn } : {}),
      ...("startedOn" in extra ? { startedOn: extra.startedOn } : {}),
    });
    const result = await recordSign(deps, input(contactChange(old.id)));
    expect(result).toEqual({ ok: false, errors: { oldContact: message } });
    expect(await db.prisma.warningSign.count()).toBe(0);
    expect(await db.prisma.contact.count()).toBe(1);
    expect((await db.prisma.contact.findUniqueOrThrow({ where: { id: old.id } })).endedOn).toEqual(
      "endedOn" in extra ? extra.endedOn : null,
    );
  });

  it("saves nothing when the form is invalid", async () => {
    const result = await recordSign(deps, input({ kind: "contact_change", details: "" }));
    expect(result).toEqual({
      ok: false,
      errors: {
        details: "Say what was seen or heard.",
        newContactName: "Name the contact who took over.",
        newContactRole: "Choose the new contact's role.",
      },
    });
    expect(await db.prisma.warningSign.count()).toBe(0);
    expect(await db.prisma.contact.count()).toBe(0);
  });

  it("says the customer is gone when the account no longer exists", async () => {
    const error = await recordSign(
      deps,
      input({}, { accountId: "00000000-0000-4000-8000-000000000000" }),
    ).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe("not_found");
  });

  it("records a replayed submission once: the replay returns the first sign", async () => {
    const old = await paula();
    const first = await recordSign(deps, input(contactChange(old.id), { submissionKey: "VREPLAY" }));
    const replay = await recordSign(deps, input(contactChange(old.id), { submissionKey: "VREPLAY" }));
    expect(first).toMatchObject({ ok: true, created: true });
    expect(replay).toMatchObject({ ok: true, created: false });
    expect(replay.ok && first.ok && replay.signId).toBe(first.ok && first.signId);
    expect(await db.prisma.warningSign.count()).toBe(1);
    expect(await db.prisma.contact.count()).toBe(2);
  });

  it("records concurrent submissions of one view once (unique key, P2002 through the transaction)", async () => {
    const old = await paula();
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        recordSign(deps, input(contactChange(old.id), { submissionKey: "VRACE" })),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(results.filter((r) => r.ok && r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.ok && r.signId)).size).toBe(1);
    expect(await db.prisma.warningSign.count()).toBe(1);
    const contacts = await db.prisma.contact.findMany();
    expect(contacts.map((c) => c.name).sort()).toEqual(["Nina New", "Paula Purchase"]);
  });

  it("lets only one of two different contact changes end the same contact", async () => {
    const old = await paula();
    const [a, b] = await Promise.all([
      recordSign(deps, input(contactChange(old.id))),
      recordSign(deps, input({ ...contactChange(old.id), newContactName: "Otto Other" })),
    ]);
    const outcomes = [a, b].map((r) => (r?.ok ? "saved" : JSON.stringify(r?.errors)));
    expect(outcomes.filter((o) => o === "saved")).toHaveLength(1);
    // The loser is told either by the check before the transaction or by the guarded update inside it.
    expect(outcomes.find((o) => o !== "saved")).toMatch(
      /already left on 2026-11-20|just marked as left by someone else/,
    );
    expect(await db.prisma.warningSign.count()).toBe(1);
    expect(await db.prisma.contact.count()).toBe(2);
  });
});

describe("unique violations through the pg driver adapter", () => {
  it("are recognised as P2002, inside an interactive transaction too", async () => {
    const data = {
      accountId,
      kind: "other" as const,
      observedOn: day("2026-11-20"),
      details: "x",
      createdBy: "U1",
    };
    await db.prisma.warningSign.create({ data: { ...data, submissionKey: "VDUP" } });
    const plain = await db.prisma.warningSign
      .create({ data: { ...data, submissionKey: "VDUP" } })
      .catch((e: unknown) => e);
    const inTransaction = await db.prisma
      .$transaction((tx) => tx.warningSign.create({ data: { ...data, submissionKey: "VDUP" } }))
      .catch((e: unknown) => e);
    for (const error of [plain, inTransaction]) {
      expect(isUniqueViolation(error)).toBe(true);
      // adapter-pg names the violated index, not its fields.
      expect(error).toMatchObject({
        code: "P2002",
        meta: { driverAdapterError: { cause: { constraint: { index: "warning_sign_submission_key_key" } } } },
      });
    }
    expect(isUniqueViolation(new Error("boom"))).toBe(false);
    const again = await createOnce(
      () =>
        db.prisma.$transaction((tx) => tx.warningSign.create({ data: { ...data, submissionKey: "VDUP" } })),
      () => db.prisma.warningSign.findUnique({ where: { submissionKey: "VDUP" } }),
    );
    expect(again.created).toBe(false);
    expect(await db.prisma.warningSign.count({ where: { submissionKey: "VDUP" } })).toBe(1);
  });
});
