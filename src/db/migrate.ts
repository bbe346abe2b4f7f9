// Prisma migrations without the native schema engine: the wasm engine over a pg driver adapter.
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";
import pg from "pg";
import { AppError } from "../errors.ts";

const projectRoot = fileURLToPath(new URL("../..", import.meta.url));
export const defaultSchemaPath = path.join(projectRoot, "prisma", "schema.prisma");
export const defaultMigrationsDir = path.join(projectRoot, "prisma", "migrations");

/** Our own lock key, so concurrent starts (app + CLI, several instances) apply migrations one at a time. */
const MIGRATION_LOCK_KEY = 7_104_211_001;
/** PostgreSQL's internal one-byte "char" type, used by the catalog queries the engine sends. */
const PG_INTERNAL_CHAR_OID = 18;

export type MigrationPaths = { schemaPath?: string; migrationsDir?: string };

type EngineModule = typeof import("@prisma/schema-engine-wasm");
type WasmExports = Record<string, unknown>;
/** Node has WebAssembly at run time; @types/node 20 does not declare it. */
const wasmRuntime = (
  globalThis as unknown as {
    WebAssembly: {
      instantiate(
        bytes: Uint8Array,
        imports: Record<string, unknown>,
      ): Promise<{ instance: { exports: WasmExports } }>;
    };
  }
).WebAssembly;
let engineModule: Promise<EngineModule> | undefined;
let lastPanic: string | undefined;

/** The package's entry imports `.wasm` as an ES module, which Node cannot load: instantiate it by hand. */
function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const globals = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(message: string): void } };
    globals.PRISMA_WASM_PANIC_REGISTRY ??= {
      set_message(message: string) {
        lastPanic = message;
      },
    };
    const bindingsUrl = import.meta.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bindings = (await import(bindingsUrl)) as EngineModule & {
      __wbg_set_wasm(exports: WasmExports): void;
    };
    const wasmBytes = await readFile(new URL("schema_engine_bg.wasm", bindingsUrl));
    const { instance } = await wasmRuntime.instantiate(wasmBytes, { "./schema_engine_bg.js": bindings });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bindings;
  })();
  return engineModule;
}

/** Which columns of a result came back as OID 18, keyed by the result's row array (the adapter returns it as is). */
const internalCharColumns = new WeakMap<unknown[], number[]>();

function noteInternalCharColumns(result: pg.QueryResult | undefined): void {
  if (!result?.fields) return;
  const indexes: number[] = [];
  result.fields.forEach((field, index) => {
    if (field.dataTypeID === PG_INTERNAL_CHAR_OID) {
      // adapter-pg cannot map OID 18; bpchar maps to text and we correct the type below.
      field.dataTypeID = pg.types.builtins.BPCHAR;
      indexes.push(index);
    }
  });
  if (indexes.length > 0) internalCharColumns.set(result.rows, indexes);
}

/**
 * pg client for the engine's connections: adapter-pg rejects the catalog's "char" columns, and
 * reading them as text makes the engine panic; they must reach it typed as Character.
 */
class EngineClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's overloaded query signature cannot be restated here.
  override query(...args: any[]): any {
    const callbackIndex = args.findIndex((arg) => typeof arg === "function");
    if (callbackIndex >= 0) {
      const callback = args[callbackIndex] as (error: Error | null, result?: pg.QueryResult) => void;
      args[callbackIndex] = (error: Error | null, result?: pg.QueryResult) => {
        if (!error) noteInternalCharColumns(result);
        callback(error, result);
      };
      return (super.query as (...a: unknown[]) => unknown)(...args);
    }
    const returned = (super.query as (...a: unknown[]) => unknown)(...args);
    if (returned instanceof Promise) {
      return returned.then((result: pg.QueryResult) => {
        noteInternalCharColumns(result);
        return result;
      });
    }
    return returned;
  }
}

/**
 * Engine adapters: catalog "char" columns typed as Character, and whole migration scripts sent as
 * one simple query. adapter-pg's executeScript splits on every ";", which breaks function bodies
 * ($$ … $$); one simple query also runs a script atomically, as the native engine does.
 */
function forEngine(adapter: SqlDriverAdapter): SqlDriverAdapter {
  // PrismaPgAdapter exposes its pg pool; the generic adapter type does not declare it.
  const driver = (adapter as SqlDriverAdapter & { underlyingDriver(): pg.Pool }).underlyingDriver();
  adapter.executeScript = async (script) => {
    await driver.query(script);
  };
  const queryRaw = adapter.queryRaw.bind(adapter);
  adapter.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const index of internalCharColumns.get(result.rows) ?? []) {
      result.columnTypes[index] = ColumnTypeEnum.Character;
    }
    return result;
  };
  return adapter;
}

function databaseUrlWithName(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * adapter-pg's own shadow database keeps the URL's database (the real one), so we make a
 * throw-away database ourselves and drop it when the engine is done with it.
 */
function engineAdapterFactory(
  url: string,
): SqlMigrationAwareDriverAdapterFactory & { disposeAll(): Promise<void> } {
  // free() does not close the engine's connections: keep every adapter to dispose it ourselves.
  const open = new Set<SqlDriverAdapter>();
  const connectTo = async (connectionString: string) => {
    const adapter = forEngine(
      await new PrismaPg({ connectionString, Client: EngineClient, max: 2 }).connect(),
    );
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      if (open.delete(adapter)) await dispose();
    };
    open.add(adapter);
    return adapter;
  };
  return {
    async disposeAll() {
      await Promise.allSettled([...open].map((adapter) => adapter.dispose()));
    },
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    connect: () => connectTo(url),
    async connectToShadowDb() {
      const name = `churnwatch_shadow_${randomUUID().replaceAll("-", "")}`;
      await runOnAdmin(url, `CREATE DATABASE "${name}"`);
      const adapter = await connectTo(databaseUrlWithName(url, name));
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await runOnAdmin(url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      };
      return adapter;
    },
  };
}

async function runOnAdmin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function readMigrationList(migrationsDir: string): Promise<MigrationList> {
  const lockfilePath = path.join(migrationsDir, "migration_lock.toml");
  const entries = existsSync(migrationsDir) ? await readdir(migrationsDir, { withFileTypes: true }) : [];
  const directories = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return {
    baseDir: migrationsDir,
    lockfile: {
      path: "migration_lock.toml",
      content: existsSync(lockfilePath) ? await readFile(lockfilePath, "utf8") : null,
    },
    shadowDbInitScript: "",
    migrationDirectories: await Promise.all(
      directories.map(async (name) => {
        const file = path.join(migrationsDir, name, "migration.sql");
        const content = existsSync(file)
          ? { tag: "ok" as const, value: await readFile(file, "utf8") }
          : { tag: "error" as const, value: `${file} is missing` };
        return { path: name, migrationFile: { path: "migration.sql", content } };
      }),
    ),
  };
}

type EngineSession = {
  engine: SchemaEngine;
  migrations: MigrationList;
  schema: { path: string; content: string };
};

const noFilter = { externalTables: [], externalEnums: [] };

/**
 * Runs `work` with a schema engine on `url`, holding our advisory lock. The engine leaves timers
 * behind and `free()` does not close connections, so the adapter is disposed here explicitly.
 */
async function withEngine<T>(
  url: string,
  paths: MigrationPaths,
  work: (session: EngineSession) => Promise<T>,
): Promise<T> {
  const schemaPath = paths.schemaPath ?? defaultSchemaPath;
  const migrationsDir = paths.migrationsDir ?? defaultMigrationsDir;
  const { SchemaEngine } = await loadEngineModule();
  const lockClient = new pg.Client({ connectionString: url });
  await lockClient.connect();
  const adapters = engineAdapterFactory(url);
  const factory = bindMigrationAwareSqlAdapterFactory(adapters);
  let engine: SchemaEngine | undefined;
  try {
    await lockClient.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    const schema = { path: schemaPath, content: await readFile(schemaPath, "utf8") };
    engine = await SchemaEngine.new({ datamodels: [[schema.path, schema.content]] }, () => {}, factory);
    return await work({ engine, migrations: await readMigrationList(migrationsDir), schema });
  } catch (error) {
    throw new AppError(
      "migration_failed",
      `Database migration failed: ${describeEngineError(error, factory)}`,
      {
        cause: error,
      },
    );
  } finally {
    engine?.free();
    await adapters.disposeAll();
    await lockClient.end().catch(() => {});
  }
}

function describeEngineError(
  error: unknown,
  factory: ReturnType<typeof bindMigrationAwareSqlAdapterFactory>,
): string {
  if (lastPanic) {
    const panic = lastPanic;
    lastPanic = undefined;
    return `schema engine panicked: ${panic}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  // Driver errors arrive as "External error id#N"; the registry holds the original.
  const match = /External error id#(\d+)/.exec(message);
  const original = match ? factory.errorRegistry.consumeError(Number(match[1])) : undefined;
  return original ? `${message}: ${JSON.stringify(original.error)}` : message;
}

/** Applies every pending migration; returns the names applied now. */
export async function applyMigrations(url: string, paths: MigrationPaths = {}): Promise<string[]> {
  return withEngine(url, paths, async ({ engine, migrations }) => {
    const output = await engine.applyMigrations({ migrationsList: migrations, filters: noFilter });
    return output.appliedMigrationNames;
  });
}

export type MigrationStatus = { applied: number; pending: string[]; problems: string[] };

export async function migrationStatus(url: string, paths: MigrationPaths = {}): Promise<MigrationStatus> {
  return withEngine(url, paths, async ({ engine, migrations }) => {
    const diagnosis = await engine
      .diagnoseMigrationHistory({
        migrationsList: migrations,
        optInToShadowDatabase: false,
        filters: noFilter,
      })
      .catch((error: unknown) => {
        // A database that never saw a migration has no _prisma_migrations table yet (P1014).
        if (String(error).includes("P1014")) return undefined;
        throw error;
      });
    const all = migrations.migrationDirectories.map((directory) => directory.path);
    if (!diagnosis) return { applied: 0, pending: all, problems: [] };
    const history = diagnosis.history;
    const pending = history?.diagnostic === "databaseIsBehind" ? history.unappliedMigrationNames : [];
    const problems: string[] = [];
    if (history && history.diagnostic !== "databaseIsBehind") problems.push(`history: ${history.diagnostic}`);
    for (const failed of diagnosis.failedMigrationNames) problems.push(`failed: ${failed}`);
    for (const edited of diagnosis.editedMigrationNames)
      problems.push(`edited after it was applied: ${edited}`);
    return { applied: all.length - pending.length, pending, problems };
  });
}

export type CreatedMigration = { name: string | null; warnings: string[] };

/**
 * The `migrate dev` flow: bring the database up to date, check it has not drifted, write the
 * migration that takes it to the schema, then apply it (unless `createOnly`, to edit it first).
 */
export async function createMigration(
  url: string,
  migrationName: string,
  paths: MigrationPaths = {},
  options: { createOnly?: boolean } = {},
): Promise<CreatedMigration> {
  if (!/^[a-z0-9_]+$/.test(migrationName)) {
    throw new AppError(
      "bad_request",
      "A migration name uses lower-case letters, digits and underscores only.",
    );
  }
  const migrationsDir = paths.migrationsDir ?? defaultMigrationsDir;
  const created = await withEngine(url, paths, async ({ engine, migrations, schema }) => {
    await engine.applyMigrations({ migrationsList: migrations, filters: noFilter });
    const diagnostic = await engine.devDiagnostic({ migrationsList: migrations, filters: noFilter });
    if (diagnostic.action.tag === "reset") {
      throw new AppError(
        "migration_failed",
        `The database has drifted from the migration history (${diagnostic.action.reason}). Fix it by hand or use a fresh database.`,
      );
    }
    const schemas = { files: [schema] };
    const dataLoss = await engine.evaluateDataLoss({
      migrationsList: migrations,
      schema: schemas,
      filters: noFilter,
    });
    const output = await engine.createMigration({
      // A draft is written even when empty, for hand-written SQL (triggers, data fixes).
      draft: options.createOnly === true,
      migrationName,
      migrationsList: migrations,
      schema: schemas,
      filters: noFilter,
    });
    if (output.migrationScript === null) return { name: null, warnings: [] };
    const directory = path.join(migrationsDir, output.generatedMigrationName);
    await mkdir(directory, { recursive: true });
    await writeFile(path.join(directory, `migration.${output.extension}`), output.migrationScript);
    const lockfile = path.join(migrationsDir, "migration_lock.toml");
    if (!existsSync(lockfile)) {
      await writeFile(
        lockfile,
        '# Written by Churnwatch\'s migrate command; keep it in git.\nprovider = "postgresql"\n',
      );
    }
    return {
      name: output.generatedMigrationName,
      warnings: [...dataLoss.warnings, ...dataLoss.unexecutableSteps].map((step) => step.message),
    };
  });
  if (created.name && !options.createOnly) await applyMigrations(url, paths);
  return created;
}
