// Importing invoices (`payments`) into a real database: rows, errors, re-imports, payments arriving later, dry runs.
import { beforeEach, describe, expect, it } from "vitest";
import { type ImportCsvOptions, importCsv } from "../../../src/services/import/import-csv.ts";
import { fixture, freshDatabaseEachTest } from "./import-database.ts";

const imports = freshDatabaseEachTest();
beforeEach(async () => {
  const accounts = await imports.importFixture("accounts", "accounts.csv");
  expect(accounts.errors).toEqual([]);
});

function importPayments(name: string, options: Partial<ImportCsvOptions> = {}) {
  return importCsv({ db: imports.db, kind: "payments", file: fixture(name), ...options });
}

async function stored() {
  const result = await imports.db.pool.query(
    `SELECT r.external_id, a.external_id AS account, r.issued_on::text, r.due_on::text, r.amount, r.currency,
            r.paid_on::text
     FROM receivable r JOIN account a ON a.id = r.account_id ORDER BY r.external_id`,
  );
  return result.rows;
}

/** external_id -> updated_at (ms) of every receivable. */
async function updatedAt(): Promise<Record<string, number>> {
  const result = await imports.db.pool.query<{ external_id: string; updated_at: Date }>(
    "SELECT external_id, updated_at FROM receivable ORDER BY external_id",
  );
  return Object.fromEntries(result.rows.map((row) => [row.external_id, row.updated_at.getTime()]));
}

const imported = [
  {
    external_id: "INV-1",
    account: "ACME",
    issued_on: "2024-03-01",
    due_on: "2024-03-31",
    amount: 123450n,
    currency: "EUR",
    paid_on: null,
  },
  {
    external_id: "INV-2",
    account: "ACME",
    issued_on: "2024-03-15",
    due_on: "2024-04-14",
    amount: 9999n,
    currency: "CHF",
    paid_on: "2024-04-10",
  },
  {
    external_id: "INV-3",
    account: "BJ-01",
    issued_on: null,
    due_on: "2024-04-30",
    amount: 125000n,
    currency: "CNY",
    paid_on: null,
  },
  {
    external_id: "INV-4",
    account: "KR-03",
    issued_on: "2024-04-01",
    due_on: "2024-05-01",
    amount: 150000n,
    currency: "KRW",
    paid_on: null,
  },
];

describe("importCsv payments", () => {
  it("imports invoices with exact minor units, the default currency and calendar days", async () => {
    const report = await importPayments("payments.csv", { defaultCurrency: "CHF", timeZone: "Asia/Tokyo" });
    expect(report).toMatchObject({
      kind: "payments",
      rows: 4,
      valid: 4,
      invalid: 0,
      inserted: 4,
      updated: 0,
      unchanged: 0,
      rejected: false,
      written: true,
      errors: [],
    });
    // Dates are days, not instants: the time zone moves none of them.
    expect(await stored()).toEqual(imported);
  });

  it("is idempotent on the invoice id: a second import changes nothing, updated_at included", async () => {
    await importPayments("payments.csv", { defaultCurrency: "CHF" });
    const before = await updatedAt();
    const again = await importPayments("payments.csv", { defaultCurrency: "CHF" });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 4, written: true });
    expect(await updatedAt()).toEqual(before);
    expect(await stored()).toEqual(imported);
  });

  it("updates an invoice that got paid, and only that one", async () => {
    await importPayments("payments.csv", { defaultCurrency: "CHF" });
    const before = await updatedAt();
    const report = await importPayments("payments-paid.csv", { defaultCurrency: "CHF" });
    expect(report).toMatchObject({ rows: 4, inserted: 0, updated: 1, unchanged: 3 });
    const after = await updatedAt();
    expect(Object.keys(after).filter((id) => after[id] !== before[id])).toEqual(["INV-1"]);
    expect((await stored())[0]).toMatchObject({ external_id: "INV-1", paid_on: "2024-05-02" });
  });

  it("leaves stored payments alone when the file has no paid_on column", async () => {
    await importPayments("payments.csv", { defaultCurrency: "CHF" });
    const report = await importPayments("payments-open.csv", { defaultCurrency: "CHF" });
    // INV-2 is unchanged (its payment stays); INV-5 is new.
    expect(report).toMatchObject({ rows: 2, inserted: 1, updated: 0, unchanged: 1 });
    const rows = await stored();
    expect(rows.find((row) => row.external_id === "INV-2")).toMatchObject({
      paid_on: "2024-04-10",
      issued_on: "2024-03-15",
    });
    expect(rows.find((row) => row.external_id === "INV-5")).toMatchObject({
      issued_on: null,
      paid_on: null,
      amount: 1000n,
      currency: "CHF",
    });
  });

  it("checks paid_on against the stored issued_on when the file has no issued_on", async () => {
    await importPayments("payments.csv");
    const report = await importPayments("payments-paid-early.csv", { skipInvalid: true });
    expect(report.errors.map((error) => error.text)).toEqual([
      'test/fixtures/import/payments-paid-early.csv:2: paid_on: 2024-02-15 is before issued_on (2024-03-01), as stored for invoice "INV-1".',
    ]);
    expect(report).toMatchObject({ rows: 2, valid: 1, invalid: 1, inserted: 0, updated: 1, written: true });
    const rows = await stored();
    expect(rows.find((row) => row.external_id === "INV-1")).toMatchObject({ paid_on: null });
    expect(rows.find((row) => row.external_id === "INV-3")).toMatchObject({ paid_on: "2024-05-03" });
  });

  it("reports bad dates, payments before issue, unknown accounts, amounts not above 0 and duplicates; writes nothing", async () => {
    const report = await importPayments("payments-invalid.csv");
    const file = "test/fixtures/import/payments-invalid.csv";
    expect(report.errors.map((error) => error.text)).toEqual([
      `${file}:3: due_on: "2024-02-30" is not a date. Use YYYY-MM-DD, e.g. 2024-05-31.`,
      `${file}:4: paid_on: 2024-03-09 is before issued_on (2024-03-10).`,
      `${file}:5: account_external_id: No account with external_id "NOPE". Import accounts first.`,
      `${file}:6: amount: "-100.00" is not more than 0; an invoice amount must be positive.`,
      `${file}:7: amount: "0" is not more than 0; an invoice amount must be positive.`,
      `${file}:8: due_on: 2024-02-28 is before issued_on (2024-03-01).`,
      `${file}:9: invoice_external_id: Duplicate id "INV-1": line 2 has it already.`,
    ]);
    expect(report).toMatchObject({
      rows: 9,
      valid: 2,
      invalid: 7,
      inserted: 0,
      rejected: true,
      written: false,
    });
    expect(await stored()).toEqual([]);
  });

  it("with skipInvalid writes the valid invoices only", async () => {
    const report = await importPayments("payments-invalid.csv", { skipInvalid: true });
    expect(report).toMatchObject({ valid: 2, invalid: 7, inserted: 2, rejected: false, written: true });
    expect((await stored()).map((row) => `${row.external_id} ${row.amount}`)).toEqual([
      "INV-1 10000",
      "INV-8 10000",
    ]);
  });

  it("dry run counts what would change, payments included, and writes nothing", async () => {
    const first = await importPayments("payments.csv", { dryRun: true });
    expect(first).toMatchObject({ dryRun: true, written: false, inserted: 4, updated: 0 });
    expect(await stored()).toEqual([]);

    await importPayments("payments.csv", { defaultCurrency: "CHF" });
    const before = await updatedAt();
    const second = await importPayments("payments-paid.csv", { defaultCurrency: "CHF", dryRun: true });
    expect(second).toMatchObject({ written: false, inserted: 0, updated: 1, unchanged: 3 });
    expect(await updatedAt()).toEqual(before);
    expect((await stored())[0]).toMatchObject({ external_id: "INV-1", paid_on: null });
  });

  it("names the payments columns for a file without a header", async () => {
    const report = await importPayments("empty.csv");
    expect(report.errors.map((error) => error.message)).toEqual([
      "The file is empty. It needs a header line with the columns: account_external_id, invoice_external_id, due_on, amount, issued_on, paid_on, currency.",
    ]);
  });
});
