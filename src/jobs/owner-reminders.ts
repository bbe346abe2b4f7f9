// Scheduled job, hourly: key-account reminders (contact cadence, key dates) to owners whose local hour is
// OWNER_REMINDER_HOUR; the hourly beat is what lets every time zone get them at its own morning.
import { sendOwnerReminders } from "../services/key-care/send-owner-reminders.ts";
import type { JobDeps } from "./index.ts";
import type { Job } from "./scheduler.ts";

export const OWNER_REMINDERS_CRON = "0 * * * *";

export function ownerRemindersJob(deps: JobDeps): Job {
  return {
    name: "owner-reminders",
    cron: OWNER_REMINDERS_CRON,
    run: async (now) => {
      await sendOwnerReminders(deps, now);
    },
  };
}
