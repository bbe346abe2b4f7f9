// Logging outreach against a real database: once per submission, task 3's company-level note, closed cases.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OutreachDraft } from "../../../src/domain/exit-outreach.ts";
import { AppError } from "../../../src/errors.ts";
import type { ServiceDeps } from "../../../src/services/deps.ts";
import { closeCase } from "../../../src/services/exit/close-case.ts";
import { getExitCase } from "../../../src/services/exit/get-exit-case.ts";
import { logOutreach } from "../../../src/services/exit/log-outreach.ts";
import { changeTaskStatus } from "../../../src/services/exit/update-task.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { testDeps } from "../../support/deps.ts";
import { startCase } from "../../support/exit-cases.ts";

const NOW = new Date("2026-11-23T12:00:00Z");
let db: TestDatabase;
let deps: ServiceDeps;
let leaverId: string;
let partnerId: string;
let caseId: string;
let keys = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  deps = testDeps(db, () => NOW);
  leaverId = (await db.prisma.account.create({ data: { externalId: "L-1", name: "Leaver & Co" } })).id;
  partnerId = (await db.prisma.account.create({ data: { externalId: "P-1", name: "Partner <Ltd>" } })).id;
  caseId = await startCase(deps, leaverId);
});

afterAll(async () => {
  await db?.drop();
});

const draft = (overrides: Partial<OutreachDraft> = {}): OutreachDraft => ({
  accountId: partnerId,
  contactedBy: "U0REP",
  contactedOn: "2026-11-22",
  outcome: "They had heard; told them the truth.",
  companyCommunication: null,
  ...overrides,
});

function log(task: 2 | 3, overrides: Partial<OutreachDraft> = {}, submissionKey = `VOUT${++keys}`) {
  return logOutreach(deps, { caseId, task, draft: draft(overrides), actorSlackId: "U0ACTOR", submissionKey });
}

async function events(task: number): Promise<string[]> {
  const rows = await db.prisma.exitTaskEvent.findMany({
    where: { task: { caseId, number: task }, fromStatus: null },
    orderBy: { at: "asc" },
  });
  return rows.map((row) => row.text);
}

describe("logOutreach", () => {
  it("records outreach once per submission, with a thread line and a task event", async () => {
    const first = await log(2, {}, "VSAME");
    const again = await log(2, { outcome: "changed on replay" }, "VSAME");

    expect(first).toEqual({
      ok: true,
      created: true,
      updates: ["Outreach to Partner <Ltd> by <@U0REP> on 2026-11-22: They had heard; told them the truth."],
    });
    expect(again).toEqual({ ok: true, created: false, updates: [] });
    const rows = await db.prisma.exitOutreach.findMany({ where: { submissionKey: "VSAME" } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ taskNumber: 2, accountId: partnerId, contactedBy: "U0REP" });
    expect(await events(2)).toEqual([
      "Outreach to Partner <Ltd> by <@U0REP> on 2026-11-22: They had heard; told them the truth.",
    ]);
  });

  it("records a double submit arriving at once only once", async () => {
    const results = await Promise.all([log(3, {}, "VRACE"), log(3, {}, "VRACE")]);

    expect(results.map((result) => result.ok && result.created).sort()).toEqual([false, true]);
    expect(await db.prisma.exitOutreach.count({ where: { submissionKey: "VRACE" } })).toBe(1);
  });

  it("refuses a day in the future and the leaving customer, saving nothing", async () => {
    const before = await db.prisma.exitOutreach.count();
    expect(await log(2, { contactedOn: "2026-11-24", accountId: leaverId })).toEqual({
      ok: false,
      errors: {
        accountId: "That is the leaving customer: pick another one.",
        contactedOn: "That day is in the future.",
      },
    });
    expect(await db.prisma.exitOutreach.count()).toBe(before);
  });

  it("task 3 keeps the company-level communication on the case: alone, changed, cleared", async () => {
    const only = await log(3, { accountId: null, outcome: null, companyCommunication: "Press release sent" });
    expect(only).toEqual({
      ok: true,
      created: true,
      updates: ["Company-level communication: Press release sent"],
    });
    expect((await getExitCase(deps, caseId)).companyCommunication).toBe("Press release sent");

    // Prefilled and unchanged: only the outreach is new.
    const unchanged = await log(3, { companyCommunication: "Press release sent" });
    expect(unchanged).toMatchObject({ ok: true, updates: [expect.stringMatching(/^Outreach to Partner/)] });

    const both = await log(3, { companyCommunication: "Customer meeting on 2026-11-25" });
    expect(both).toMatchObject({
      ok: true,
      updates: [
        expect.stringMatching(/^Outreach to Partner/),
        "Company-level communication: Customer meeting on 2026-11-25",
      ],
    });

    const cleared = await log(3, { accountId: null, outcome: null, companyCommunication: "" });
    expect(cleared).toEqual({ ok: true, created: true, updates: ["Company-level communication cleared"] });
    expect((await getExitCase(deps, caseId)).companyCommunication).toBeNull();
    expect(await events(3)).toContain("Company-level communication cleared");
  });

  it("replays of a company-level note alone change nothing, even after a later note", async () => {
    const first = await log(
      3,
      { accountId: null, outcome: null, companyCommunication: "Town hall held" },
      "VNOTE",
    );
    expect(first).toMatchObject({ ok: true, created: true });
    await log(3, { accountId: null, outcome: null, companyCommunication: "Press release sent" }, "VLATER");

    const replay = await log(
      3,
      { accountId: null, outcome: null, companyCommunication: "Town hall held" },
      "VNOTE",
    );
    expect(replay).toEqual({ ok: true, created: false, updates: [] });
    expect((await getExitCase(deps, caseId)).companyCommunication).toBe("Press release sent");
  });

  it("a refused submit can be corrected and sent again from the same form", async () => {
    expect(await log(2, { contactedOn: "2026-11-24" }, "VFIX")).toMatchObject({ ok: false });
    expect(await log(2, {}, "VFIX")).toMatchObject({ ok: true, created: true });
  });

  it("is allowed whatever the task's status while the case is open", async () => {
    const task = await db.prisma.exitTask.findFirstOrThrow({ where: { caseId, number: 2 } });
    await changeTaskStatus(deps, { taskId: task.id, to: "done", actorSlackId: "U0ACTOR" });

    expect(await log(2)).toMatchObject({ ok: true, created: true });
  });

  it("refuses a closed case with a clear message", async () => {
    await db.prisma.$transaction((tx) =>
      closeCase(tx, { caseId, outcome: "lost", today: "2026-11-23", actorSlackId: "U0ACTOR" }),
    );
    const before = await db.prisma.exitOutreach.count();

    const refusal = await log(3).catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(AppError);
    expect((refusal as AppError).userMessage).toBe(
      "Leaver & Co was lost on 2026-11-23: its exit handling is closed, so nothing more is recorded on it.",
    );
    expect(await db.prisma.exitOutreach.count()).toBe(before);
  });
});
