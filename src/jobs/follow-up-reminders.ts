// Scheduled job: direct messages to owners of follow-ups due, at REMINDER_CRON in the configured time zone.
import { sendFollowUpReminders } from "../services/interactions/send-follow-up-reminders.ts";
import type { JobDeps } from "./index.ts";
import type { Job } from "./scheduler.ts";

export function followUpRemindersJob(deps: JobDeps): Job {
  return {
    name: "follow-up-reminders",
    cron: deps.reminderCron,
    run: async (now) => {
      await sendFollowUpReminders(deps, now);
    },
  };
}
