// Task 4 against a real database: the form's prefill from unpaid invoices, checks, exact bigint amounts
// in the case's currency (JPY has no decimals), the totals line, closed cases.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emptyLossInputs, type LossInputs } from "../../../src/domain/exit-losses.ts";
import { AppError } from "../../../src/errors.ts";
import type { ServiceDeps } from "../../../src/services/deps.ts";
import { closeCase } from "../../../src/services/exit/close-case.ts";
import { getExitCase } from "../../../src/services/exit/get-exit-case.ts";
import { getLossesForm, saveLosses } from "../../../src/services/exit/losses.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { testDeps } from "../../support/deps.ts";
import { startCase } from "../../support/exit-cases.ts";

const NOW = new Date("2026-11-23T12:00:00Z");
let db: TestDatabase;
let deps: ServiceDeps;
let invoices = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  deps = testDeps(db, () => NOW);
});

afterAll(async () => {
  await db?.drop();
});

async function leavingAccount(name: string, unpaid: [amount: bigint, currency: string, paid?: boolean][]) {
  const account = await db.prisma.account.create({ data: { externalId: name, name } });
  for (const [amount, currency, paid] of unpaid) {
    invoices += 1;
    await db.prisma.receivable.create({
      data: {
        accountId: account.id,
        externalId: `INV-${invoices}`,
        dueOn: new Date(`2026-10-${String(invoices).padStart(2, "0")}T00:00:00Z`),
        amount,
        currency,
        ...(paid ? { paidOn: new Date("2026-11-01T00:00:00Z") } : {}),
      },
    });
  }
  return { accountId: account.id, caseId: await startCase(deps, account.id) };
}

const inputs = (overrides: Partial<LossInputs> = {}): LossInputs => ({ ...emptyLossInputs, ...overrides });

describe("getLossesForm", () => {
  it("starts receivables outstanding from the unpaid invoices in the case's currency", async () => {
    const { caseId } = await leavingAccount("Prefill", [
      [120_000n, "EUR"],
      [30_050n, "EUR"],
      [99_999n, "EUR", true],
      [5_000n, "USD"],
    ]);
    // The latest invoice is in USD, so is the case; EUR invoices are named, not added.
    const form = await getLossesForm(deps, caseId);

    expect(form).toMatchObject({
      accountName: "Prefill",
      currency: "USD",
      losses: { receivablesOutstanding: 5_000n, receivablesRecovered: null, marketGapLoss: null },
      fromInvoices: { count: 1 },
      otherCurrencies: ["EUR"],
    });
  });

  it("shows what is saved once anything is, not the invoices", async () => {
    const { caseId } = await leavingAccount("Saved", [[120_000n, "EUR"]]);
    await saveLosses(deps, { caseId, inputs: inputs({ marketGapLoss: "10" }), actorSlackId: "U0REP" });

    const form = await getLossesForm(deps, caseId);

    expect(form.fromInvoices).toBeNull();
    expect(form.losses).toEqual({
      receivablesOutstanding: null,
      receivablesRecovered: null,
      compensationClaimed: null,
      compensationAgreed: null,
      goodsReturned: null,
      marketGapLoss: 1_000n,
    });
  });
});

describe("saveLosses", () => {
  it("saves exact amounts beyond 2^53 minor units and announces the totals; the task stays open", async () => {
    const { caseId } = await leavingAccount("Big", [[1n, "EUR"]]);

    const result = await saveLosses(deps, {
      caseId,
      inputs: inputs({
        receivablesOutstanding: "90,071,992,547,409.93",
        receivablesRecovered: "0.01",
        compensationClaimed: "500",
        compensationAgreed: "200.50",
        goodsReturned: "1,000",
        marketGapLoss: "0",
      }),
      actorSlackId: "U0REP",
    });

    expect(result).toEqual({
      ok: true,
      changed: true,
      update:
        "4. Cut the loss: unrecovered receivables €90,071,992,547,409.92, compensation agreed €200.50, goods returned €1,000.00, market-gap loss €0.00; net loss €90,071,992,548,209.42",
    });
    const saved = await getExitCase(deps, caseId);
    expect(saved.losses).toEqual({
      receivablesOutstanding: 9_007_199_254_740_993n,
      receivablesRecovered: 1n,
      compensationClaimed: 50_000n,
      compensationAgreed: 20_050n,
      goodsReturned: 100_000n,
      marketGapLoss: 0n,
    });
    expect(saved.tasks.find((task) => task.number === 4)?.status).toBe("todo");
    const events = await db.prisma.exitTaskEvent.findMany({ where: { task: { caseId, number: 4 } } });
    expect(events.map((event) => event.text)).toEqual([result.ok ? result.update : ""]);

    // The same amounts again (a double submit): nothing changes, nothing to announce.
    const again = await saveLosses(deps, {
      caseId,
      inputs: inputs({
        receivablesOutstanding: "90071992547409.93",
        receivablesRecovered: "0.01",
        compensationClaimed: "500.00",
        compensationAgreed: "200.5",
        goodsReturned: "1000",
        marketGapLoss: "0",
      }),
      actorSlackId: "U0REP",
    });
    expect(again).toMatchObject({ ok: true, changed: false });
    expect(await db.prisma.exitTaskEvent.count({ where: { task: { caseId, number: 4 } } })).toBe(1);
  });

  it("reads yen without decimals and refuses yen with them", async () => {
    const { caseId } = await leavingAccount("Yen", [[2_500_000n, "JPY"]]);
    expect((await getLossesForm(deps, caseId)).currency).toBe("JPY");

    expect(
      await saveLosses(deps, { caseId, inputs: inputs({ goodsReturned: "1500.5" }), actorSlackId: "U0REP" }),
    ).toEqual({ ok: false, errors: { goodsReturned: '"1500.5" has decimals, but JPY has no minor unit.' } });
    const saved = await saveLosses(deps, {
      caseId,
      inputs: inputs({
        receivablesOutstanding: "2,500,000",
        receivablesRecovered: "500000",
        marketGapLoss: "1200000",
      }),
      actorSlackId: "U0REP",
    });
    expect(saved).toMatchObject({
      ok: true,
      update:
        "4. Cut the loss: unrecovered receivables ¥2,000,000, compensation agreed ¥0, goods returned ¥0, market-gap loss ¥1,200,000; net loss ¥3,200,000",
    });
    expect((await getExitCase(deps, caseId)).losses.receivablesOutstanding).toBe(2_500_000n);
  });

  it("refuses negative amounts, recovered above outstanding and agreed above claimed, saving nothing", async () => {
    const { caseId } = await leavingAccount("Checks", []);

    expect(
      await saveLosses(deps, {
        caseId,
        inputs: inputs({
          receivablesOutstanding: "100",
          receivablesRecovered: "150",
          compensationAgreed: "5",
        }),
        actorSlackId: "U0REP",
      }),
    ).toEqual({
      ok: false,
      errors: {
        receivablesRecovered: "Cannot be more than the receivables outstanding.",
        compensationAgreed: "Cannot be more than the compensation claimed.",
      },
    });
    expect(
      await saveLosses(deps, { caseId, inputs: inputs({ marketGapLoss: "-1" }), actorSlackId: "U0REP" }),
    ).toEqual({ ok: false, errors: { marketGapLoss: "Cannot be negative." } });
    expect((await getExitCase(deps, caseId)).losses.receivablesOutstanding).toBeNull();
  });

  it("refuses a closed case with a clear message", async () => {
    const { caseId } = await leavingAccount("Closed", []);
    await db.prisma.$transaction((tx) =>
      closeCase(tx, { caseId, outcome: "retained", today: "2026-11-23", actorSlackId: "U0REP" }),
    );

    const refusal = await saveLosses(deps, {
      caseId,
      inputs: inputs({ marketGapLoss: "1" }),
      actorSlackId: "U0REP",
    }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(AppError);
    expect((refusal as AppError).userMessage).toMatch(
      /^Closed was retained on 2026-11-23: its exit handling is closed/,
    );
    await expect(getLossesForm(deps, caseId)).rejects.toThrow(AppError);
  });
});
