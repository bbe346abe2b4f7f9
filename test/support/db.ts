// Test databases: one migrated template per run, copied fresh for each test that asks for one.
import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { type Database, openDatabase } from "../../src/db/database.ts";
import { startOrJoinEmbeddedPostgres } from "../../src/db/embedded.ts";
import { applyMigrations, defaultMigrationsDir } from "../../src/db/migrate.ts";
import { createSilentLogger } from "../../src/logger.ts";

/** The server tests use: DATABASE_URL_TEST (CI: the local PostgreSQL 15), else the embedded one test/global-setup.ts starts. */
/**
 * Makes sure DATABASE_URL_TEST names a server: when unset, starts an embedded PostgreSQL in a
 * temporary folder (for the test run or a benchmark) and returns what stops it.
 */
export async function useTestServer(): Promise<() => Promise<void>> {
  if (process.env.DATABASE_URL_TEST) return async () => {};
  const dataDir = await mkdtemp(path.join(tmpdir(), "churnwatch-tests-"));
  const server = await startOrJoinEmbeddedPostgres({ dataDir, logger: createSilentLogger() });
  process.env.DATABASE_URL_TEST = server.url;
  return async () => {
    await server.release();
    delete process.env.DATABASE_URL_TEST;
    await rm(dataDir, { recursive: true, force: true });
  };
}

function serverUrl(): string {
  const url = process.env.DATABASE_URL_TEST;
  if (!url)
    throw new Error("DATABASE_URL_TEST is not set: run tests through vitest (test/global-setup.ts sets it).");
  return url;
}

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
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Templates of other migration histories kept: runs of other branches may be using them right now. */
const OTHER_TEMPLATES_KEPT = 8;

/**
 * Test databases carry their process id: those of runs that died without dropping them go now, and
 * so do half-built templates and the oldest templates of other migration histories beyond a few.
 */
async function dropLeftovers(client: pg.Client, template: string): Promise<void> {
  const { rows } = await client.query<{ datname: string }>(
    "SELECT datname FROM pg_database WHERE datname LIKE 'churnwatch\\_t%' ORDER BY oid DESC",
  );
  let otherTemplates = 0;
  for (const { datname } of rows) {
    const testPid = Number(/^churnwatch_t_(\d+)_/.exec(datname)?.[1]);
    const buildPid = Number(/_build_(\d+)$/.exec(datname)?.[1]);
    let stale: boolean;
    if (buildPid) stale = !processIsAlive(buildPid);
    else if (datname.startsWith("churnwatch_tpl_"))
      stale = datname !== template && ++otherTemplates > OTHER_TEMPLATES_KEPT;
    else stale = !testPid || !processIsAlive(testPid);
    if (stale) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
}

let template: Promise<string> | undefined;

/** Creates (once per migration history, shared by parallel workers) the migrated template database. */
function templateDatabase(): Promise<string> {
  template ??= admin(async (client) => {
    const name = `churnwatch_tpl_${migrationsFingerprint()}`;
    await client.query("SELECT pg_advisory_lock(7104211002)");
    try {
      await dropLeftovers(client, name);
      const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      if (exists.rowCount === 0) {
        const building = `${name}_build_${process.pid}`;
        await client.query(`DROP DATABASE IF EXISTS "${building}"`);
        await client.query(`CREATE DATABASE "${building}"`);
        await applyMigrations(withDatabase(serverUrl(), building));
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
  const name = `churnwatch_t_${process.pid}_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  await admin((client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${source}"`));
  const database = await openDatabase({
    databaseUrl: withDatabase(serverUrl(), name),
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
