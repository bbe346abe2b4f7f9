// The daily risk scan: scores every account, keeps the result as history (the card shows it), then
// creates the churn warnings that are due and posts every pending one.
import { postClassNotes } from "../services/classification/post-class-notes.ts";
import { runRiskScan, type ScanDeps } from "../services/risk/run-risk-scan.ts";
import { createDueWarnings, linkWarningsToScan } from "../services/warnings/create-due-warnings.ts";
import { postPendingWarnings } from "../services/warnings/post-pending-warnings.ts";
import { buildChurnWarning } from "../slack/views/churn-warning.ts";
import { buildClassNote } from "../slack/views/classification.ts";
import type { JobDeps } from "./index.ts";
import type { Job } from "./scheduler.ts";

export const RISK_SCAN_JOB = "risk-scan";

/** What the scan-and-warn run needs (the bot's jobs, or `churnwatch scan --post`). */
export type RiskScanJobDeps = Pick<JobDeps, keyof ScanDeps | "slack" | "scanCron" | "warningsChannel">;

export function riskScanJob(deps: RiskScanJobDeps): Job {
  return {
    name: RISK_SCAN_JOB,
    cron: deps.scanCron,
    run: async (now) => {
      const runDeps = { ...deps, now: () => now };
      // Warnings are stored before the scan is saved: see createDueWarnings.
      const scan = await runRiskScan(runDeps, {
        save: true,
        beforeSave: async (result) => {
          await createDueWarnings(runDeps, result);
        },
      });
      if (scan.scanId) await linkWarningsToScan(runDeps, scan.scanId);
      // Also posts warnings left pending by an earlier run (crashed, or Slack failed).
      await postPendingWarnings(runDeps, {
        slack: deps.slack,
        defaultChannelId: deps.warningsChannel,
        render: buildChurnWarning,
      });
      // §7: key accounts whose class changed (this scan, or an earlier one whose notes were not posted).
      await postClassNotes(runDeps, { slack: deps.slack, render: buildClassNote });
    },
  };
}
