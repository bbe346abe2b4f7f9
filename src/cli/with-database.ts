// Opens the database for one CLI command (joining the bot's embedded server if it runs) and closes it after.
import { type CoreConfig, loadCoreConfig } from "../config.ts";
import { type Database, openDatabase } from "../db/database.ts";
import { createLogger, type Logger } from "../logger.ts";
import type { ScanDeps } from "../services/risk/run-risk-scan.ts";
import { createRoles, ROLES_OFF } from "../services/roles.ts";

export async function withDatabase<T>(
  work: (db: Database, config: CoreConfig, logger: Logger) => Promise<T>,
): Promise<T> {
  const config = loadCoreConfig();
  // Commands print their own results; the log only speaks up for problems unless asked.
  const logger = createLogger(config.logLevel === "info" ? "warn" : config.logLevel);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger });
  try {
    return await work(db, config, logger);
  } finally {
    await db.close();
  }
}

/** What a scan needs, from the command's database and settings. */
export function scanDeps(db: Database, config: CoreConfig, logger: Logger): ScanDeps {
  return {
    prisma: db.prisma,
    pool: db.pool,
    logger,
    now: () => new Date(),
    timeZone: config.timeZone,
    defaultCurrency: config.defaultCurrency,
    responseTargets: config.responseTargets,
    // CLI commands post nothing that needs the assistant; the bot builds it.
    assistant: undefined,
    roles: createRoles(ROLES_OFF, { logger, now: () => new Date() }),
    keyCare: config.keyCare,
    classification: config.classification,
    channels: {
      warnings: config.warningsChannel,
      managers: config.managersChannel,
      retro: config.retroChannel,
    },
    defaultRetentionCost: config.defaultRetentionCost,
    blacklistOverdueDays: config.blacklistOverdueDays,
  };
}
