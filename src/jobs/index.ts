// The scheduled jobs and what they get injected.
import type { webApi } from "@slack/bolt";
import type { ScanDeps } from "../services/risk/run-risk-scan.ts";
import { followUpRemindersJob } from "./follow-up-reminders.ts";
import { riskScanJob } from "./risk-scan.ts";
import type { Job } from "./scheduler.ts";

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
};

export function buildJobs(deps: JobDeps): Job[] {
  return [followUpRemindersJob(deps), riskScanJob(deps)];
}
