// Opens the database: the server named by DATABASE_URL, or the embedded PostgreSQL; migrates it first.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { AppError } from "../errors.ts";
import { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import { startOrJoinEmbeddedPostgres } from "./embedded.ts";
import { applyMigrations, type MigrationPaths } from "./migrate.ts";

export type Database = {
  /** Connection string, for tools that need their own connection (COPY, migrations). */
  url: string;
  prisma: PrismaClient;
  /** Plain pg pool for bulk paths (COPY) and raw SQL that Prisma does not express well. */
  pool: pg.Pool;
  close(): Promise<void>;
};

export type DatabaseOptions = {
  databaseUrl?: string | undefined;
  dataDir: string;
  logger: Logger;
  /** Skip applying migrations (tests that migrate a template once). */
  migrate?: boolean;
  migrationPaths?: MigrationPaths;
};

/** Raw queries read int8 (money in minor units, counts) as bigint; Prisma's own connections are untouched. */
const rawQueryTypes = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.INT8 && format !== "binary"
      ? (value: string) => BigInt(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const { logger } = options;
  const embedded = options.databaseUrl
    ? undefined
    : await startOrJoinEmbeddedPostgres({ dataDir: options.dataDir, logger });
  const url = options.databaseUrl ?? embedded?.url;
  if (!url) throw new AppError("database_unavailable", "No database: set DATABASE_URL or DATA_DIR.");
  try {
    if (options.migrate !== false) {
      const started = performance.now();
      const applied = await applyMigrations(url, options.migrationPaths);
      logger.info({ applied, ms: Math.round(performance.now() - started) }, "database migrated");
    }
    const pool = new pg.Pool({ connectionString: url, max: 10, types: rawQueryTypes });
    pool.on("error", (error) => logger.warn({ err: error.message }, "idle database connection failed"));
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }) });
    return {
      url,
      prisma,
      pool,
      async close() {
        await prisma.$disconnect();
        await pool.end();
        await embedded?.release();
      },
    };
  } catch (error) {
    await embedded?.release();
    throw error;
  }
}
