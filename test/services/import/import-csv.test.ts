// Importing into a real database: what lands in the tables, re-imports, updates, dry runs, progress.
import { describe, expect, it } from "vitest";
import type { ImportProgress } from "../../../src/services/import/import-csv.ts";
import { freshDatabaseEachTest } from "./import-database.ts";

const imports = freshDatabaseEachTest();
const { importFixture } = imports;

async function importAll(): Promise<void> {
  for (const kind of ["accounts", "contacts", "orders"] as const) {
    const report = await importFixture(kind, `${kind}.csv`);
    expect(report.errors).toEqual([]);
  }
}

/** external_id -> updated_at (ms) of every row of a table. */
async function updatedAt(table: "account" | "contact" | "order"): Promise<Record<string, number>> {
  const result = await imports.db.pool.query<{ external_id: string; updated_at: Date }>(
    `SELECT external_id, updated_at FROM "${table}" ORDER BY external_id`,
  );
  return Object.fromEntries(result.rows.map((row) => [row.external_id, row.updated_at.getTime()]));
}

describe("importCsv", () => {
  it("imports all three kinds; a BOM is skipped and Chinese, Korean and quoted names round-trip", async () => {
    const accounts = await importFixture("accounts", "accounts.csv");
    expect(accounts).toMatchObject({
      kind: "accounts",
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

    const stored = await imports.db.pool.query(
      `SELECT external_id, name, aliases, owner_slack_id, channel_id, segment, region, status
       FROM account ORDER BY external_id`,
    );
    expect(stored.rows).toEqual([
      {
        external_id: "ACME",
        name: "Acme GmbH",
        aliases: ["Acme", "ACME Corp"],
        owner_slack_id: "U012AB3CD",
        channel_id: "C012AB3CD",
        segment: "enterprise",
        region: "EMEA",
        status: "active",
      },
      {
        external_id: "BJ-01",
        name: "北京新华贸易有限公司",
        aliases: ["新华", "Xinhua Trading"],
        owner_slack_id: null,
        channel_id: null,
        segment: "mid-market",
        region: "APAC",
        status: "at_risk",
      },
      {
        external_id: "KR-03",
        name: "주식회사 한빛",
        aliases: [],
        owner_slack_id: null,
        channel_id: "G0PRIVATE1",
        segment: "smb",
        region: "APAC",
        status: "lost",
      },
      {
        external_id: "SH-02",
        name: '上海 "东方" 有限公司, 分公司',
        aliases: ["東方"],
        owner_slack_id: "W0ABCDEF",
        channel_id: null,
        segment: "smb",
        region: "APAC",
        status: "active",
      },
    ]);

    expect(await importFixture("contacts", "contacts.csv")).toMatchObject({
      rows: 3,
      inserted: 3,
      errors: [],
    });
    const contacts = await imports.db.pool.query(
      `SELECT c.external_id, a.external_id AS account, c.name, c.role, c.email, c.phone,
              c.birthday::text, c.started_on::text, c.ended_on::text
       FROM contact c JOIN account a ON a.id = c.account_id ORDER BY c.external_id`,
    );
    expect(contacts.rows).toEqual([
      {
        external_id: "C-1",
        account: "ACME",
        name: "Anna Berg",
        role: "purchasing",
        email: "anna@acme.example",
        phone: "+49 30 1234567",
        birthday: "1980-04-12",
        started_on: "2019-01-01",
        ended_on: null,
      },
      {
        external_id: "C-2",
        account: "ACME",
        name: "Bernd Ohm",
        role: "decision_maker",
        email: "bernd@acme.example",
        phone: null,
        birthday: null,
        started_on: "2020-06-01",
        ended_on: "2023-12-31",
      },
      {
        external_id: "C-3",
        account: "BJ-01",
        name: "王小明",
        role: "finance",
        email: "wang@xinhua.example",
        phone: null,
        birthday: null,
        started_on: null,
        ended_on: null,
      },
    ]);

    expect(await importFixture("orders", "orders.csv")).toMatchObject({ rows: 5, inserted: 5, errors: [] });
    const orders = await imports.db.pool.query(
      `SELECT o.external_id, a.external_id AS account, o.ordered_at, o.quantity, o.amount, o.cost, o.currency
       FROM "order" o JOIN account a ON a.id = o.account_id ORDER BY o.external_id`,
    );
    expect(orders.rows).toEqual([
      {
        external_id: "O-1",
        account: "ACME",
        ordered_at: new Date("2024-03-31T00:00:00Z"),
        quantity: 10,
        amount: 123450n,
        cost: 90000n,
        currency: "EUR",
      },
      {
        external_id: "O-2",
        account: "ACME",
        ordered_at: new Date("2024-04-02T07:30:00Z"),
        quantity: 1,
        amount: 9999n,
        cost: null,
        currency: "USD",
      },
      {
        external_id: "O-3",
        account: "BJ-01",
        ordered_at: new Date("2024-04-03T00:00:00Z"),
        quantity: 5,
        amount: 125000n,
        cost: 100000n,
        currency: "CNY",
      },
      {
        external_id: "O-4",
        account: "BJ-01",
        ordered_at: new Date("2024-04-05T00:00:00Z"),
        quantity: 0,
        amount: -4510n,
        cost: null,
        currency: "CNY",
      },
      {
        external_id: "O-5",
        account: "KR-03",
        ordered_at: new Date("2024-04-06T00:00:00Z"),
        quantity: 3,
        amount: 150000n,
        cost: null,
        currency: "KRW",
      },
    ]);
  });

  it("reads plain order dates as the start of that day in the given time zone", async () => {
    await importFixture("accounts", "accounts.csv");
    await importFixture("orders", "orders.csv", { timeZone: "Europe/Berlin", defaultCurrency: "CHF" });
    const orders = await imports.db.pool.query(
      `SELECT external_id, ordered_at, currency FROM "order" ORDER BY external_id`,
    );
    expect(orders.rows.slice(0, 3)).toEqual([
      // 2024-03-31 is the day Berlin moves to summer time; its midnight is still +01:00.
      { external_id: "O-1", ordered_at: new Date("2024-03-30T23:00:00Z"), currency: "EUR" },
      // A timestamp with its own offset ignores the zone.
      { external_id: "O-2", ordered_at: new Date("2024-04-02T07:30:00Z"), currency: "CHF" },
      { external_id: "O-3", ordered_at: new Date("2024-04-02T22:00:00Z"), currency: "CNY" },
    ]);
  });

  it("is idempotent: a second import of the same files changes nothing, updated_at included", async () => {
    await importAll();
    const before = {
      account: await updatedAt("account"),
      contact: await updatedAt("contact"),
      order: await updatedAt("order"),
    };

    const expected = { accounts: 4, contacts: 3, orders: 5 };
    for (const kind of ["accounts", "contacts", "orders"] as const) {
      const report = await importFixture(kind, `${kind}.csv`);
      expect(report).toMatchObject({ inserted: 0, updated: 0, unchanged: expected[kind], written: true });
    }
    expect({
      account: await updatedAt("account"),
      contact: await updatedAt("contact"),
      order: await updatedAt("order"),
    }).toEqual(before);
  });

  it("updates a changed row and only that row", async () => {
    await importAll();
    const before = await updatedAt("order");

    const report = await importFixture("orders", "orders-updated.csv");
    expect(report).toMatchObject({ rows: 5, inserted: 0, updated: 1, unchanged: 4 });

    const after = await updatedAt("order");
    const changed = Object.keys(after).filter((id) => after[id] !== before[id]);
    expect(changed).toEqual(["O-2"]);
    const amount = await imports.db.pool.query(`SELECT amount FROM "order" WHERE external_id = 'O-2'`);
    expect(amount.rows[0]).toEqual({ amount: 10999n });
  });

  it("writes only the columns the file has: others keep their values", async () => {
    await importFixture("accounts", "accounts.csv");
    const report = await importFixture("accounts", "accounts-rename.csv");
    expect(report).toMatchObject({ inserted: 1, updated: 1, unchanged: 0 });

    const stored = await imports.db.pool.query(
      `SELECT external_id, name, aliases, segment, status FROM account WHERE external_id IN ('ACME', 'NEW-1') ORDER BY 1`,
    );
    expect(stored.rows).toEqual([
      {
        external_id: "ACME",
        name: "Acme AG",
        aliases: ["Acme", "ACME Corp"],
        segment: "enterprise",
        status: "active",
      },
      // New rows get the table defaults for columns the file lacks.
      { external_id: "NEW-1", name: "Neukunde GmbH", aliases: [], segment: null, status: "active" },
    ]);
  });

  it("imports the §4 account values: re-imports change nothing, absent columns keep them, empty cells clear", async () => {
    await importFixture("accounts", "accounts.csv");
    const values = async () =>
      (
        await imports.db.pool.query(
          `SELECT external_id, retention_cost, indirect_value, long_term_value, long_term_note, bad_faith, market_disruption
           FROM account WHERE external_id IN ('ACME', 'BJ-01') ORDER BY external_id`,
        )
      ).rows;
    const imported = [
      {
        external_id: "ACME",
        retention_cost: 250050n,
        indirect_value: 1200000n,
        long_term_value: true,
        long_term_note: "Reference customer for the region",
        bad_faith: false,
        market_disruption: false,
      },
      {
        external_id: "BJ-01",
        retention_cost: null,
        indirect_value: null,
        long_term_value: false,
        long_term_note: null,
        bad_faith: true,
        market_disruption: true,
      },
    ];

    expect(await importFixture("accounts", "accounts-values.csv")).toMatchObject({
      inserted: 0,
      updated: 2,
      unchanged: 0,
      errors: [],
    });
    expect(await values()).toEqual(imported);
    const before = await updatedAt("account");

    expect(await importFixture("accounts", "accounts-values.csv")).toMatchObject({
      inserted: 0,
      updated: 0,
      unchanged: 2,
    });
    // A file without the value columns leaves them alone.
    expect(await importFixture("accounts", "accounts.csv")).toMatchObject({ updated: 0, unchanged: 4 });
    expect(await updatedAt("account")).toEqual(before);
    expect(await values()).toEqual(imported);

    // Empty cells in present columns clear; the columns the file lacks keep their values.
    expect(await importFixture("accounts", "accounts-values-cleared.csv")).toMatchObject({ updated: 1 });
    expect((await values())[0]).toEqual({
      ...imported[0],
      retention_cost: null,
      long_term_value: false,
      long_term_note: null,
    });
  });

  it("keeps contact history: a re-import updates by external id and deletes nobody", async () => {
    await importAll();
    const report = await importFixture("contacts", "contacts-update.csv");
    expect(report).toMatchObject({ rows: 1, inserted: 0, updated: 1 });

    const contacts = await imports.db.pool.query(
      `SELECT external_id, email, started_on::text, ended_on::text FROM contact ORDER BY external_id`,
    );
    expect(contacts.rows).toEqual([
      { external_id: "C-1", email: "anna@acme.example", started_on: "2019-01-01", ended_on: "2024-06-30" },
      { external_id: "C-2", email: "bernd@acme.example", started_on: "2020-06-01", ended_on: "2023-12-31" },
      { external_id: "C-3", email: "wang@xinhua.example", started_on: null, ended_on: null },
    ]);
  });

  it("dry run checks everything and counts what would change, but writes nothing", async () => {
    await importFixture("accounts", "accounts.csv");
    const first = await importFixture("orders", "orders.csv", { dryRun: true });
    expect(first).toMatchObject({
      dryRun: true,
      written: false,
      rows: 5,
      inserted: 5,
      updated: 0,
      unchanged: 0,
    });
    expect((await imports.db.pool.query(`SELECT count(*)::integer AS n FROM "order"`)).rows[0]).toEqual({
      n: 0,
    });

    await importFixture("orders", "orders.csv");
    const before = await updatedAt("order");
    const second = await importFixture("orders", "orders-updated.csv", { dryRun: true });
    expect(second).toMatchObject({ written: false, inserted: 0, updated: 1, unchanged: 4 });
    expect(await updatedAt("order")).toEqual(before);
    const amount = await imports.db.pool.query(`SELECT amount FROM "order" WHERE external_id = 'O-2'`);
    expect(amount.rows[0]).toEqual({ amount: 9999n });

    // References are checked in a dry run too.
    const orphans = await importFixture("orders", "orders-invalid.csv", { dryRun: true });
    expect(orphans.errors.map((error) => error.line)).toContain(7);
    expect(orphans).toMatchObject({ rejected: true, written: false, inserted: 0 });
  });

  it("reports progress every progressEvery rows, when writing starts, and at the end", async () => {
    await importFixture("accounts", "accounts.csv");
    const calls: ImportProgress[] = [];
    await importFixture("orders", "orders.csv", {
      progressEvery: 2,
      onProgress: (progress) => calls.push(progress),
    });
    expect(calls.map(({ rows, phase }) => `${phase} ${rows}`)).toEqual([
      "reading 2",
      "reading 4",
      "writing 5",
      "done 5",
    ]);
    expect(calls.every((call) => call.elapsedMs >= 0)).toBe(true);
  });
});
