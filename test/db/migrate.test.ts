// Migrations through the wasm schema engine: deploy, status, creating a new one (shadow replay), drift.
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  applyMigrations,
  createMigration,
  defaultMigrationsDir,
  defaultSchemaPath,
  migrationStatus,
} from "../../src/db/migrate.ts";

const admin = () => new pg.Client({ connectionString: process.env.DATABASE_URL_TEST });
let workDir: string;
let url: string;
let dbName: string;
let paths: { schemaPath: string; migrationsDir: string };

async function sql<T extends pg.QueryResultRow>(text: string, target = url): Promise<T[]> {
  const client = new pg.Client({ connectionString: target });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), "churnwatch-migrate-"));
  paths = {
    schemaPath: path.join(workDir, "schema.prisma"),
    migrationsDir: path.join(workDir, "migrations"),
  };
  await cp(defaultSchemaPath, paths.schemaPath);
  await cp(defaultMigrationsDir, paths.migrationsDir, { recursive: true });
  dbName = `churnwatch_t_${process.pid}_migrate`;
  const client = admin();
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${dbName}"`);
  await client.query(`CREATE DATABASE "${dbName}"`);
  await client.end();
  const parsed = new URL(process.env.DATABASE_URL_TEST ?? "");
  parsed.pathname = `/${dbName}`;
  url = parsed.toString();
});

afterAll(async () => {
  const client = admin();
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
  await client.end();
  await rm(workDir, { recursive: true, force: true });
});

describe("migrations", () => {
  it("reports everything pending on an empty database, applies it, and then nothing", async () => {
    const committed = (await readdir(paths.migrationsDir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect((await migrationStatus(url, paths)).pending).toEqual(committed);
    expect(await applyMigrations(url, paths)).toEqual(committed);
    expect(await applyMigrations(url, paths)).toEqual([]);
    expect(await migrationStatus(url, paths)).toEqual({
      applied: committed.length,
      pending: [],
      problems: [],
    });
    const recorded = await sql<{ migration_name: string; checksum: string }>(
      "SELECT migration_name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name",
    );
    expect(recorded.map((r) => r.migration_name)).toEqual(committed);
  });

  it("runs hand-written SQL with function bodies atomically (the name-version trigger works)", async () => {
    await sql("INSERT INTO account (id, external_id, name) VALUES (gen_random_uuid(), 'M-1', 'Migrated')");
    await sql("UPDATE account SET status = 'lost'");
    const [afterStatus] = await sql<{ version: string }>("SELECT version::text FROM account_name_version");
    await sql("UPDATE account SET name = 'Renamed'");
    const [afterRename] = await sql<{ version: string }>("SELECT version::text FROM account_name_version");
    expect(Number(afterRename?.version)).toBe(Number(afterStatus?.version) + 1);
  });

  it("creates a migration from a schema change, replaying history on a throw-away shadow database", async () => {
    const schema = await readFile(paths.schemaPath, "utf8");
    await writeFile(
      paths.schemaPath,
      `${schema}\nmodel MigrationProbe {\n  id Int @id\n  label String\n\n  @@map("migration_probe")\n}\n`,
    );
    const databasesBefore = await sql<{ datname: string }>(
      "SELECT datname FROM pg_database",
      process.env.DATABASE_URL_TEST,
    );
    const created = await createMigration(url, "add_probe", paths);
    expect(created.name).toMatch(/^\d{14}_add_probe$/);
    const script = await readFile(
      path.join(paths.migrationsDir, created.name ?? "", "migration.sql"),
      "utf8",
    );
    expect(script).toContain('CREATE TABLE "migration_probe"');
    expect(await sql("SELECT * FROM migration_probe")).toEqual([]);
    expect((await migrationStatus(url, paths)).pending).toEqual([]);
    // Nothing left to create, and no shadow database left behind.
    expect((await createMigration(url, "again", paths)).name).toBeNull();
    const databasesAfter = await sql<{ datname: string }>(
      "SELECT datname FROM pg_database",
      process.env.DATABASE_URL_TEST,
    );
    expect(databasesAfter.filter((d) => d.datname.includes("shadow"))).toEqual(
      databasesBefore.filter((d) => d.datname.includes("shadow")),
    );
  });

  it("refuses a name that is not lower-case letters, digits and underscores", async () => {
    await expect(createMigration(url, "Add Probe!", paths)).rejects.toThrow("lower-case letters");
  });

  it("reports a migration edited after it was applied", async () => {
    const [first] = (await readdir(paths.migrationsDir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    const file = path.join(paths.migrationsDir, first ?? "", "migration.sql");
    await writeFile(file, `${await readFile(file, "utf8")}\n-- edited\n`);
    expect((await migrationStatus(url, paths)).problems).toEqual([`edited after it was applied: ${first}`]);
  });
});
