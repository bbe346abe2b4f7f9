// Weekly at DIGEST_CRON: the accounts most at risk and how the week's warnings were answered, to managers.
import { buildWarningDigest } from "../services/warnings/warning-digest.ts";
import { buildWarningDigestMessage } from "../slack/views/warning-escalation.ts";
import type { JobDeps } from "./index.ts";
import type { Job } from "./scheduler.ts";

export const WARNING_DIGEST_JOB = "warning-digest";

export function warningDigestJob(deps: JobDeps): Job {
  return {
    name: WARNING_DIGEST_JOB,
    cron: deps.digestCron,
    run: async (now) => {
      const channel = deps.managersChannel;
      if (!channel) return;
      const digest = await buildWarningDigest({ ...deps, now: () => now });
      // A failed post is logged by the scheduler ("job failed"); the digest is not retried until next week.
      await deps.slack.chat.postMessage({ channel, ...buildWarningDigestMessage(digest) });
      deps.logger.info(
        { warnings: digest.warnings.total, atRisk: digest.atRiskTotal },
        "weekly warnings digest posted",
      );
    },
  };
}
