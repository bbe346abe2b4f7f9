// logInteraction against a real database: one transaction, contacts checked, once per submission even when raced.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceDeps } from "../../../src/services/deps.ts";
import {
  type LogInteractionInput,
  logInteraction,
} from "../../../src/services/interactions/log-interaction.ts";
import { isUniqueViolation } from "../../../src/services/once.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { testDeps } from "../../support/deps.ts";

let db: TestDatabase;
let deps: ServiceDeps;
let accountId: string;
let otherAccountId: string;
let contactId: string;
let foreignContactId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  deps = testDeps(db, () => new Date("2026-11-23T12:00:00Z"));
  const account = await db.prisma.account.create({ data: { externalId: "C-1", name: "ACME" } });
  const other = await db.prisma.account.create({ data: { externalId: "C-2", name: "Other Co" } });
  accountId = account.id;
  otherAccountId = other.id;
  contactId = (await db.prisma.contact.create({ data: { accountId, name: "Paula" } })).id;
  foreignContactId = (
    await db.prisma.contact.create({ data: { accountId: otherAccountId, name: "Stranger" } })
  ).id;
});

afterAll(async () => {
  await db?.drop();
});

function input(overrides: Partial<LogInteractionInput> = {}): LogInteractionInput {
  return {
    accountId,
    submissionKey: `V${Math.random().toString(36).slice(2, 12).toUpperCase()}`,
    createdBy: "U0001",
    sourcePermalink: null,
    kind: "call",
    occurredOn: "2026-11-20",
    ourParticipants: ["U0001"],
    contactIds: [contactId],
    summary: "Talked about the spring order",
    praised: null,
    complained: null,
    loyalty: "average",
    nextStep: { description: "Send offer", dueOn: "2026-11-30", ownerSlackId: "U0002" },
    ...overrides,
  };
}

describe("logInteraction", () => {
  it("creates the interaction and its follow-up in one go", async () => {
    const result = await logInteraction(deps, input({ submissionKey: "V-ONE" }));
    expect(result).toMatchObject({ ok: true, created: true, accountName: "ACME" });
    if (!result.ok) throw new Error("not saved");
    const followUps = await db.prisma.followUp.findMany({ where: { interactionId: result.interactionId } });
    expect(followUps).toHaveLength(1);
    expect(followUps[0]?.id).toBe(result.followUpId);
  });

  it("reports PostgreSQL's unique violation as P2002 through the pg adapter", async () => {
    const data = {
      accountId,
      kind: "call" as const,
      occurredOn: new Date("2026-11-20"),
      summary: "x",
      submissionKey: "V-DUP",
      createdBy: "U1",
    };
    await db.prisma.interaction.create({ data });
    const error = await db.prisma.interaction.create({ data }).then(
      () => new Error("created twice"),
      (e: unknown) => e,
    );
    // createOnce relies on this (without a field name).
    expect(isUniqueViolation(error)).toBe(true);
    expect(isUniqueViolation(error, "submission_key")).toBe(true);
    expect(isUniqueViolation(error, "external_id")).toBe(false);
    // The adapter names the index, not the fields: matching on a field name needs the index.
    expect(
      (error as { meta?: { driverAdapterError?: { cause?: unknown } } }).meta?.driverAdapterError?.cause,
    ).toMatchObject({
      kind: "UniqueConstraintViolation",
      constraint: { index: "interaction_submission_key_key" },
    });
  });

  it("writes once when the same submission races itself", async () => {
    const same = input({ submissionKey: "V-RACE" });
    const results = await Promise.all([1, 2, 3, 4].map(() => logInteraction(deps, same)));
    expect(results.filter((r) => r.ok && r.created)).toHaveLength(1);
    expect(results.filter((r) => r.ok && !r.created)).toHaveLength(3);
    const ids = new Set(results.map((r) => (r.ok ? r.interactionId : null)));
    expect(ids.size).toBe(1);
    expect(await db.prisma.interaction.count({ where: { submissionKey: "V-RACE" } })).toBe(1);
    const [interactionId] = ids;
    expect(await db.prisma.followUp.count({ where: { interactionId: interactionId ?? "" } })).toBe(1);
    // The replay reports the follow-up that was saved the first time.
    expect(new Set(results.map((r) => (r.ok ? r.followUpId : "x"))).size).toBe(1);
  });

  it("refuses contacts of another account and saves nothing", async () => {
    const before = await db.prisma.interaction.count();
    const result = await logInteraction(deps, input({ contactIds: [contactId, foreignContactId] }));
    expect(result).toEqual({
      ok: false,
      field: "contactIds",
      message: "Some of these contacts are not with this customer any more: pick them again.",
    });
    expect(await db.prisma.interaction.count()).toBe(before);
  });

  it("refuses an account that is gone", async () => {
    const result = await logInteraction(
      deps,
      input({ accountId: "00000000-0000-4000-8000-000000000000", contactIds: [] }),
    );
    expect(result).toEqual({ ok: false, field: "account", message: "That customer no longer exists." });
  });

  it("saves without a follow-up when there is no next step", async () => {
    const result = await logInteraction(deps, input({ nextStep: null, contactIds: [] }));
    expect(result).toMatchObject({ ok: true, created: true, followUpId: null });
  });
});
