// The scheduled jobs and what they get injected.
import type { webApi } from "@slack/bolt";
import type { ServiceDeps } from "../services/deps.ts";
import { followUpRemindersJob } from "./follow-up-reminders.ts";
import type { Job } from "./scheduler.ts";

export type JobDeps = ServiceDeps & {
  /** Web API client with the bot token, for posting outside a request (DMs, channel posts). */
  slack: webApi.WebClient;
  reminderCron: string;
};

export function buildJobs(deps: JobDeps): Job[] {
  return [followUpRemindersJob(deps)];
}
