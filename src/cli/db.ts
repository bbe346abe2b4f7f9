// `churnwatch db …`: migrations through the wasm schema engine (the Prisma CLI's migrate cannot run here).
import { loadCoreConfig } from "../config.ts";
import { startOrJoinEmbeddedPostgres } from "../db/embedded.ts";
import { applyMigrations, createMigration, migrationStatus } from "../db/migrate.ts";
import { AppError } from "../errors.ts";
import { createLogger } from "../logger.ts";
import type { CliIo } from "./main.ts";

export async function runDb(
  io: CliIo,
  positionals: string[],
  values: { name?: string | undefined; "create-only"?: boolean | undefined },
): Promise<number> {
  const [action] = positionals;
  if (action !== "deploy" && action !== "migrate" && action !== "status") {
    io.err("Usage: churnwatch db deploy | db migrate --name NAME [--create-only] | db status");
    return 2;
  }
  const config = loadCoreConfig();
  const logger = createLogger(config.logLevel === "info" ? "warn" : config.logLevel);
  const embedded = config.databaseUrl
    ? undefined
    : await startOrJoinEmbeddedPostgres({ dataDir: config.dataDir, logger });
  const url = config.databaseUrl ?? embedded?.url ?? "";
  try {
    if (action === "deploy") {
      const applied = await applyMigrations(url);
      io.out(
        applied.length > 0
          ? `Applied ${applied.length} migration(s): ${applied.join(", ")}`
          : "Database is up to date.",
      );
    } else if (action === "migrate") {
      if (!values.name)
        throw new AppError(
          "bad_request",
          "Give the migration a name: npm run db:migrate -- --name add_something",
        );
      const createOnly = values["create-only"] === true;
      const created = await createMigration(url, values.name, {}, { createOnly });
      if (created.name === null) io.out("The schema matches the migrations: nothing to create.");
      else if (createOnly)
        io.out(
          `Created prisma/migrations/${created.name}/migration.sql (not applied: edit it, then npm run db:deploy)`,
        );
      else io.out(`Created and applied prisma/migrations/${created.name}/migration.sql`);
      for (const warning of created.warnings) io.err(`warning: ${warning}`);
    } else {
      const status = await migrationStatus(url);
      io.out(
        `${status.applied} applied, ${status.pending.length} pending${status.pending.length ? `: ${status.pending.join(", ")}` : ""}`,
      );
      for (const problem of status.problems) io.err(`problem: ${problem}`);
      return status.problems.length > 0 ? 1 : 0;
    }
    return 0;
  } finally {
    await embedded?.release();
  }
}
