// Scheduled job: direct messages to owners of corrective actions due or overdue, at most once a day
// per action, at REMINDER_CRON in the configured time zone.
import { sendCorrectiveActionReminders } from "../services/retro/send-corrective-action-reminders.ts";
import { buildCorrectiveActionReminder } from "../slack/views/corrective-action-reminder.ts";
import type { JobDeps } from "./index.ts";
import type { Job } from "./scheduler.ts";

export function correctiveActionRemindersJob(deps: JobDeps): Job {
  return {
    name: "corrective-action-reminders",
    cron: deps.reminderCron,
    run: async (now) => {
      await sendCorrectiveActionReminders(deps, now, buildCorrectiveActionReminder);
    },
  };
}
