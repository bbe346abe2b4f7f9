// Scheduled job, hourly: a rep departure whose managers' alert failed (Slack down, a channel the bot
// left) is alerted again; Slack sends a user's deactivation only once, so nothing else would retry it.
import { retryRepDepartureAlerts } from "../services/ownership/record-rep-departure.ts";
import type { JobDeps } from "./index.ts";
import type { Job } from "./scheduler.ts";

export function repDepartureAlertsJob(deps: JobDeps): Job {
  return {
    name: "rep-departure-alerts",
    cron: "30 * * * *",
    run: async () => {
      const run = await retryRepDepartureAlerts(deps);
      if (run.retried > 0) deps.logger.info(run, "rep departure alerts retried");
    },
  };
}
