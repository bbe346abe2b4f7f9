// Daily at SCAN_CRON: unanswered high and critical churn warnings go to the managers' channel, once.
import { escalateWarnings } from "../services/warnings/escalate-warnings.ts";
import { buildWarningEscalation } from "../slack/views/warning-escalation.ts";
import type { JobDeps } from "./index.ts";
import type { Job } from "./scheduler.ts";

export const WARNING_ESCALATION_JOB = "warning-escalation";

export function warningEscalationJob(deps: JobDeps): Job {
  return {
    name: WARNING_ESCALATION_JOB,
    // Its own job on the scan's schedule: it only looks at warnings days old, so it need not wait for the scan.
    cron: deps.scanCron,
    run: async (now) => {
      const managersChannel = deps.managersChannel;
      if (!managersChannel) return;
      await escalateWarnings(
        { ...deps, now: () => now },
        {
          slack: deps.slack,
          managersChannel,
          escalateAfterDays: deps.escalateAfterDays,
          render: buildWarningEscalation,
        },
      );
    },
  };
}
