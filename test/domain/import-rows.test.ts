// The import rules without a database: header check, one row of each kind, dates in time zones.
import { describe, expect, it } from "vitest";
import {
  cellTextProblem,
  checkHeader,
  createRowParser,
  formatImportError,
  isCurrencyCode,
  type RowCells,
  startOfDayInZone,
} from "../../src/domain/import-rows.ts";
import { isTimeZone } from "../../src/domain/trends.ts";

const options = { timeZone: "UTC", defaultCurrency: "USD" };

describe("formatImportError", () => {
  it("renders FILE:LINE: column: message, and FILE:LINE: message for whole rows", () => {
    expect(formatImportError("a.csv", { line: 3, column: "amount", message: "Bad." })).toBe(
      "a.csv:3: amount: Bad.",
    );
    expect(formatImportError("a.csv", { line: 4, column: null, message: "Bad row." })).toBe(
      "a.csv:4: Bad row.",
    );
  });
});

describe("checkHeader", () => {
  it("accepts the required columns in any order, with optional ones, trimming names", () => {
    expect(checkHeader("accounts", [" name", "status ", "external_id"], 1)).toEqual({
      ok: true,
      columns: ["name", "status", "external_id"],
    });
  });

  it.each([
    {
      header: ["account_external_id", "order_external_id", "ordered_at", "quantity"],
      errors: [{ line: 1, column: "amount", message: "Required column is missing from the header." }],
    },
    {
      header: ["external_id", "Name"],
      errors: [
        {
          line: 1,
          column: "Name",
          message: 'Unknown column for accounts. Column names are lower-case: use "name".',
        },
        { line: 1, column: "name", message: "Required column is missing from the header." },
      ],
    },
    {
      header: ["external_id", "name", "colour"],
      errors: [
        {
          line: 1,
          column: "colour",
          message:
            "Unknown column for accounts. The accounts columns are: external_id, name, owner_slack_id, channel_id, segment, region, aliases, status, retention_cost, indirect_value, long_term_value, long_term_note, bad_faith, market_disruption, linked_accounts, founded_on.",
        },
      ],
    },
    {
      header: ["external_id", "name", "name", ""],
      errors: [
        { line: 1, column: "name", message: "This column appears more than once in the header." },
        { line: 1, column: null, message: "Column 4 of the header has no name." },
      ],
    },
  ])("rejects $header", ({ header, errors }) => {
    const kind = header.includes("ordered_at") ? "orders" : "accounts";
    expect(checkHeader(kind, header, 1)).toEqual({ ok: false, errors });
  });
});

describe("account rows", () => {
  const parse = createRowParser("accounts", options);
  const row = (cells: RowCells) => parse({ external_id: "A-1", name: "Acme", ...cells });

  it("applies defaults for absent and empty optional cells", () => {
    expect(row({ status: "" })).toEqual({
      ok: true,
      row: {
        externalId: "A-1",
        name: "Acme",
        ownerSlackId: null,
        channelId: null,
        segment: null,
        region: null,
        aliases: [],
        status: "active",
        retentionCost: null,
        indirectValue: null,
        longTermValue: false,
        longTermNote: null,
        badFaith: false,
        marketDisruption: false,
        linkedAccounts: [],
        foundedOn: null,
      },
    });
  });

  it("reads the §4 values: amounts in minor units of the default currency, yes/no flags", () => {
    expect(
      row({
        retention_cost: "2,500.50",
        indirect_value: "0",
        long_term_value: "Yes",
        long_term_note: "Flagship",
        bad_faith: "1",
        market_disruption: "FALSE",
      }),
    ).toMatchObject({
      ok: true,
      row: {
        retentionCost: 250050n,
        indirectValue: 0n,
        longTermValue: true,
        longTermNote: "Flagship",
        badFaith: true,
        marketDisruption: false,
      },
    });
    for (const [cell, expected] of [
      ["true", true],
      ["no", false],
      ["0", false],
      ["", false],
    ] as const) {
      expect(row({ long_term_value: cell })).toMatchObject({ ok: true, row: { longTermValue: expected } });
    }
    const yen = createRowParser("accounts", { ...options, defaultCurrency: "jpy" });
    expect(yen({ external_id: "A-1", name: "Acme", retention_cost: "300000" })).toMatchObject({
      ok: true,
      row: { retentionCost: 300000n },
    });
  });

  it.each([
    ["At Risk", "at_risk"],
    ["at-risk", "at_risk"],
    ["LOST", "lost"],
    ["blacklisted", "blacklisted"],
  ])("reads status %j as %s", (status, expected) => {
    expect(row({ status })).toMatchObject({ ok: true, row: { status: expected } });
  });

  it("splits aliases on |, trims, drops empty and repeated ones", () => {
    expect(row({ aliases: "Acme | ACME Corp||Acme|北京" })).toMatchObject({
      ok: true,
      row: { aliases: ["Acme", "ACME Corp", "北京"] },
    });
  });

  it("splits linked_accounts on ;, trims, drops empty and repeated ids", () => {
    expect(row({ linked_accounts: " B-2 ;B-3;;B-2; " })).toMatchObject({
      ok: true,
      row: { linkedAccounts: ["B-2", "B-3"] },
    });
    expect(row({ linked_accounts: "" })).toMatchObject({ ok: true, row: { linkedAccounts: [] } });
  });

  it.each([
    [{ linked_accounts: "B-2;A-1" }, "linked_accounts", 'An account cannot be linked to itself ("A-1").'],
    [
      { linked_accounts: `B-2;${"x".repeat(256)}` },
      "linked_accounts",
      `"${"x".repeat(40)}…" is too long for an external id: at most 255 characters.`,
    ],
    [{ name: "" }, "name", "A value is required."],
    [
      { status: "gone" },
      "status",
      '"gone" is not a status. Use one of: active, at_risk, leaving, lost, blacklisted.',
    ],
    [{ owner_slack_id: "bob" }, "owner_slack_id", '"bob" is not a Slack user id (like U012AB3CD).'],
    [{ channel_id: "#sales" }, "channel_id", '"#sales" is not a Slack channel id (like C012AB3CD).'],
    [{ external_id: "x".repeat(256) }, "external_id", "Too long: 256 characters, at most 255."],
    [
      { retention_cost: "12,5" },
      "retention_cost",
      '"12,5" is not an amount. Use digits with "." for decimals, e.g. 1234.50 or 1,234.50.',
    ],
    [{ indirect_value: "1.234" }, "indirect_value", '"1.234" has 3 decimals, but USD has 2.'],
    [{ retention_cost: "-100" }, "retention_cost", '"-100" is negative; this amount must be 0 or more.'],
    [
      { long_term_value: "maybe" },
      "long_term_value",
      '"maybe" is not a yes/no value. Use true, false, yes, no, 1 or 0.',
    ],
    [{ bad_faith: "y" }, "bad_faith", '"y" is not a yes/no value. Use true, false, yes, no, 1 or 0.'],
    [
      { market_disruption: "2" },
      "market_disruption",
      '"2" is not a yes/no value. Use true, false, yes, no, 1 or 0.',
    ],
    [{ long_term_note: "x".repeat(1001) }, "long_term_note", "Too long: 1001 characters, at most 1000."],
  ])("rejects %j", (cells, column, message) => {
    expect(row(cells)).toEqual({ ok: false, issues: [{ column, message }] });
  });

  it("accepts Slack user (U…, W…) and channel (C…, G…) ids", () => {
    expect(row({ owner_slack_id: "W0ABCDEF", channel_id: "G0PRIVATE1" })).toMatchObject({ ok: true });
  });
});

describe("contact rows", () => {
  const parse = createRowParser("contacts", options);
  const row = (cells: RowCells) =>
    parse({ external_id: "C-1", account_external_id: "A-1", name: "王小明", ...cells });

  it.each([
    ["Purchasing", "purchasing"],
    ["buyer", "purchasing"],
    ["decision maker", "decision_maker"],
    ["Decision-Maker", "decision_maker"],
    ["end user", "user"],
    ["Accounting", "finance"],
    ["", "other"],
  ])("reads role %j as %s", (role, expected) => {
    expect(row({ role })).toMatchObject({ ok: true, row: { role: expected } });
  });

  it("keeps dates as calendar days and accepts ended_on on the day it started", () => {
    expect(row({ birthday: "1980-02-29", started_on: "2024-01-01", ended_on: "2024-01-01" })).toMatchObject({
      ok: true,
      row: { name: "王小明", birthday: "1980-02-29", startedOn: "2024-01-01", endedOn: "2024-01-01" },
    });
  });

  it.each([
    [
      { role: "boss" },
      "role",
      '"boss" is not a role. Use one of: purchasing, decision_maker, user, finance, other.',
    ],
    [{ birthday: "1981-02-29" }, "birthday", '"1981-02-29" is not a date. Use YYYY-MM-DD, e.g. 2024-05-31.'],
    [
      { started_on: "01.02.2024" },
      "started_on",
      '"01.02.2024" is not a date. Use YYYY-MM-DD, e.g. 2024-05-31.',
    ],
    [{ email: "anna at acme" }, "email", '"anna at acme" is not an email address.'],
    [
      { started_on: "2024-02-01", ended_on: "2024-01-31" },
      "ended_on",
      "2024-01-31 is before started_on (2024-02-01).",
    ],
  ])("rejects %j", (cells, column, message) => {
    expect(row(cells)).toEqual({ ok: false, issues: [{ column, message }] });
  });
});

describe("order rows", () => {
  const order = (cells: RowCells, parserOptions = options) =>
    createRowParser(
      "orders",
      parserOptions,
    )({
      account_external_id: "A-1",
      order_external_id: "O-1",
      ordered_at: "2024-05-31",
      quantity: "1",
      amount: "10.00",
      ...cells,
    });

  it.each([
    [{ amount: "1234.50" }, { amount: 123450n, currency: "USD" }],
    [{ amount: "1,250.00" }, { amount: 125000n }],
    // A return or credit note: negative amounts (and costs) are allowed.
    [
      { amount: "-45.10", cost: "-30" },
      { amount: -4510n, cost: -3000n },
    ],
    [
      { amount: "1500", currency: "JPY" },
      { amount: 1500n, currency: "JPY" },
    ],
    [
      { amount: "1.234", currency: "bhd" },
      { amount: 1234n, currency: "BHD" },
    ],
    [
      { amount: "12.5", cost: "" },
      { amount: 1250n, cost: null },
    ],
    [{ quantity: "0" }, { quantity: 0 }],
    [{ quantity: "1,000" }, { quantity: 1000 }],
  ])("reads %j", (cells, expected) => {
    expect(order(cells)).toMatchObject({ ok: true, row: expected });
  });

  it("uses the default currency for rows without one", () => {
    expect(order({ amount: "7" }, { timeZone: "UTC", defaultCurrency: "eur" })).toMatchObject({
      ok: true,
      row: { amount: 700n, currency: "EUR" },
    });
  });

  it.each([
    [{ quantity: "3.5" }, "quantity", '"3.5" is not a whole number.'],
    [{ quantity: "-1" }, "quantity", '"-1" is negative; a quantity must be 0 or more.'],
    [{ quantity: "2147483648" }, "quantity", '"2147483648" is too large for a quantity.'],
    [
      { amount: "12,50" },
      "amount",
      '"12,50" is not an amount. Use digits with "." for decimals, e.g. 1234.50 or 1,234.50.',
    ],
    [{ amount: "10.001" }, "amount", '"10.001" has 3 decimals, but USD has 2.'],
    [{ amount: "15.5", currency: "JPY" }, "amount", '"15.5" has decimals, but JPY has no minor unit.'],
    [{ amount: "92233720368547758.08" }, "amount", '"92233720368547758.08" is too large for an amount.'],
    [{ amount: "" }, "amount", "A value is required."],
    [{ currency: "EURO" }, "currency", '"EURO" is not an ISO 4217 currency code, e.g. USD.'],
    [{ currency: "XYZ", amount: "1.2345" }, "currency", '"XYZ" is not an ISO 4217 currency code, e.g. USD.'],
    [
      { ordered_at: "2024-02-30" },
      "ordered_at",
      '"2024-02-30" is not a date or timestamp. Use YYYY-MM-DD (start of that day in UTC) or an ISO timestamp with offset, e.g. 2024-05-31T14:30:00+02:00.',
    ],
    [
      { ordered_at: "2024-05-31T25:00:00Z" },
      "ordered_at",
      '"2024-05-31T25:00:00Z" is not a date or timestamp. Use YYYY-MM-DD (start of that day in UTC) or an ISO timestamp with offset, e.g. 2024-05-31T14:30:00+02:00.',
    ],
    [
      { ordered_at: "2024-05-31T09:30:00" },
      "ordered_at",
      '"2024-05-31T09:30:00" has no UTC offset. Add one (Z, +02:00) or give only the date (YYYY-MM-DD).',
    ],
  ])("rejects %j", (cells, column, message) => {
    expect(order(cells)).toEqual({ ok: false, issues: [{ column, message }] });
  });

  it("reports every bad cell of a row", () => {
    const result = order({ quantity: "-2", amount: "x", ordered_at: "soon" });
    expect(result.ok ? [] : result.issues.map((issue) => issue.column).sort()).toEqual([
      "amount",
      "ordered_at",
      "quantity",
    ]);
  });

  it.each([
    ["2024-05-31", "UTC", "2024-05-31T00:00:00.000Z"],
    ["2024-03-31", "Europe/Berlin", "2024-03-30T23:00:00.000Z"],
    ["2024-10-27", "Europe/Berlin", "2024-10-26T22:00:00.000Z"],
    ["2024-01-15", "Asia/Shanghai", "2024-01-14T16:00:00.000Z"],
    ["2024-05-31T14:30:00+02:00", "Europe/Berlin", "2024-05-31T12:30:00.000Z"],
    ["2024-05-31T14:30:00Z", "America/New_York", "2024-05-31T14:30:00.000Z"],
    ["2024-05-31 14:30+0530", "UTC", "2024-05-31T09:00:00.000Z"],
    // The database keeps milliseconds: finer fractions are cut, so a re-import compares equal.
    ["2024-05-31T14:30:00.123456-03:00", "UTC", "2024-05-31T17:30:00.123Z"],
  ])("reads ordered_at %s in %s as %s", (orderedAt, timeZone, expected) => {
    const result = order({ ordered_at: orderedAt }, { timeZone, defaultCurrency: "USD" });
    expect(result.ok ? result.row.orderedAt.toISOString() : result.issues).toBe(expected);
  });
});

describe("payment rows", () => {
  const payment = (cells: RowCells, parserOptions = options) =>
    createRowParser(
      "payments",
      parserOptions,
    )({
      account_external_id: "A-1",
      invoice_external_id: "INV-1",
      due_on: "2024-05-31",
      amount: "10.00",
      ...cells,
    });

  it("reads a minimal row: no issue day, unpaid, the default currency", () => {
    expect(payment({}, { timeZone: "UTC", defaultCurrency: "eur" })).toEqual({
      ok: true,
      row: {
        accountExternalId: "A-1",
        invoiceExternalId: "INV-1",
        issuedOn: null,
        dueOn: "2024-05-31",
        amount: 1000n,
        currency: "EUR",
        paidOn: null,
      },
    });
  });

  it.each([
    [{ amount: "1,234.50" }, { amount: 123450n }],
    [
      { amount: "1500", currency: "jpy" },
      { amount: 1500n, currency: "JPY" },
    ],
    [
      { issued_on: "2024-05-01", paid_on: "2024-06-15" },
      { issuedOn: "2024-05-01", paidOn: "2024-06-15" },
    ],
    // Due and paid on the day it was issued: cash on delivery.
    [
      { issued_on: "2024-05-31", paid_on: "2024-05-31" },
      { issuedOn: "2024-05-31", dueOn: "2024-05-31", paidOn: "2024-05-31" },
    ],
    // Paid early, before the due day, is normal.
    [{ paid_on: "2024-01-02" }, { paidOn: "2024-01-02" }],
    [
      { issued_on: "", paid_on: "" },
      { issuedOn: null, paidOn: null },
    ],
  ])("reads %j", (cells, expected) => {
    expect(payment(cells)).toMatchObject({ ok: true, row: expected });
  });

  it.each([
    [{ due_on: "2024-02-30" }, "due_on", '"2024-02-30" is not a date. Use YYYY-MM-DD, e.g. 2024-05-31.'],
    [{ due_on: "" }, "due_on", "A value is required."],
    // A timestamp is not a day.
    [
      { paid_on: "2024-05-31T10:00:00Z" },
      "paid_on",
      '"2024-05-31T10:00:00Z" is not a date. Use YYYY-MM-DD, e.g. 2024-05-31.',
    ],
    [
      { issued_on: "2024-05-01", paid_on: "2024-04-30" },
      "paid_on",
      "2024-04-30 is before issued_on (2024-05-01).",
    ],
    [{ issued_on: "2024-06-01" }, "due_on", "2024-05-31 is before issued_on (2024-06-01)."],
    [{ amount: "-10.00" }, "amount", '"-10.00" is not more than 0; an invoice amount must be positive.'],
    [{ amount: "0.00" }, "amount", '"0.00" is not more than 0; an invoice amount must be positive.'],
    [{ amount: "10.001" }, "amount", '"10.001" has 3 decimals, but USD has 2.'],
    [{ currency: "EURO" }, "currency", '"EURO" is not an ISO 4217 currency code, e.g. USD.'],
    [{ invoice_external_id: "" }, "invoice_external_id", "A value is required."],
  ])("rejects %j", (cells, column, message) => {
    expect(payment(cells)).toEqual({ ok: false, issues: [{ column, message }] });
  });

  it("reports both a due day and a payment before the issue day", () => {
    expect(payment({ issued_on: "2024-07-01", paid_on: "2024-06-01" })).toEqual({
      ok: false,
      issues: [
        { column: "due_on", message: "2024-05-31 is before issued_on (2024-07-01)." },
        { column: "paid_on", message: "2024-06-01 is before issued_on (2024-07-01)." },
      ],
    });
  });

  it("accepts the payments header with optional columns in any order", () => {
    expect(
      checkHeader(
        "payments",
        ["paid_on", "amount", "due_on", "invoice_external_id", "account_external_id"],
        1,
      ),
    ).toMatchObject({ ok: true });
    expect(checkHeader("payments", ["account_external_id", "invoice_external_id", "amount"], 1)).toEqual({
      ok: false,
      errors: [{ line: 1, column: "due_on", message: "Required column is missing from the header." }],
    });
  });
});

describe("startOfDayInZone", () => {
  it.each([
    ["2024-05-31", "UTC", "2024-05-31T00:00:00.000Z"],
    ["2024-05-31", "Asia/Tokyo", "2024-05-30T15:00:00.000Z"],
    ["2024-03-10", "America/Los_Angeles", "2024-03-10T08:00:00.000Z"],
    ["2024-11-03", "America/Los_Angeles", "2024-11-03T07:00:00.000Z"],
    ["2024-12-31", "Pacific/Kiritimati", "2024-12-30T10:00:00.000Z"],
    // Brazil's DST began at midnight: 00:00 did not exist, the day began at 01:00 (-02:00).
    ["2018-11-04", "America/Sao_Paulo", "2018-11-04T03:00:00.000Z"],
  ])("%s in %s starts at %s", (day, zone, expected) => {
    expect(startOfDayInZone(day, zone)?.toISOString()).toBe(expected);
  });

  it("is null for a day the zone skipped", () => {
    expect(startOfDayInZone("2011-12-30", "Pacific/Apia")).toBeNull();
    const result = createRowParser("orders", { timeZone: "Pacific/Apia", defaultCurrency: "USD" })({
      account_external_id: "A",
      order_external_id: "O",
      ordered_at: "2011-12-30",
      quantity: "1",
      amount: "1",
    });
    expect(result).toEqual({
      ok: false,
      issues: [{ column: "ordered_at", message: "2011-12-30 does not exist in Pacific/Apia." }],
    });
  });
});

describe("options and cell text", () => {
  it("knows currencies and time zones", () => {
    expect([
      isCurrencyCode("EUR"),
      isCurrencyCode("CNY"),
      isCurrencyCode("EURO"),
      isCurrencyCode("eur"),
    ]).toEqual([true, true, false, false]);
    expect([isTimeZone("Europe/Berlin"), isTimeZone("UTC"), isTimeZone("Mars/Olympus")]).toEqual([
      true,
      true,
      false,
    ]);
    expect(() => createRowParser("orders", { timeZone: "Mars/Olympus", defaultCurrency: "USD" })).toThrow(
      RangeError,
    );
  });

  it("flags NUL characters and text that was not UTF-8", () => {
    expect(cellTextProblem("北京 \u00e9")).toBeNull();
    expect(cellTextProblem("a\u0000b")).toBe("Contains a NUL character.");
    expect(cellTextProblem("M\uFFFDller")).toBe(
      "Is not valid UTF-8 text. Save the file as UTF-8 (CSV UTF-8 in Excel).",
    );
  });
});
