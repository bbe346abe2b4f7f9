// What every use case gets injected: database handles, the clock and the calendar settings.
import type pg from "pg";
import type { Assistant } from "../ai/assistant.ts";
import type { KeyCareSettings } from "../domain/cadence.ts";
import type { ClassificationSettings } from "../domain/classification.ts";
import type { ResponseTargets } from "../domain/complaints.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import type { Roles } from "./roles.ts";

export type ServiceDeps = {
  prisma: PrismaClient;
  pool: pg.Pool;
  logger: Logger;
  now: () => Date;
  /** IANA zone whose calendar days and months the figures use. */
  timeZone: string;
  /** ISO 4217 code for money of an account that has no orders or invoices yet. */
  defaultCurrency: string;
  /** Days to resolve a complaint, by severity. */
  responseTargets: ResponseTargets;
  /** The AI assistant; undefined when none is configured (every feature has a fallback). */
  assistant: Assistant | undefined;
  /** Who may see margins and take managers' decisions. */
  roles: Roles;
  /** §7 contact cadence and key dates of key accounts (card, Home, owner reminders). */
  keyCare: KeyCareSettings;
  /** §7 classification thresholds. */
  classification: ClassificationSettings;
  /** Channels outside the accounts' own (ids, or undefined when not configured). */
  channels: {
    /** Churn warnings and exit workflows of accounts without a usable channel. */
    warnings: string | undefined;
    /** Escalations and the weekly digest. */
    managers: string | undefined;
    /** Lost-customer retrospectives. */
    retro: string | undefined;
  };
};
