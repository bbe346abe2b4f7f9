// One account's open invoices as of a day, newest due first, for its card.
import type pg from "pg";
import { type AsOf, asOfDay, checkAccountIds } from "./as-of-day.ts";

export type ReceivablesForAccountInput = AsOf & {
  accountId: string;
  /** At most this many invoices (1–100); default 10. */
  limit?: number;
};

export type OpenInvoice = {
  invoiceExternalId: string;
  issuedOn: string | null;
  dueOn: string;
  /** Minor units of `currency`. */
  amount: bigint;
  currency: string;
  /** Days past the due day as of `asOf`; 0 while not yet overdue. */
  daysOverdue: number;
};

export type AccountReceivables = {
  invoices: OpenInvoice[];
  /** How many invoices are open in all, however many were returned. */
  total: number;
};

/**
 * Invoices of the account open at the end of day `asOf`: issued by then (or with no issue day),
 * and not paid by then. Overdue ones and those not yet due alike, by due day, newest first.
 */
export async function receivablesForAccount(
  deps: { pool: pg.Pool },
  input: ReceivablesForAccountInput,
): Promise<AccountReceivables> {
  const day = asOfDay(input);
  checkAccountIds([input.accountId]);
  const limit = Math.min(100, Math.max(1, Math.floor(input.limit ?? 10)));
  const result = await deps.pool.query<{
    external_id: string;
    issued_on: string | null;
    due_on: string;
    amount: string;
    currency: string;
    days_overdue: number;
    total: number;
  }>(
    `SELECT external_id, to_char(issued_on, 'YYYY-MM-DD') AS issued_on, to_char(due_on, 'YYYY-MM-DD') AS due_on,
            amount::text AS amount, currency, greatest($2::date - due_on, 0) AS days_overdue,
            count(*) OVER ()::integer AS total
     FROM receivable
     WHERE account_id = $1::uuid
       AND (paid_on IS NULL OR paid_on > $2::date)
       AND (issued_on IS NULL OR issued_on <= $2::date)
     ORDER BY due_on DESC, external_id
     LIMIT $3`,
    [input.accountId, day, limit],
  );
  return {
    invoices: result.rows.map((row) => ({
      invoiceExternalId: row.external_id,
      issuedOn: row.issued_on,
      dueOn: row.due_on,
      amount: BigInt(row.amount),
      currency: row.currency,
      daysOverdue: row.days_overdue,
    })),
    total: result.rows[0]?.total ?? 0,
  };
}
