// Import errors against a real database: exact `FILE:LINE: column: message` lines, all-or-nothing, --skip-invalid.
import { describe, expect, it } from "vitest";
import { AppError } from "../../../src/errors.ts";
import { freshDatabaseEachTest } from "./import-database.ts";

const imports = freshDatabaseEachTest();
const { importFixture } = imports;

async function count(table: "account" | "contact" | "order"): Promise<number> {
  const result = await imports.db.pool.query<{ n: number }>(`SELECT count(*)::integer AS n FROM "${table}"`);
  return result.rows[0]?.n ?? -1;
}

const invalidOrders = [
  'test/fixtures/import/orders-invalid.csv:3: quantity: "3.5" is not a whole number.',
  'test/fixtures/import/orders-invalid.csv:4: amount: "12,50" is not an amount. Use digits with "." for decimals, e.g. 1234.50 or 1,234.50.',
  'test/fixtures/import/orders-invalid.csv:5: ordered_at: "2024-02-30" is not a date or timestamp. Use YYYY-MM-DD (start of that day in UTC) or an ISO timestamp with offset, e.g. 2024-05-31T14:30:00+02:00.',
  'test/fixtures/import/orders-invalid.csv:6: currency: "EURO" is not an ISO 4217 currency code, e.g. USD.',
  'test/fixtures/import/orders-invalid.csv:7: account_external_id: No account with external_id "NOPE". Import accounts first.',
  'test/fixtures/import/orders-invalid.csv:8: order_external_id: Duplicate id "O-1": line 2 has it already.',
  'test/fixtures/import/orders-invalid.csv:9: ordered_at: "2024-04-02T09:30:00" has no UTC offset. Add one (Z, +02:00) or give only the date (YYYY-MM-DD).',
  'test/fixtures/import/orders-invalid.csv:9: quantity: "-2" is negative; a quantity must be 0 or more.',
  'test/fixtures/import/orders-invalid.csv:9: amount: "10.001" has 3 decimals, but USD has 2.',
];

describe("importCsv errors", () => {
  it("reports bad numbers, dates, currencies, unknown accounts and duplicate ids, and writes nothing", async () => {
    await importFixture("accounts", "accounts.csv");
    const report = await importFixture("orders", "orders-invalid.csv");

    expect(report.errors.map((error) => error.text)).toEqual(invalidOrders);
    expect(report.errors[0]).toMatchObject({
      line: 3,
      column: "quantity",
      message: '"3.5" is not a whole number.',
    });
    expect(report).toMatchObject({
      rows: 9,
      valid: 2,
      invalid: 7,
      inserted: 0,
      updated: 0,
      unchanged: 0,
      rejected: true,
      written: false,
      errorsOmitted: 0,
    });
    // Two rows (lines 2 and 10) were fine, and still nothing was written.
    expect(await count("order")).toBe(0);
  });

  it("with skipInvalid writes the valid rows and reports the rest", async () => {
    await importFixture("accounts", "accounts.csv");
    const report = await importFixture("orders", "orders-invalid.csv", { skipInvalid: true });

    expect(report.errors.map((error) => error.text)).toEqual(invalidOrders);
    expect(report).toMatchObject({
      rows: 9,
      valid: 2,
      invalid: 7,
      inserted: 2,
      updated: 0,
      rejected: false,
      written: true,
    });
    const stored = await imports.db.pool.query(
      `SELECT external_id, amount FROM "order" ORDER BY external_id`,
    );
    // The first O-1 (line 2) is kept; its repeat on line 8 is the one rejected.
    expect(stored.rows).toEqual([
      { external_id: "O-1", amount: 123450n },
      { external_id: "O-8", amount: 1000n },
    ]);
  });

  it("reports an unknown account, a duplicate id and ended_on before started_on for contacts", async () => {
    await importFixture("accounts", "accounts.csv");
    const report = await importFixture("contacts", "contacts-invalid.csv");

    expect(report.errors.map((error) => error.text)).toEqual([
      "test/fixtures/import/contacts-invalid.csv:2: ended_on: 2024-01-31 is before started_on (2024-02-01).",
      'test/fixtures/import/contacts-invalid.csv:3: account_external_id: No account with external_id "GHOST". Import accounts first.',
      'test/fixtures/import/contacts-invalid.csv:4: role: "boss" is not a role. Use one of: purchasing, decision_maker, user, finance, other.',
      'test/fixtures/import/contacts-invalid.csv:5: external_id: Duplicate id "C-1": line 2 has it already.',
    ]);
    expect(report).toMatchObject({ rows: 5, valid: 1, invalid: 4, inserted: 0, written: false });
    expect(await count("contact")).toBe(0);
  });

  it("stops at a header without a required column, before reading any row", async () => {
    const report = await importFixture("orders", "orders-missing-column.csv");
    expect(report.errors.map((error) => error.text)).toEqual([
      "test/fixtures/import/orders-missing-column.csv:1: amount: Required column is missing from the header.",
    ]);
    expect(report).toMatchObject({ rows: 0, invalid: 0, rejected: true, written: false });
  });

  it("names unknown columns, and hints at lower case", async () => {
    const report = await importFixture("accounts", "accounts-unknown-column.csv", { skipInvalid: true });
    expect(report.errors.map((error) => error.text)).toEqual([
      'test/fixtures/import/accounts-unknown-column.csv:1: Name: Unknown column for accounts. Column names are lower-case: use "name".',
      "test/fixtures/import/accounts-unknown-column.csv:1: colour: Unknown column for accounts. The accounts columns are: external_id, name, owner_slack_id, channel_id, segment, region, aliases, status, retention_cost, indirect_value, long_term_value, long_term_note, bad_faith, market_disruption, linked_accounts, founded_on.",
      "test/fixtures/import/accounts-unknown-column.csv:1: name: Required column is missing from the header.",
    ]);
    // A bad header rejects the file even with skipInvalid.
    expect(report).toMatchObject({ rejected: true, written: false });
    expect(await count("account")).toBe(0);
  });

  it("counts physical lines across quoted fields with commas and CR LF / LF line breaks", async () => {
    const report = await importFixture("accounts", "accounts-multiline.csv", { skipInvalid: true });
    expect(report.errors.map((error) => error.text)).toEqual([
      'test/fixtures/import/accounts-multiline.csv:7: status: "gone" is not a status. Use one of: active, at_risk, leaving, lost, blacklisted.',
      'test/fixtures/import/accounts-multiline.csv:8: status: "broken" is not a status. Use one of: active, at_risk, leaving, lost, blacklisted.',
      "test/fixtures/import/accounts-multiline.csv:13: This row has 5 fields; the header has 4.",
    ]);
    // The ",,," line (12) is a blank spreadsheet row and not counted.
    expect(report).toMatchObject({ rows: 6, invalid: 3, inserted: 3 });
    const stored = await imports.db.pool.query(
      `SELECT external_id, name, status FROM account ORDER BY external_id`,
    );
    expect(stored.rows).toEqual([
      { external_id: "A1", name: "Alpha, Inc.", status: "active" },
      { external_id: "A2", name: "Beta\r\nsecond line, with comma\r\nthird", status: "active" },
      { external_id: "A5", name: "Epsilon", status: "active" },
    ]);
  });

  it("rejects a file whose quote never closes, on the line where that row starts", async () => {
    const report = await importFixture("orders", "orders-unclosed-quote.csv", { skipInvalid: true });
    expect(report.errors.map((error) => error.text)).toEqual([
      "test/fixtures/import/orders-unclosed-quote.csv:3: A quoted field that starts in this row is never closed.",
    ]);
    expect(report).toMatchObject({ rejected: true, written: false });
    expect(await count("order")).toBe(0);
  });

  it("rejects an empty file", async () => {
    const report = await importFixture("contacts", "empty.csv");
    expect(report.errors.map((error) => error.text)).toEqual([
      "test/fixtures/import/empty.csv:1: The file is empty. It needs a header line with the columns: external_id, account_external_id, name, role, email, phone, birthday, started_on, ended_on.",
    ]);
  });

  it("lists the first maxErrors problems in line order and counts the rest", async () => {
    const report = await importFixture("orders", "orders-invalid.csv", { maxErrors: 3 });
    // Without accounts every valid-looking row also has an unknown account (lines 2, 7, 8, 10).
    expect(report.errors.map((error) => `${error.line} ${error.column}`)).toEqual([
      "2 account_external_id",
      "3 quantity",
      "4 amount",
    ]);
    // 9 problems from the fixture's own list plus 3 unknown-account ones, 3 of them listed.
    expect(report.errorsOmitted).toBe(9);
    expect(report.invalid).toBe(9);
  });

  it("throws an AppError for a missing file or unusable options", async () => {
    await expect(importFixture("orders", "missing.csv")).rejects.toThrow(AppError);
    await expect(importFixture("orders", "orders.csv", { timeZone: "Mars/Olympus" })).rejects.toThrow(
      'Unknown time zone "Mars/Olympus".',
    );
    await expect(importFixture("orders", "orders.csv", { defaultCurrency: "EURO" })).rejects.toThrow(
      '"EURO" is not an ISO 4217 currency code.',
    );
  });
});
