// One account's open invoices as of a day: which count as open, the order, the limit and the total.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { receivablesForAccount } from "../../../src/services/receivables/receivables-for-account.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";

const ACME = "00000000-0000-4000-8000-00000000000a";
const OTHER = "00000000-0000-4000-8000-00000000000b";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(
    `INSERT INTO account (id, external_id, name) VALUES ($1, 'ACME', 'Acme'), ($2, 'OTHER', 'Other')`,
    [ACME, OTHER],
  );
  await db.pool.query(
    `INSERT INTO receivable (id, account_id, external_id, issued_on, due_on, amount, currency, paid_on)
     SELECT gen_random_uuid(), v.account_id::uuid, v.id, v.issued_on::date, v.due_on::date, v.amount::bigint, v.currency, v.paid_on::date
     FROM (VALUES
       ($1, 'INV-1', '2024-03-01', '2024-03-31', '10000', 'EUR', NULL),
       ($1, 'INV-2', NULL, '2024-04-10', '5000', 'EUR', '2024-04-20'),
       ($1, 'INV-3', NULL, '2024-04-01', '3000', 'USD', NULL),
       ($1, 'INV-4', '2024-04-01', '2024-04-30', '7000', 'EUR', NULL),
       ($1, 'INV-5', NULL, '2024-03-01', '1000', 'EUR', '2024-04-15'),
       ($1, 'INV-9', '2024-04-20', '2024-05-20', '4000', 'EUR', NULL),
       ($2, 'INV-6', NULL, '2024-04-14', '100000', 'CNY', '2024-04-14')
     ) AS v(account_id, id, issued_on, due_on, amount, currency, paid_on)`,
    [ACME, OTHER],
  );
});
afterAll(async () => {
  await db?.drop();
});

describe("receivablesForAccount", () => {
  it("lists invoices open at the end of the day, due or not yet, newest due first", async () => {
    expect(await receivablesForAccount(db, { accountId: ACME, asOf: "2024-04-15" })).toEqual({
      // INV-5 was paid that day; INV-9 was issued only on 2024-04-20.
      invoices: [
        {
          invoiceExternalId: "INV-4",
          issuedOn: "2024-04-01",
          dueOn: "2024-04-30",
          amount: 7000n,
          currency: "EUR",
          daysOverdue: 0,
        },
        // Paid on 2024-04-20: still open as of the 15th.
        {
          invoiceExternalId: "INV-2",
          issuedOn: null,
          dueOn: "2024-04-10",
          amount: 5000n,
          currency: "EUR",
          daysOverdue: 5,
        },
        {
          invoiceExternalId: "INV-3",
          issuedOn: null,
          dueOn: "2024-04-01",
          amount: 3000n,
          currency: "USD",
          daysOverdue: 14,
        },
        {
          invoiceExternalId: "INV-1",
          issuedOn: "2024-03-01",
          dueOn: "2024-03-31",
          amount: 10000n,
          currency: "EUR",
          daysOverdue: 15,
        },
      ],
      total: 4,
    });
  });

  it("returns at most `limit` invoices and the total open", async () => {
    const page = await receivablesForAccount(db, { accountId: ACME, asOf: "2024-04-25", limit: 2 });
    expect(page.invoices.map((invoice) => invoice.invoiceExternalId)).toEqual(["INV-9", "INV-4"]);
    expect(page.total).toBe(4);
  });

  it("is empty for an account with nothing open", async () => {
    expect(await receivablesForAccount(db, { accountId: OTHER, asOf: "2024-04-14" })).toEqual({
      invoices: [],
      total: 0,
    });
    // Without an issue day an invoice counts as issued: open before it was paid.
    expect(await receivablesForAccount(db, { accountId: OTHER, asOf: "2024-04-01" })).toMatchObject({
      invoices: [{ invoiceExternalId: "INV-6", daysOverdue: 0 }],
      total: 1,
    });
    expect(
      await receivablesForAccount(db, {
        accountId: "00000000-0000-4000-8000-0000000000ff",
        asOf: "2024-04-15",
      }),
    ).toEqual({ invoices: [], total: 0 });
  });
});
