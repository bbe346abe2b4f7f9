// Overdue receivables per account and currency as of a day: one set-based query over all invoices.
import type pg from "pg";
import { type AsOf, asOfDay, checkAccountIds } from "./as-of-day.ts";

export type OverdueReceivablesInput = AsOf & {
  /** Only these accounts; all accounts when absent. */
  accountIds?: readonly string[];
};

/** One account's overdue invoices in one currency (an account owing in two currencies has two). */
export type OverdueReceivable = {
  accountId: string;
  currency: string;
  /** Sum of the overdue invoices, in minor units of `currency`. */
  amount: bigint;
  invoices: number;
  /** Days the oldest of them is past its due day (1 = due yesterday). */
  maxDaysOverdue: number;
};

/**
 * Invoices unpaid at the end of day `asOf` (never paid, or paid after it) whose due day was
 * before it, summed per account and currency, ordered by account id then currency. Later data
 * does not change the answer for a past day: a payment after `asOf` still counts as unpaid.
 */
export async function overdueReceivables(
  deps: { pool: pg.Pool },
  input: OverdueReceivablesInput,
): Promise<OverdueReceivable[]> {
  const day = asOfDay(input);
  const params: unknown[] = [day];
  let accountFilter = "";
  if (input.accountIds !== undefined) {
    if (input.accountIds.length === 0) return [];
    checkAccountIds(input.accountIds);
    params.push(input.accountIds);
    accountFilter = "AND account_id = ANY($2::uuid[])";
  }
  // No issued_on condition needed: a check constraint keeps issued_on <= due_on < asOf.
  // Sums as text: a sum of int8 is numeric and may exceed int8; BigInt reads it exactly.
  const result = await deps.pool.query<{
    account_id: string;
    currency: string;
    amount: string;
    invoices: number;
    max_days_overdue: number;
  }>(
    `SELECT account_id, currency, sum(amount)::text AS amount, count(*)::integer AS invoices,
            max($1::date - due_on)::integer AS max_days_overdue
     FROM receivable
     WHERE due_on < $1::date AND (paid_on IS NULL OR paid_on > $1::date) ${accountFilter}
     GROUP BY account_id, currency
     ORDER BY account_id, currency`,
    params,
  );
  return result.rows.map((row) => ({
    accountId: row.account_id,
    currency: row.currency,
    amount: BigInt(row.amount),
    invoices: row.invoices,
    maxDaysOverdue: row.max_days_overdue,
  }));
}
