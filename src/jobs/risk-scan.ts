// The daily risk scan: scores every account and keeps the result as history (the card shows it).
import { runRiskScan } from "../services/risk/run-risk-scan.ts";
import type { JobDeps } from "./index.ts";
import type { Job } from "./scheduler.ts";

export const RISK_SCAN_JOB = "risk-scan";

export function riskScanJob(deps: JobDeps): Job {
  return {
    name: RISK_SCAN_JOB,
    cron: deps.scanCron,
    run: async (now) => {
      await runRiskScan({ ...deps, now: () => now }, { save: true });
    },
  };
}
