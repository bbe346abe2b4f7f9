// The accounts import's linked_accounts column: AccountLink rows from the listed external ids, replaced
// per listed account on re-import, all-or-nothing with FILE:LINE errors for unknown ids and self links.
import { describe, expect, it } from "vitest";
import { freshDatabaseEachTest } from "./import-database.ts";

const imports = freshDatabaseEachTest();
const { importFixture } = imports;

/** Every link as "FROM>TO" by external id, sorted. */
async function links(): Promise<string[]> {
  const result = await imports.db.pool.query<{ link: string }>(
    `SELECT a.external_id || '>' || l.external_id AS link
     FROM account_link k JOIN account a ON a.id = k.account_id JOIN account l ON l.id = k.linked_id
     ORDER BY 1`,
  );
  return result.rows.map((row) => row.link);
}

async function linkRows(): Promise<{ id: string; created_at: Date }[]> {
  const result = await imports.db.pool.query<{ id: string; created_at: Date }>(
    "SELECT id, created_at FROM account_link ORDER BY id",
  );
  return result.rows;
}

async function accountIds(): Promise<string[]> {
  const result = await imports.db.pool.query<{ external_id: string }>(
    "SELECT external_id FROM account ORDER BY external_id",
  );
  return result.rows.map((row) => row.external_id);
}

describe("accounts import: linked_accounts", () => {
  it("links to accounts already imported and to accounts of the same file", async () => {
    await importFixture("accounts", "accounts.csv");
    const report = await importFixture("accounts", "accounts-linked.csv");

    expect(report).toMatchObject({
      rejected: false,
      inserted: 3,
      links: { added: 3, removed: 0 },
      errors: [],
    });
    expect(await links()).toEqual(["P-1>ACME", "P-1>P-2", "P-3>P-1"]);
  });

  it("re-importing the same file adds no link and keeps the stored ones as they are", async () => {
    await importFixture("accounts", "accounts.csv");
    await importFixture("accounts", "accounts-linked.csv");
    const before = await linkRows();

    const again = await importFixture("accounts", "accounts-linked.csv");

    expect(again).toMatchObject({ rejected: false, unchanged: 3, links: { added: 0, removed: 0 } });
    expect(await linkRows()).toEqual(before);
  });

  it("a re-import replaces the links of each listed account; other accounts' links stay", async () => {
    await importFixture("accounts", "accounts.csv");
    await importFixture("accounts", "accounts-linked.csv");
    // A link from an account the next file does not list.
    await imports.db.pool.query(
      `INSERT INTO account_link (id, account_id, linked_id)
       SELECT gen_random_uuid(), a.id, l.id FROM account a, account l
       WHERE a.external_id = 'ACME' AND l.external_id = 'P-1'`,
    );

    // P-1 now lists only P-3; P-3's cell is empty: its link goes. P-2 is not in the file.
    const report = await importFixture("accounts", "accounts-linked-changed.csv");

    expect(report).toMatchObject({ rejected: false, links: { added: 1, removed: 3 } });
    expect(await links()).toEqual(["ACME>P-1", "P-1>P-3"]);
  });

  it("a file without the column leaves links alone", async () => {
    await importFixture("accounts", "accounts.csv");
    await importFixture("accounts", "accounts-linked.csv");

    const report = await importFixture("accounts", "accounts.csv");

    expect(report.links).toBeNull();
    expect(await links()).toEqual(["P-1>ACME", "P-1>P-2", "P-3>P-1"]);
  });

  it("refuses unknown ids and self links with FILE:LINE errors, and writes nothing", async () => {
    await importFixture("accounts", "accounts.csv");

    const report = await importFixture("accounts", "accounts-linked-invalid.csv");

    const file = "test/fixtures/import/accounts-linked-invalid.csv";
    expect(report.errors.map((error) => error.text)).toEqual([
      `${file}:2: linked_accounts: No account with external_id "GONE" in this file or imported before.`,
      `${file}:2: linked_accounts: No account with external_id "NOPE" in this file or imported before.`,
      `${file}:3: linked_accounts: An account cannot be linked to itself ("P-2").`,
      `${file}:4: linked_accounts: Account "P-1" is not imported: line 2 has problems.`,
    ]);
    expect(report).toMatchObject({ rejected: true, written: false, invalid: 3, valid: 0, links: null });
    expect(await accountIds()).toEqual(["ACME", "BJ-01", "KR-03", "SH-02"]);
    expect(await links()).toEqual([]);
  });

  it("with skipInvalid, an account linking to a skipped one is skipped too, down the chain", async () => {
    await importFixture("accounts", "accounts.csv");

    const report = await importFixture("accounts", "accounts-linked-cascade.csv", { skipInvalid: true });

    const file = "test/fixtures/import/accounts-linked-cascade.csv";
    expect(report.errors.map((error) => error.text)).toEqual([
      `${file}:2: linked_accounts: Account "P-2" is not imported: line 3 has problems.`,
      `${file}:3: status: "gone" is not a status. Use one of: active, at_risk, leaving, lost, blacklisted.`,
      `${file}:4: linked_accounts: Account "P-1" is not imported: line 2 has problems.`,
    ]);
    expect(report).toMatchObject({ rejected: false, written: true, invalid: 3, inserted: 1 });
    expect(await links()).toEqual(["P-4>ACME"]);
  });

  it("a dry run counts the links it would add and writes none", async () => {
    await importFixture("accounts", "accounts.csv");

    const report = await importFixture("accounts", "accounts-linked.csv", { dryRun: true });

    expect(report).toMatchObject({ written: false, links: { added: 3, removed: 0 } });
    expect(await links()).toEqual([]);
  });
});
