// Scheduled job: direct messages to owners of overdue exit tasks, at REMINDER_CRON, once a day per task.
import { sendExitTaskReminders } from "../services/exit/send-task-reminders.ts";
import { buildExitTaskReminder } from "../slack/views/exit-task-reminder.ts";
import type { JobDeps } from "./index.ts";
import type { Job } from "./scheduler.ts";

export function exitTaskRemindersJob(deps: JobDeps): Job {
  return {
    name: "exit-task-reminders",
    cron: deps.reminderCron,
    run: async (now) => {
      await sendExitTaskReminders(deps, { now, render: buildExitTaskReminder });
    },
  };
}
