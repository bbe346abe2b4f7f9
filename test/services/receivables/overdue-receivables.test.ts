// Overdue receivables as of a day against a real database: as-of semantics, currencies, account filter.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../../src/errors.ts";
import { overdueReceivables } from "../../../src/services/receivables/overdue-receivables.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";

const ACME = "00000000-0000-4000-8000-00000000000a";
const XINHUA = "00000000-0000-4000-8000-00000000000b";
const PAID_UP = "00000000-0000-4000-8000-00000000000c";

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(
    `INSERT INTO account (id, external_id, name) VALUES ($1, 'ACME', 'Acme'), ($2, 'BJ-01', 'Xinhua'), ($3, 'PU', 'Paid Up')`,
    [ACME, XINHUA, PAID_UP],
  );
  await db.pool.query(
    `INSERT INTO receivable (id, account_id, external_id, issued_on, due_on, amount, currency, paid_on)
     SELECT gen_random_uuid(), v.account_id::uuid, v.id, v.issued_on::date, v.due_on::date, v.amount::bigint, v.currency, v.paid_on::date
     FROM (VALUES
       ($1, 'INV-1', '2024-03-01', '2024-03-31', '10000', 'EUR', NULL),
       -- Paid after 2024-04-15: still unpaid as of that day.
       ($1, 'INV-2', NULL, '2024-04-10', '5000', 'EUR', '2024-04-20'),
       ($1, 'INV-3', NULL, '2024-04-01', '3000', 'USD', NULL),
       -- Not yet due on 2024-04-15.
       ($1, 'INV-4', '2024-04-01', '2024-04-30', '7000', 'EUR', NULL),
       -- Paid on 2024-04-15 itself: paid as of that day.
       ($1, 'INV-5', NULL, '2024-03-01', '1000', 'EUR', '2024-04-15'),
       ($2, 'INV-6', NULL, '2024-04-14', '100000', 'CNY', NULL),
       -- Due on the day asked about: not overdue yet.
       ($2, 'INV-7', NULL, '2024-04-15', '20000', 'CNY', NULL),
       ($3, 'INV-8', NULL, '2024-03-31', '9999', 'EUR', '2024-03-02')
     ) AS v(account_id, id, issued_on, due_on, amount, currency, paid_on)`,
    [ACME, XINHUA, PAID_UP],
  );
});
afterAll(async () => {
  await db?.drop();
});

describe("overdueReceivables", () => {
  it("sums invoices unpaid as of the day and due before it, one row per account and currency", async () => {
    expect(await overdueReceivables(db, { asOf: "2024-04-15" })).toEqual([
      { accountId: ACME, currency: "EUR", amount: 15000n, invoices: 2, maxDaysOverdue: 15 },
      { accountId: ACME, currency: "USD", amount: 3000n, invoices: 1, maxDaysOverdue: 14 },
      { accountId: XINHUA, currency: "CNY", amount: 100000n, invoices: 1, maxDaysOverdue: 1 },
    ]);
  });

  it("counts a payment only from its day on: later data does not change an earlier answer", async () => {
    expect(await overdueReceivables(db, { asOf: "2024-04-25" })).toEqual([
      // INV-2 was paid on 2024-04-20; INV-4 is not due until 2024-04-30.
      { accountId: ACME, currency: "EUR", amount: 10000n, invoices: 1, maxDaysOverdue: 25 },
      { accountId: ACME, currency: "USD", amount: 3000n, invoices: 1, maxDaysOverdue: 24 },
      { accountId: XINHUA, currency: "CNY", amount: 120000n, invoices: 2, maxDaysOverdue: 11 },
    ]);
    // INV-5 (due 2024-03-01) was paid on 2024-04-15: overdue the day before, not on the day.
    const dayBefore = await overdueReceivables(db, { asOf: "2024-04-14", accountIds: [ACME] });
    expect(dayBefore.find((row) => row.currency === "EUR")).toEqual({
      accountId: ACME,
      currency: "EUR",
      amount: 16000n,
      invoices: 3,
      maxDaysOverdue: 44,
    });
    expect(await overdueReceivables(db, { asOf: "2024-03-01" })).toEqual([]);
  });

  it("takes an instant as its calendar day in the given zone", async () => {
    // 20:00 UTC on the 14th is already the 15th in Shanghai.
    const instant = new Date("2024-04-14T20:00:00Z");
    expect(await overdueReceivables(db, { asOf: instant, timeZone: "Asia/Shanghai" })).toEqual(
      await overdueReceivables(db, { asOf: "2024-04-15" }),
    );
    expect(await overdueReceivables(db, { asOf: instant })).toEqual(
      await overdueReceivables(db, { asOf: "2024-04-14" }),
    );
  });

  it("limits the answer to the accounts asked for", async () => {
    expect(await overdueReceivables(db, { asOf: "2024-04-15", accountIds: [XINHUA, PAID_UP] })).toEqual([
      { accountId: XINHUA, currency: "CNY", amount: 100000n, invoices: 1, maxDaysOverdue: 1 },
    ]);
    expect(await overdueReceivables(db, { asOf: "2024-04-15", accountIds: [] })).toEqual([]);
  });

  it("refuses days and account ids that are not ones", async () => {
    await expect(overdueReceivables(db, { asOf: "2024-02-30" })).rejects.toThrow(
      new AppError("bad_request", '"2024-02-30" is not a calendar day. Use YYYY-MM-DD.'),
    );
    await expect(overdueReceivables(db, { asOf: "15.04.2024" })).rejects.toBeInstanceOf(AppError);
    await expect(overdueReceivables(db, { asOf: new Date(Number.NaN) })).rejects.toBeInstanceOf(AppError);
    await expect(overdueReceivables(db, { asOf: "2024-04-15", accountIds: ["ACME"] })).rejects.toThrow(
      '"ACME" is not an account id.',
    );
  });
});

describe("receivable table", () => {
  const valid = { issuedOn: "2024-03-01", dueOn: "2024-03-31", amount: "100", paidOn: null as string | null };
  it.each([
    ["an amount of 0", { ...valid, amount: "0" }, "receivable_amount_positive"],
    ["a due day before the issue day", { ...valid, dueOn: "2024-02-28" }, "receivable_due_after_issue"],
    ["a payment before the issue day", { ...valid, paidOn: "2024-02-15" }, "receivable_paid_after_issue"],
  ])("refuses %s, whoever writes it", async (_, invoice, constraint) => {
    await expect(
      db.pool.query(
        `INSERT INTO receivable (id, account_id, external_id, issued_on, due_on, amount, currency, paid_on)
         VALUES (gen_random_uuid(), $1, 'INV-BAD', $2, $3, $4, 'EUR', $5)`,
        [ACME, invoice.issuedOn, invoice.dueOn, invoice.amount, invoice.paidOn],
      ),
    ).rejects.toMatchObject({ constraint });
  });
});
