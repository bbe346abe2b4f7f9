// Test databases: one migrated template per run, copied fresh for each test that asks for one.
import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { applyMigrations, defaultMigrationsDir } from "../../src/db/migrate.ts";
import { createSilentLogger } from "../../src/logger.ts";

/** The server tests use: DATABASE_URL_TEST (CI: the local PostgreSQL 15), else the local default. */
export const testServerUrl = process.env.DATABASE_URL_TEST ?? "postgresql://postgres@127.0.0.1:5432/test";

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function migrationsFingerprint(): string {
  const hash = createHash("sha256");
  for (const name of readdirSync(defaultMigrationsDir).sort()) {
    if (name.endsWith(".toml")) continue;
    hash.update(name).update(readFileSync(path.join(defaultMigrationsDir, name, "migration.sql")));
  }
  return hash.digest("hex").slice(0, 12);
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testServerUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

let template: Promise<string> | undefined;

/** Creates (once per migration history, shared by parallel workers) the migrated template database. */
function templateDatabase(): Promise<string> {
  template ??= admin(async (client) => {
    const name = `churnwatch_tpl_${migrationsFingerprint()}`;
    await client.query("SELECT pg_advisory_lock(7104211002)");
    try {
      const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      if (exists.rowCount === 0) {
        const building = `${name}_build_${process.pid}`;
        await client.query(`DROP DATABASE IF EXISTS "${building}"`);
        await client.query(`CREATE DATABASE "${building}"`);
        await applyMigrations(withDatabase(testServerUrl, building));
        await client.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock(7104211002)");
    }
    return name;
  });
  return template;
}

export type TestDatabase = Database & { name: string; drop(): Promise<void> };

/** A fresh, migrated database of its own for one test file (or test). Call drop() afterwards. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const source = await templateDatabase();
  const name = `churnwatch_t_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  await admin((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${source}"`));
  const database = await openDatabase({
    databaseUrl: withDatabase(testServerUrl, name),
    dataDir: "unused",
    logger: createSilentLogger(),
    migrate: false,
  });
  return {
    ...database,
    name,
    async drop() {
      await database.close();
      await admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}
