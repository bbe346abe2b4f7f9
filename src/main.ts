// Entry of the bot: load config, open the database, start the Slack receiver; stop cleanly on signals.
import { createAssistant } from "./ai/assistant.ts";
import { type Config, loadConfig } from "./config.ts";
import { openDatabase } from "./db/database.ts";
import { buildJobs } from "./jobs/index.ts";
import { type Scheduler, startScheduler } from "./jobs/scheduler.ts";
import { createLogger, type Logger } from "./logger.ts";
import type { ServiceDeps } from "./services/deps.ts";
import { warmAccountIndex } from "./services/lookup-account.ts";
import { createRoles } from "./services/roles.ts";
import { createSlackApp } from "./slack/app.ts";
import { verifyBotToken } from "./slack/bot-identity.ts";
import { createBotWebClient } from "./slack/web-client.ts";

export type RunningBot = {
  /** The HTTP port actually bound (PORT=0 picks a free one). */
  port: number;
  scheduler: Scheduler;
  stop(): Promise<void>;
};

export type StartOptions = {
  /** Already-parsed settings; otherwise parsed from `env`. */
  config?: Config;
  env?: Record<string, string | undefined>;
  logger?: Logger;
  /** The clock; tests pin it. */
  now?: () => Date;
};

/** Starts everything; throws AppError("config_invalid") before touching anything when settings are missing. */
export async function startBot(options: StartOptions = {}): Promise<RunningBot> {
  const config = options.config ?? loadConfig(options.env ?? process.env);
  const log = options.logger ?? createLogger(config.logLevel);
  const identity = await verifyBotToken(config.slack);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger: log });
  const slackClient = createBotWebClient(identity.botToken, config.slack.apiUrl);
  const now = options.now ?? (() => new Date());
  const roles = createRoles(config.roles, {
    groupMembers: async (usergroup) => (await slackClient.usergroups.users.list({ usergroup })).users ?? [],
    logger: log,
    now,
  });
  if (!roles.configured)
    log.warn(
      "no managers configured (MANAGER_USER_IDS, MANAGER_GROUP_ID): everyone may see margins and decide as a manager",
    );
  const deps: ServiceDeps = {
    prisma: db.prisma,
    pool: db.pool,
    logger: log,
    now,
    timeZone: config.timeZone,
    defaultCurrency: config.defaultCurrency,
    responseTargets: config.responseTargets,
    assistant: config.ai ? createAssistant(config.ai, log) : undefined,
    roles,
    keyCare: config.keyCare,
    classification: config.classification,
    channels: {
      warnings: config.warningsChannel,
      managers: config.managersChannel,
      retro: config.retroChannel,
    },
  };
  const slack = createSlackApp({
    slack: config.slack,
    identity,
    deps,
    logger: log,
    isHealthy: async () => {
      await db.pool.query("SELECT 1");
      return true;
    },
  });
  let port: number;
  try {
    port = await slack.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  const scheduler = startScheduler(
    buildJobs({
      ...deps,
      slack: slackClient,
      reminderCron: config.reminderCron,
      scanCron: config.scanCron,
      warningsChannel: config.warningsChannel,
      managersChannel: config.managersChannel,
      escalateAfterDays: config.escalateAfterDays,
      digestCron: config.digestCron,
      defaultRetentionCost: config.defaultRetentionCost,
      blacklistOverdueDays: config.blacklistOverdueDays,
    }),
    {
      timeZone: config.timeZone,
      logger: log,
      pool: db.pool,
      now: deps.now,
    },
  );
  warmAccountIndex(deps).catch((error: unknown) =>
    log.warn({ err: error }, "could not pre-build the account index"),
  );
  let stopping: Promise<void> | undefined;
  return {
    port,
    scheduler,
    stop() {
      stopping ??= (async () => {
        await scheduler.stop();
        await slack
          .stop()
          .catch((error: unknown) => log.warn({ err: error }, "Slack receiver did not stop cleanly"));
        await db.close();
        log.info("stopped");
      })();
      return stopping;
    },
  };
}
