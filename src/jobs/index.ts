// The scheduled jobs and what they get injected.
import type { webApi } from "@slack/bolt";
import type { ScanDeps } from "../services/risk/run-risk-scan.ts";
import { correctiveActionRemindersJob } from "./corrective-action-reminders.ts";
import { exitTaskRemindersJob } from "./exit-task-reminders.ts";
import { followUpRemindersJob } from "./follow-up-reminders.ts";
import { ownerRemindersJob } from "./owner-reminders.ts";
import { repDepartureAlertsJob } from "./rep-departure-alerts.ts";
import { riskScanJob } from "./risk-scan.ts";
import type { Job } from "./scheduler.ts";
import { warningDigestJob } from "./warning-digest.ts";
import { warningEscalationJob } from "./warning-escalation.ts";

export type JobDeps = ScanDeps & {
  /** Web API client with the bot token, for posting outside a request (DMs, channel posts). */
  slack: webApi.WebClient;
  reminderCron: string;
  scanCron: string;
  /**
   * Channel for churn warnings of accounts without a channel, or whose channel the bot cannot post
   * in (WARNINGS_CHANNEL).
   */
  warningsChannel: string | undefined;
  /** Where unanswered warnings are escalated and the weekly digest goes (MANAGERS_CHANNEL); unset: both off. */
  managersChannel: string | undefined;
  escalateAfterDays: number;
  digestCron: string;
};

export function buildJobs(deps: JobDeps): Job[] {
  if (!deps.managersChannel)
    deps.logger.info("MANAGERS_CHANNEL is not set: warning escalation and the weekly digest are off");
  return [
    followUpRemindersJob(deps),
    riskScanJob(deps),
    warningEscalationJob(deps),
    warningDigestJob(deps),
    exitTaskRemindersJob(deps),
    correctiveActionRemindersJob(deps),
    ownerRemindersJob(deps),
    repDepartureAlertsJob(deps),
  ];
}
