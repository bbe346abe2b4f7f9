// The import tests' shared setup: a fresh migrated database for each test, and fixture files by name.
import { afterEach, beforeEach } from "vitest";
import { type ImportCsvOptions, importCsv } from "../../../src/services/import/import-csv.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";

export const fixture = (name: string) => `test/fixtures/import/${name}`;

export type ImportDatabase = {
  /** The current test's database. */
  readonly db: TestDatabase;
  importFixture(
    kind: ImportCsvOptions["kind"],
    name: string,
    options?: Partial<ImportCsvOptions>,
  ): ReturnType<typeof importCsv>;
};

/** Registers the hooks that give each test of the file its own database, dropped afterwards. */
export function freshDatabaseEachTest(): ImportDatabase {
  let current: TestDatabase | undefined;
  beforeEach(async () => {
    current = await createTestDatabase();
  });
  afterEach(async () => {
    await current?.drop();
  });
  const context: ImportDatabase = {
    get db() {
      if (!current) throw new Error("no test database: use it inside a test");
      return current;
    },
    importFixture: (kind, name, options = {}) =>
      importCsv({ db: context.db, kind, file: fixture(name), ...options }),
  };
  return context;
}
