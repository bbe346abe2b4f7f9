// Environment parsed once with zod into a frozen Config; errors name the variables, never their values.
import cron from "node-cron";
import { z } from "zod";
import type { AiSettings } from "./ai/assistant.ts";
import { defaultKeyCareSettings, type KeyCareSettings, parseCadenceDays } from "./domain/cadence.ts";
import type { ClassificationSettings } from "./domain/classification.ts";
import { defaultResponseTargets, parseResponseTargets, type ResponseTargets } from "./domain/complaints.ts";
import { parseHolidays } from "./domain/key-dates.ts";
import { isTimeZone } from "./domain/trends.ts";
import { AppError } from "./errors.ts";
import type { RoleSettings } from "./services/roles.ts";

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const ZCoreEnv = z.object({
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL")
      .optional(),
  ),
  DATA_DIR: optionalText.pipe(z.string().default("./data")),
  LOG_LEVEL: optionalText.pipe(
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ),
  TIME_ZONE: optionalText.pipe(
    z.string().refine(isTimeZone, "must be an IANA time zone such as Europe/Berlin").default("UTC"),
  ),
  DEFAULT_CURRENCY: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Z]{3}$/, "must be a three-letter ISO 4217 code such as USD")
      .default("USD"),
  ),
  COMPLAINT_RESPONSE_DAYS: optionalText.pipe(
    z
      .string()
      .transform((text, ctx) => {
        const parsed = parseResponseTargets(text);
        if ("error" in parsed) {
          ctx.addIssue({ code: "custom", message: parsed.error });
          return z.NEVER;
        }
        return parsed;
      })
      .optional(),
  ),
  SCAN_CRON: optionalText.pipe(
    z
      .string()
      .refine((text) => cron.validate(text), "must be a cron expression such as 0 6 * * *")
      .default("0 6 * * *"),
  ),
  DEFAULT_RETENTION_COST: optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,12}$/, "must be a whole amount in major units, e.g. 2000")
      .transform(Number)
      .default(2000),
  ),
  BLACKLIST_OVERDUE_DAYS: optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,4}$/, "must be a number of days, e.g. 90")
      .transform(Number)
      .default(90),
  ),
  WARNINGS_CHANNEL: optionalText.pipe(
    z
      .string()
      .regex(/^[CG][A-Z0-9]{2,}$/, "must be a channel ID such as C0123456789")
      .optional(),
  ),
  MANAGERS_CHANNEL: optionalText.pipe(
    z
      .string()
      .regex(/^[CG][A-Z0-9]{2,}$/, "must be a channel ID such as C0123456789")
      .optional(),
  ),
  ESCALATE_AFTER_DAYS: optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,3}$/, "must be a number of days, e.g. 3")
      .transform(Number)
      .pipe(z.number().min(1, "must be at least 1 day"))
      .default(3),
  ),
  DIGEST_CRON: optionalText.pipe(
    z
      .string()
      .refine((text) => cron.validate(text), "must be a cron expression such as 0 8 * * 1")
      .default("0 8 * * 1"),
  ),
  RETRO_CHANNEL: optionalText.pipe(
    z
      .string()
      .regex(/^[CG][A-Z0-9]{2,}$/, "must be a channel ID such as C0123456789")
      .optional(),
  ),
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: optionalText.pipe(z.url("must be a URL such as http://127.0.0.1:11434/v1").optional()),
  OPENAI_MODEL: optionalText.pipe(z.string().default("gpt-4.1-mini")),
  OPENAI_TIMEOUT_MS: optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,6}$/, "must be a number of milliseconds, e.g. 20000")
      .transform(Number)
      .pipe(z.number().min(100, "must be at least 100 ms"))
      .default(20000),
  ),
  AI_SHARE_MONEY: optionalText.pipe(
    z
      .enum(["true", "false"], "must be true or false")
      .transform((text) => text === "true")
      .default(true),
  ),
  REMINDER_CRON: optionalText.pipe(
    z
      .string()
      .refine((text) => cron.validate(text), "must be a cron expression such as 0 9 * * 1-5")
      .default("0 9 * * *"),
  ),
  MANAGER_USER_IDS: optionalText.pipe(
    z
      .string()
      .transform((text) => text.split(/[\s,]+/).filter((id) => id !== ""))
      .pipe(
        z.array(
          z
            .string()
            .regex(/^[UW][A-Z0-9]{2,}$/, "must be Slack user IDs such as U0123456789, comma-separated"),
        ),
      )
      .default([]),
  ),
  MANAGER_GROUP_ID: optionalText.pipe(
    z
      .string()
      .regex(/^S[A-Z0-9]{2,}$/, "must be a user group ID such as S0123456789")
      .optional(),
  ),
  REPS_SEE_MARGIN: optionalText.pipe(
    z
      .enum(["true", "false"], "must be true or false")
      .transform((text) => text === "true")
      .default(false),
  ),
  CADENCE_DAYS: optionalText.pipe(
    z
      .string()
      .transform((text, ctx) => {
        const parsed = parseCadenceDays(text);
        if ("error" in parsed) {
          ctx.addIssue({ code: "custom", message: parsed.error });
          return z.NEVER;
        }
        return parsed;
      })
      .optional(),
  ),
  HOLIDAYS: optionalText.pipe(
    z
      .string()
      .transform((text, ctx) => {
        const parsed = parseHolidays(text);
        if ("error" in parsed) {
          ctx.addIssue({ code: "custom", message: parsed.error });
          return z.NEVER;
        }
        return parsed;
      })
      .optional(),
  ),
  KEY_DATE_NOTICE_DAYS: optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,3}$/, "must be a number of days, e.g. 3")
      .transform(Number)
      .pipe(z.number().max(60, "must be at most 60 days"))
      .default(3),
  ),
  OWNER_REMINDER_HOUR: optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,2}$/, "must be an hour from 0 to 23, e.g. 9")
      .transform(Number)
      .pipe(z.number().max(23, "must be an hour from 0 to 23, e.g. 9"))
      .default(9),
  ),
  // §7 classification thresholds.
  KEY_REVENUE_SHARE: optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,3}$/, "must be a whole percent from 1 to 100, e.g. 80")
      .transform(Number)
      .pipe(z.number().min(1, "must be at least 1").max(100, "must be at most 100"))
      .default(80),
  ),
  FACE_PERCENTILE: optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,2}$/, "must be a whole percentile from 51 to 99, e.g. 75")
      .transform(Number)
      .pipe(z.number().min(51, "must be at least 51").max(99, "must be at most 99"))
      .default(75),
  ),
  IRREGULAR_GAP_CV: optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,2}(\.\d{1,3})?$/, "must be a number such as 0.5")
      .transform(Number)
      .pipe(z.number().gt(0, "must be above 0"))
      .default(0.5),
  ),
});

const ZSlackEnv = z.object({
  SLACK_BOT_TOKEN: optionalText.pipe(
    z.string().startsWith("xoxb-", "must be a bot token (xoxb-…)").optional(),
  ),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText.pipe(
    z.string().startsWith("xapp-", "must be an app-level token (xapp-…)").optional(),
  ),
  SLACK_API_URL: optionalText.pipe(z.url("must be a URL such as https://slack.com/api/").optional()),
  PORT: optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,5}$/, "must be a port number")
      .transform(Number)
      .pipe(z.number().max(65535, "must be a port number"))
      .default(3000),
  ),
});

export type CoreConfig = Readonly<{
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: string;
  timeZone: string;
  defaultCurrency: string;
  /** Days to resolve a complaint, by severity. */
  responseTargets: ResponseTargets;
  /** When reminders (follow-ups due) go out, in timeZone. */
  reminderCron: string;
  /** When the daily risk scan runs, in timeZone. */
  scanCron: string;
  /** §4: cost of a retention effort when an account has none recorded, in major units of its currency. */
  defaultRetentionCost: number;
  /** Overdue receivables older than this make an account a blacklist candidate. */
  blacklistOverdueDays: number;
  /** Where churn warnings go for accounts without a channel, or whose channel the bot cannot post in. */
  warningsChannel: string | undefined;
  /** Where unanswered warnings are escalated and the weekly digest goes; both are off when unset. */
  managersChannel: string | undefined;
  /** A high or critical warning unanswered for longer than this goes to managersChannel. */
  escalateAfterDays: number;
  /** When the weekly warnings digest goes to managersChannel, in timeZone. */
  digestCron: string;
  /** Where lost-customer retrospectives are held: RETRO_CHANNEL, else managersChannel. */
  retroChannel: string | undefined;
  /** The AI assistant's settings; undefined (every feature works without it) when no API key is set. */
  ai: AiSettings | undefined;
  /** Who the managers are; with none configured, everyone is. */
  roles: RoleSettings;
  /** §7 contact cadence and key-date reminders of key accounts. */
  keyCare: KeyCareSettings;
  /** §7 classification thresholds (KEY_REVENUE_SHARE, FACE_PERCENTILE, IRREGULAR_GAP_CV). */
  classification: ClassificationSettings;
}>;

export type SlackConfig = Readonly<{
  botToken: string;
  /** Present in HTTP mode (required there); Socket Mode does not sign requests. */
  signingSecret: string | undefined;
  appToken: string | undefined;
  apiUrl: string | undefined;
  port: number;
  mode: "socket" | "http";
}>;

export type Config = Readonly<CoreConfig & { slack: SlackConfig }>;

type Env = Record<string, string | undefined>;

function invalid(error: z.ZodError, hint: string): AppError {
  const lines = error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  return new AppError(
    "config_invalid",
    `Churnwatch is not configured correctly:\n${lines.join("\n")}\n${hint}`,
  );
}

/** What every command needs: the database and the calendar. */
export function loadCoreConfig(env: Env = process.env): CoreConfig {
  const parsed = ZCoreEnv.safeParse(env);
  if (!parsed.success) throw invalid(parsed.error, 'See README, section "Configuration".');
  const e = parsed.data;
  return Object.freeze({
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
    timeZone: e.TIME_ZONE,
    defaultCurrency: e.DEFAULT_CURRENCY,
    responseTargets: Object.freeze(e.COMPLAINT_RESPONSE_DAYS ?? defaultResponseTargets),
    reminderCron: e.REMINDER_CRON,
    scanCron: e.SCAN_CRON,
    defaultRetentionCost: e.DEFAULT_RETENTION_COST,
    blacklistOverdueDays: e.BLACKLIST_OVERDUE_DAYS,
    warningsChannel: e.WARNINGS_CHANNEL,
    managersChannel: e.MANAGERS_CHANNEL,
    escalateAfterDays: e.ESCALATE_AFTER_DAYS,
    digestCron: e.DIGEST_CRON,
    retroChannel: e.RETRO_CHANNEL ?? e.MANAGERS_CHANNEL,
    ai: e.OPENAI_API_KEY
      ? Object.freeze({
          apiKey: e.OPENAI_API_KEY,
          baseUrl: e.OPENAI_BASE_URL,
          model: e.OPENAI_MODEL,
          timeoutMs: e.OPENAI_TIMEOUT_MS,
          shareMoney: e.AI_SHARE_MONEY,
        })
      : undefined,
    roles: Object.freeze({
      managerUserIds: Object.freeze(e.MANAGER_USER_IDS),
      managerGroupId: e.MANAGER_GROUP_ID,
      repsSeeMargin: e.REPS_SEE_MARGIN,
    }),
    keyCare: Object.freeze({
      cadenceDays: e.CADENCE_DAYS ?? defaultKeyCareSettings.cadenceDays,
      holidays: Object.freeze(e.HOLIDAYS ?? []),
      noticeDays: e.KEY_DATE_NOTICE_DAYS,
      reminderHour: e.OWNER_REMINDER_HOUR,
    }),
    classification: Object.freeze({
      keyRevenueSharePercent: e.KEY_REVENUE_SHARE,
      facePercentile: e.FACE_PERCENTILE,
      irregularGapCv: e.IRREGULAR_GAP_CV,
    }),
  });
}

/** Everything the bot needs. Missing Slack settings produce one message naming them all. */
export function loadConfig(env: Env = process.env): Config {
  const core = loadCoreConfig(env);
  const parsed = ZSlackEnv.safeParse(env);
  if (!parsed.success) throw invalid(parsed.error, 'See README, section "Connect to Slack".');
  const e = parsed.data;
  const mode = e.SLACK_APP_TOKEN ? "socket" : "http";
  const missing = [
    e.SLACK_BOT_TOKEN ? undefined : "SLACK_BOT_TOKEN",
    mode === "http" && !e.SLACK_SIGNING_SECRET
      ? "SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode)"
      : undefined,
  ].filter((name) => name !== undefined);
  if (missing.length > 0 || !e.SLACK_BOT_TOKEN) {
    throw new AppError(
      "config_invalid",
      `Churnwatch cannot connect to Slack: missing ${missing.join(", ")}.\n` +
        'Create the Slack app from manifest.yml and set these variables: see README, section "Connect to Slack".',
    );
  }
  return Object.freeze({
    ...core,
    slack: Object.freeze({
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
      port: e.PORT,
      mode,
    }),
  });
}
