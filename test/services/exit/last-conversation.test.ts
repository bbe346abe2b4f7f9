// Task 1 against a real database: the brief's facts and talking points (with a scripted assistant), and
// recording the outcome — retained ends the case and restores the account, leaving confirmed finishes
// task 1, a replayed submit changes nothing, closed cases and finished tasks refuse.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AiOutcome, AiRequest, Assistant } from "../../../src/ai/assistant.ts";
import type { ServiceDeps } from "../../../src/services/deps.ts";
import { draftTalkingPoints, getExitBriefFacts } from "../../../src/services/exit/exit-brief.ts";
import { getExitCase } from "../../../src/services/exit/get-exit-case.ts";
import { type OutcomeDraft, recordConversationOutcome } from "../../../src/services/exit/record-outcome.ts";
import type { ExitStartDraft } from "../../../src/services/exit/start-exit.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { testDeps } from "../../support/deps.ts";
import {
  aiDraft,
  HISTORY_NOW,
  seedAccountHistory,
  startLeavingCase,
} from "../../support/last-conversation-fixtures.ts";

let db: TestDatabase;
let deps: ServiceDeps;
let accounts = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  deps = testDeps(db, () => HISTORY_NOW);
});

afterAll(async () => {
  await db?.drop();
});

async function account(status: "active" | "at_risk" = "active") {
  accounts += 1;
  return db.prisma.account.create({
    data: { externalId: `A-${accounts}`, name: `Customer ${accounts}`, ownerSlackId: "U0OWNER", status },
  });
}

const openCase = (accountId: string, draft: Partial<ExitStartDraft> = {}) =>
  startLeavingCase(deps, accountId, draft);

describe("the brief's facts", () => {
  let facts: Awaited<ReturnType<typeof getExitBriefFacts>>;

  beforeAll(async () => {
    const customer = await account();
    await seedAccountHistory(db.prisma, customer.id, "F");
    const caseId = await openCase(customer.id);
    facts = await getExitBriefFacts(deps, await getExitCase(deps, caseId));
  });

  it("has the history: customer since the first order, the last 12 months against the 12 before", () => {
    expect(facts.today).toBe("2026-11-23");
    expect(facts.customerSince).toBe("2019-04-02");
    expect(facts.lastOrderDay).toBe("2026-08-10");
    expect(facts.year).toMatchObject({
      currency: "USD",
      fromDay: "2025-11-24",
      toDay: "2026-11-23",
      current: { orderCount: 2, amount: 80_000n, profit: 20_000n },
      previous: { orderCount: 4, amount: 200_000n, profit: 80_000n },
    });
    expect(facts.months).toHaveLength(12);
  });

  it("has loyalty, what they praised and complained about (newest first), the open complaint and the risk", () => {
    expect(facts.loyalty).toEqual({ reads: ["disloyal", "loyal"], direction: "worsening" });
    expect(facts.feedback).toEqual([
      {
        occurredOn: "2026-10-20",
        praised: "Friendly support",
        complained: "Prices went up by $3,000 this year",
      },
      { occurredOn: "2026-06-01", praised: "Reliable delivery", complained: null },
    ]);
    expect(facts.openComplaintCount).toBe(1);
    expect(facts.openComplaints[0]).toMatchObject({ category: "delivery", age: { ageDays: 13 } });
    expect(facts.risk).toMatchObject({ risk: 81, band: "critical", verdict: "fight_hard" });
    expect(facts.risk?.reasons.map((r) => r.code)).toEqual(["order_value_decline", "loyalty_disloyal"]);
  });

  it("sums the open receivables and the overdue part; a paid invoice is not open", () => {
    expect(facts.receivables).toEqual([
      {
        currency: "USD",
        outstanding: 125_000n,
        invoices: 2,
        overdue: 100_000n,
        overdueInvoices: 1,
        maxDaysOverdue: 40,
      },
    ]);
  });

  it("has the reason recorded when the case started", () => {
    expect(facts.reason).toEqual({
      reason: "price_too_high",
      surfaceReason: "Budget cuts",
      deepReason: null,
      competitorWon: "Globex",
      expectedEndOn: "2026-12-31",
    });
  });

  it("of an account without any record is empty, not an error", async () => {
    const bare = await account();
    const caseId = await openCase(bare.id, { reason: null, surfaceReason: null, competitorWon: null });
    const empty = await getExitBriefFacts(deps, await getExitCase(deps, caseId));
    expect(empty).toMatchObject({
      customerSince: null,
      lastOrderDay: null,
      year: null,
      months: [],
      feedback: [],
      openComplaintCount: 0,
      receivables: [],
      risk: null,
    });
  });

  describe("talking points", () => {
    /** An assistant that answers as scripted and keeps what it was asked. */
    function scripted(outcome: AiOutcome<unknown>, shareMoney = true) {
      const requests: AiRequest<unknown>[] = [];
      const assistant: Assistant = {
        shareMoney,
        async ask<T>(request: AiRequest<T>): Promise<AiOutcome<T>> {
          requests.push(request as AiRequest<unknown>);
          return outcome as AiOutcome<T>;
        },
      };
      return { deps: { ...deps, assistant }, requests };
    }

    const draft = aiDraft;

    it("without an assistant are the template's", async () => {
      const drafted = await draftTalkingPoints(deps, facts);
      expect(drafted.source).toBe("template");
      expect(drafted.aiUnavailable).toBeNull();
      expect(drafted.talkingPoints.questions.join("\n")).toContain("$1,250.00 open (2 invoices)");
    });

    it("are the AI's draft when it answers usably, asked with the facts", async () => {
      const { deps: withAi, requests } = scripted({ ok: true, value: draft });
      const drafted = await draftTalkingPoints(withAi, facts);
      expect(drafted).toEqual({ talkingPoints: draft, source: "ai", aiUnavailable: null });
      expect(requests[0]?.task).toBe("exit_brief_talking_points");
      expect(requests[0]?.input).toContain("order value $800.00 (previous $2,000.00, −60%)");
      expect(requests[0]?.input).toContain("2 open invoices totalling $1,250.00");
    });

    it("leave every money figure out of the prompt when the assistant may not share money", async () => {
      const { deps: withAi, requests } = scripted({ ok: true, value: draft }, false);
      await draftTalkingPoints(withAi, facts);
      const input = requests[0]?.input ?? "";
      expect(input).toContain("2 orders (previous 12 months: 4, −50%)");
      expect(input).toContain("complained: Prices went up by [amount] this year");
      expect(input).not.toMatch(/\$|800\.00|1,250|1,000\.00/);
    });

    it.each([
      ["a timeout", { ok: false, reason: "timeout" } as const, "timeout"],
      ["invalid output", { ok: false, reason: "invalid_output" } as const, "invalid_output"],
      ["an empty draft", { ok: true, value: { ...draft, questions: [" "] } } as const, "invalid_output"],
    ])("fall back to the template on %s, saying why", async (_, outcome, reason) => {
      const drafted = await draftTalkingPoints(scripted(outcome).deps, facts);
      expect(drafted.source).toBe("template");
      expect(drafted.aiUnavailable).toBe(reason);
      expect(drafted.talkingPoints.questions.length).toBeGreaterThan(5);
    });
  });
});

describe("recording the outcome", () => {
  let submits = 0;
  /** A modal view id: each submit has its own, a replay repeats one. */
  const key = () => `V0OUTCOME${++submits}`;
  const said = (overrides: Partial<OutcomeDraft> = {}): OutcomeDraft => ({
    outcome: "leaving_confirmed",
    customerSaid: "Your prices went up twice this year.",
    customerSuggested: "Tell us earlier about price changes.",
    surfaceReason: null,
    deepReason: null,
    ...overrides,
  });

  async function stateOf(caseId: string) {
    const row = await db.prisma.exitCase.findUniqueOrThrow({
      where: { id: caseId },
      include: {
        account: true,
        tasks: { orderBy: { number: "asc" }, include: { events: true } },
        statusChanges: { orderBy: { at: "asc" } },
      },
    });
    return row;
  }

  it("retained: the case closes as retained, task 1 is done and the account is active again", async () => {
    const customer = await account("active");
    const caseId = await openCase(customer.id);
    const result = await recordConversationOutcome(deps, {
      caseId,
      draft: said({ outcome: "retained", customerSaid: "We stay if delivery improves." }),
      actorSlackId: "U0REP",
      submissionKey: key(),
    });
    expect(result).toMatchObject({ caseId, replayed: false, closed: "retained" });
    expect(result.update).toContain("Last conversation: retained — they stay.");
    expect(result.update).toContain(`Exit handling closed: ${customer.name} is active again.`);

    const state = await stateOf(caseId);
    expect(state).toMatchObject({
      status: "retained",
      closedOn: new Date("2026-11-23"),
      conversationOutcome: "retained",
      customerSaid: "We stay if delivery improves.",
      customerSuggested: "Tell us earlier about price changes.",
      account: { status: "active" },
    });
    expect(state.tasks.map((t) => t.status)).toEqual(["done", "todo", "todo", "todo", "todo", "todo"]);
    expect(state.tasks[0]?.events).toEqual([
      expect.objectContaining({ fromStatus: "todo", toStatus: "done", actorSlackId: "U0REP" }),
    ]);
    expect(state.statusChanges.map((c) => [c.fromStatus, c.toStatus, c.actorSlackId])).toEqual([
      ["active", "leaving", "U0STARTER"],
      ["leaving", "active", "U0REP"],
    ]);
    expect(state.statusChanges[1]?.effectiveOn).toEqual(new Date("2026-11-23"));
  });

  it("retained restores an account that was at risk to at risk", async () => {
    const customer = await account("at_risk");
    const caseId = await openCase(customer.id);
    await recordConversationOutcome(deps, {
      caseId,
      draft: said({ outcome: "retained" }),
      actorSlackId: "U0REP",
      submissionKey: key(),
    });
    const state = await stateOf(caseId);
    expect(state.account.status).toBe("at_risk");
    expect(state.statusChanges.map((c) => [c.fromStatus, c.toStatus])).toEqual([
      ["at_risk", "leaving"],
      ["leaving", "at_risk"],
    ]);
  });

  it("retained ends the case as retained even when every other task was already finished", async () => {
    const customer = await account();
    const caseId = await openCase(customer.id);
    await db.prisma.exitTask.updateMany({
      where: { caseId, number: { gt: 1 } },
      data: { status: "not_needed", notNeededReason: "Handled elsewhere" },
    });
    const result = await recordConversationOutcome(deps, {
      caseId,
      draft: said({ outcome: "retained" }),
      actorSlackId: "U0REP",
      submissionKey: key(),
    });
    expect(result.closed).toBe("retained");
    const state = await stateOf(caseId);
    expect(state.status).toBe("retained");
    expect(state.account.status).toBe("active");
  });

  it("leaving confirmed: task 1 is done, the notes and the learnt reasons are stored, the rest goes on", async () => {
    const customer = await account();
    const caseId = await openCase(customer.id);
    const result = await recordConversationOutcome(deps, {
      caseId,
      draft: said({ surfaceReason: "  ", deepReason: "Our rep never called back" }),
      actorSlackId: "U0REP",
      submissionKey: key(),
    });
    expect(result).toMatchObject({ replayed: false, closed: null });
    expect(result.update).toBe(
      "Last conversation: leaving confirmed. They said: “Your prices went up twice this year.”. They suggested: “Tell us earlier about price changes.”. Deep reason: “Our rep never called back”. Task 1 is done.",
    );
    const state = await stateOf(caseId);
    expect(state).toMatchObject({
      status: "open",
      closedOn: null,
      conversationOutcome: "leaving_confirmed",
      customerSaid: "Your prices went up twice this year.",
      customerSuggested: "Tell us earlier about price changes.",
      // An empty surface reason keeps the one recorded before.
      surfaceReason: "Budget cuts",
      deepReason: "Our rep never called back",
      account: { status: "leaving" },
    });
    expect(state.tasks.map((t) => t.status)).toEqual(["done", "todo", "todo", "todo", "todo", "todo"]);
    expect(state.statusChanges).toHaveLength(1);
  });

  it("leaving confirmed as the last open task ends the case: the account is lost", async () => {
    const customer = await account();
    const caseId = await openCase(customer.id);
    await db.prisma.exitTask.updateMany({ where: { caseId, number: { gt: 1 } }, data: { status: "done" } });
    const result = await recordConversationOutcome(deps, {
      caseId,
      draft: said(),
      actorSlackId: "U0REP",
      submissionKey: key(),
    });
    expect(result.closed).toBe("lost");
    expect(result.update).toContain(`Every task is finished: ${customer.name} is lost.`);
    const state = await stateOf(caseId);
    expect(state.status).toBe("lost");
    expect(state.account.status).toBe("lost");
  });

  it("a replayed submit changes nothing the second time", async () => {
    const customer = await account();
    const caseId = await openCase(customer.id);
    const input = {
      caseId,
      draft: said({ outcome: "retained" as const }),
      actorSlackId: "U0REP",
      submissionKey: key(),
    };
    const [first, second] = [
      await recordConversationOutcome(deps, input),
      await recordConversationOutcome(deps, input),
    ];
    expect(first.replayed).toBe(false);
    expect(second).toMatchObject({ replayed: true, update: "", closed: null });
    const state = await stateOf(caseId);
    expect(state.statusChanges).toHaveLength(2);
    expect(state.tasks[0]?.events).toHaveLength(1);
  });

  it("tells a second form with the same words apart from a replay: it is refused, not taken as done", async () => {
    const customer = await account();
    const caseId = await openCase(customer.id);
    await recordConversationOutcome(deps, {
      caseId,
      draft: said(),
      actorSlackId: "U0REP",
      submissionKey: key(),
    });
    await expect(
      recordConversationOutcome(deps, {
        caseId,
        draft: said(),
        actorSlackId: "U0OTHER",
        submissionKey: key(),
      }),
    ).rejects.toMatchObject({ userMessage: expect.stringContaining("already recorded") });
    expect((await stateOf(caseId)).tasks[0]?.events).toHaveLength(1);
  });

  it("two submits at once record the outcome once", async () => {
    const customer = await account();
    const caseId = await openCase(customer.id);
    const input = { caseId, draft: said(), actorSlackId: "U0REP", submissionKey: key() };
    const results = await Promise.all([
      recordConversationOutcome(deps, input),
      recordConversationOutcome(deps, input),
    ]);
    expect(results.map((r) => r.replayed).sort()).toEqual([false, true]);
    const state = await stateOf(caseId);
    expect(state.tasks[0]?.events).toHaveLength(1);
  });

  it("refuses a different outcome once one is recorded, a closed case and a task 1 not needed", async () => {
    const customer = await account();
    const caseId = await openCase(customer.id);
    await recordConversationOutcome(deps, {
      caseId,
      draft: said(),
      actorSlackId: "U0REP",
      submissionKey: key(),
    });
    await expect(
      recordConversationOutcome(deps, {
        caseId,
        draft: said({ outcome: "retained" }),
        actorSlackId: "U0REP",
        submissionKey: key(),
      }),
    ).rejects.toMatchObject({ userMessage: expect.stringContaining("already recorded") });

    const retainedCustomer = await account();
    const retainedCase = await openCase(retainedCustomer.id);
    await recordConversationOutcome(deps, {
      caseId: retainedCase,
      draft: said({ outcome: "retained" }),
      actorSlackId: "U0REP",
      submissionKey: key(),
    });
    await expect(
      recordConversationOutcome(deps, {
        caseId: retainedCase,
        draft: said({ customerSaid: "Something else" }),
        actorSlackId: "U0REP",
        submissionKey: key(),
      }),
    ).rejects.toMatchObject({ userMessage: expect.stringContaining("is closed (retained)") });

    const skipped = await account();
    const skippedCase = await openCase(skipped.id);
    await db.prisma.exitTask.updateMany({
      where: { caseId: skippedCase, number: 1 },
      data: { status: "not_needed", notNeededReason: "They will not talk" },
    });
    await expect(
      recordConversationOutcome(deps, {
        caseId: skippedCase,
        draft: said(),
        actorSlackId: "U0REP",
        submissionKey: key(),
      }),
    ).rejects.toMatchObject({ userMessage: expect.stringContaining("reopen it") });
    expect((await stateOf(skippedCase)).conversationOutcome).toBeNull();
  });

  it("refuses an empty 'what the customer said' and an unknown case", async () => {
    const customer = await account();
    const caseId = await openCase(customer.id);
    await expect(
      recordConversationOutcome(deps, {
        caseId,
        draft: said({ customerSaid: "   " }),
        actorSlackId: "U0REP",
        submissionKey: key(),
      }),
    ).rejects.toMatchObject({ code: "bad_request" });
    await expect(
      recordConversationOutcome(deps, {
        caseId: "00000000-0000-4000-8000-000000000000",
        draft: said(),
        actorSlackId: "U0REP",
        submissionKey: key(),
      }),
    ).rejects.toMatchObject({ code: "not_found" });
  });
});
