// Streams orders account by account through a server-side cursor, so a scan never holds them all.
import type pg from "pg";
import type { OrderFact } from "../../domain/trends.ts";

const FETCH_ROWS = 20_000;

type OrderRow = {
  account_id: string;
  ordered_at: Date;
  quantity: number;
  amount: bigint;
  cost: bigint | null;
  currency: string;
};

/**
 * Yields each account's orders in [since, until] (oldest first), accounts in id order. Runs inside
 * its own transaction on `client` (cursors live in one); the caller releases the client.
 */
export async function* streamAccountOrders(
  client: pg.PoolClient,
  range: { since: Date; until: Date },
): AsyncGenerator<{ accountId: string; orders: OrderFact[] }> {
  await client.query("BEGIN READ ONLY");
  let committed = false;
  try {
    await client.query(
      `DECLARE scan_orders NO SCROLL CURSOR FOR
         SELECT account_id, ordered_at, quantity, amount, cost, currency
           FROM "order"
          WHERE ordered_at >= $1 AND ordered_at <= $2
          ORDER BY account_id, ordered_at`,
      [range.since, range.until],
    );
    let accountId: string | null = null;
    let orders: OrderFact[] = [];
    for (;;) {
      const { rows } = await client.query<OrderRow>(`FETCH ${FETCH_ROWS} FROM scan_orders`);
      for (const row of rows) {
        if (row.account_id !== accountId) {
          if (accountId !== null) yield { accountId, orders };
          accountId = row.account_id;
          orders = [];
        }
        orders.push({
          orderedAt: row.ordered_at,
          quantity: row.quantity,
          amount: row.amount,
          cost: row.cost,
          currency: row.currency.trim(),
        });
      }
      if (rows.length < FETCH_ROWS) break;
    }
    if (accountId !== null) yield { accountId, orders };
    await client.query("COMMIT");
    committed = true;
  } finally {
    // Also when the caller stops early or fails: never hand back a client inside a transaction.
    if (!committed) await client.query("ROLLBACK").catch(() => {});
  }
}
