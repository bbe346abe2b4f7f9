// Task 4, cutting the loss: the form's starting values (saved amounts, else the account's unpaid
// invoices as receivables outstanding) and saving the four items. Saving does not finish the task.
import { type ExitLosses, lossTotals } from "../../domain/exit.ts";
import {
  type LossField,
  type LossInputs,
  lossFields,
  readLosses,
  unknownLosses,
} from "../../domain/exit-losses.ts";
import { formatMoney } from "../../domain/money.ts";
import type { ServiceDeps } from "../deps.ts";
import { lockOpenCase, openCaseAccount } from "./open-case.ts";

export type LossesForm = {
  caseId: string;
  accountName: string;
  currency: string;
  /** What the form starts with: the saved amounts, or the unpaid invoices when nothing is saved. */
  losses: ExitLosses;
  /** Set when receivables outstanding come from the unpaid invoices (nothing saved yet). */
  fromInvoices: { count: number } | null;
  /** Currencies of unpaid invoices other than the case's: not included in the prefill. */
  otherCurrencies: string[];
};

const lossColumns = {
  receivablesOutstanding: true,
  receivablesRecovered: true,
  compensationClaimed: true,
  compensationAgreed: true,
  goodsReturned: true,
  marketGapLoss: true,
} as const;

export async function getLossesForm(deps: ServiceDeps, caseId: string): Promise<LossesForm> {
  const account = await openCaseAccount(deps, caseId);
  const row = await deps.prisma.exitCase.findUniqueOrThrow({
    where: { id: caseId },
    select: { currency: true, ...lossColumns },
  });
  const { currency, ...saved } = row;
  const { rows } = await deps.pool.query<{ currency: string; total: string; invoices: number }>(
    `SELECT currency, sum(amount)::text AS total, count(*)::integer AS invoices
     FROM receivable WHERE account_id = $1 AND paid_on IS NULL GROUP BY currency ORDER BY currency`,
    [account.id],
  );
  const own = rows.find((r) => r.currency === currency);
  const otherCurrencies = rows.filter((r) => r.currency !== currency).map((r) => r.currency);
  const prefill = !lossTotals(saved).recorded && own !== undefined;
  return {
    caseId,
    accountName: account.name,
    currency,
    losses: prefill ? { ...unknownLosses, receivablesOutstanding: BigInt(own.total) } : saved,
    fromInvoices: prefill ? { count: own.invoices } : null,
    otherCurrencies,
  };
}

/** The thread line: the totals after saving. */
export function lossesUpdate(losses: ExitLosses, currency: string): string {
  const totals = lossTotals(losses);
  if (!totals.recorded) return "4. Cut the loss: amounts cleared";
  const money = (amount: bigint) => formatMoney(amount, currency);
  return (
    `4. Cut the loss: unrecovered receivables ${money(totals.unrecoveredReceivables)}, ` +
    `compensation agreed ${money(totals.compensationAgreed)}, goods returned ${money(totals.goodsReturned)}, ` +
    `market-gap loss ${money(totals.marketGapLoss)}; net loss ${money(totals.netLoss)}`
  );
}

export type SaveLossesResult =
  | {
      ok: true;
      /** False when the amounts were already these (a double submit): nothing to announce. */
      changed: boolean;
      update: string;
    }
  | { ok: false; errors: Partial<Record<LossField, string>> };

/**
 * Reads the typed amounts in the case's currency, checks them (readLosses) and saves them on an open
 * case, with an event on task 4.
 */
export async function saveLosses(
  deps: ServiceDeps,
  input: { caseId: string; inputs: LossInputs; actorSlackId: string },
): Promise<SaveLossesResult> {
  return deps.prisma.$transaction(async (tx) => {
    await lockOpenCase(tx, input.caseId);
    const row = await tx.exitCase.findUniqueOrThrow({
      where: { id: input.caseId },
      select: { currency: true, ...lossColumns },
    });
    const read = readLosses(input.inputs, row.currency);
    if (!read.ok) return read;
    const { losses } = read;
    const update = lossesUpdate(losses, row.currency);
    const changed = lossFields.some((field) => row[field] !== losses[field]);
    if (!changed) return { ok: true, changed: false, update };
    await tx.exitCase.update({ where: { id: input.caseId }, data: losses });
    const task = await tx.exitTask.findUnique({
      where: { caseId_number: { caseId: input.caseId, number: 4 } },
      select: { id: true },
    });
    if (task)
      await tx.exitTaskEvent.create({
        data: { taskId: task.id, text: update, actorSlackId: input.actorSlackId },
      });
    return { ok: true, changed: true, update };
  });
}
