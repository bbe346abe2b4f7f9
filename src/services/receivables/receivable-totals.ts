// One account's open invoices as of a day, summed per currency, with the overdue part of them.
import type pg from "pg";
import type { ReceivableTotals } from "../../domain/last-conversation.ts";
import { type AsOf, asOfDay, checkAccountIds } from "./as-of-day.ts";

/**
 * Open at the end of day `asOf` means what it means on the card (receivablesForAccount): issued by
 * then (or with no issue day) and not paid by then; overdue means due before that day, as in
 * overdueReceivables. By currency, ordered by code.
 */
export async function receivableTotals(
  deps: { pool: pg.Pool },
  input: AsOf & { accountId: string },
): Promise<ReceivableTotals[]> {
  const day = asOfDay(input);
  checkAccountIds([input.accountId]);
  // Sums as text: a sum of int8 is numeric and may exceed int8; BigInt reads it exactly.
  const result = await deps.pool.query<{
    currency: string;
    outstanding: string;
    invoices: number;
    overdue: string;
    overdue_invoices: number;
    max_days_overdue: number;
  }>(
    `SELECT currency, sum(amount)::text AS outstanding, count(*)::integer AS invoices,
            coalesce(sum(amount) FILTER (WHERE due_on < $2::date), 0)::text AS overdue,
            count(*) FILTER (WHERE due_on < $2::date)::integer AS overdue_invoices,
            coalesce(max($2::date - due_on) FILTER (WHERE due_on < $2::date), 0)::integer AS max_days_overdue
     FROM receivable
     WHERE account_id = $1::uuid
       AND (paid_on IS NULL OR paid_on > $2::date)
       AND (issued_on IS NULL OR issued_on <= $2::date)
     GROUP BY currency
     ORDER BY currency`,
    [input.accountId, day],
  );
  return result.rows.map((row) => ({
    currency: row.currency,
    outstanding: BigInt(row.outstanding),
    invoices: row.invoices,
    overdue: BigInt(row.overdue),
    overdueInvoices: row.overdue_invoices,
    maxDaysOverdue: row.max_days_overdue,
  }));
}
