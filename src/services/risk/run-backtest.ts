// Backtest: score every account as of a past day, then see who ordered nothing in the weeks after.
import { areaUnderCurve, type BacktestMetrics, backtestMetrics } from "../../domain/backtest.ts";
import { BAND_ORDER } from "../../domain/risk/score.ts";
import { runRiskScan, type ScanDeps, type ScanResult } from "./run-risk-scan.ts";

export type BacktestResult = {
  asOf: string;
  horizonWeeks: number;
  model: ScanResult["model"];
  metrics: BacktestMetrics;
  /** The purchase model alone as a baseline: AUC of fewer expected orders in the next 13 weeks. */
  modelAuc: number | null;
};

const MS_PER_DAY = 86_400_000;

/**
 * Only accounts that had ordered by the as-of day take part (the others cannot churn). "Churned"
 * means no order in the horizon: the weeks after the as-of day.
 */
export async function runBacktest(
  deps: ScanDeps,
  options: { asOfDay: string; horizonWeeks: number },
): Promise<BacktestResult> {
  const scan = await runRiskScan(deps, { asOfDay: options.asOfDay, save: false });
  const start = new Date(`${options.asOfDay}T00:00:00Z`);
  const { rows } = await deps.pool.query<{ account_id: string; before: boolean; after: boolean }>(
    `SELECT account_id,
            bool_or((ordered_at AT TIME ZONE $3)::date <= $1::date) AS before,
            bool_or((ordered_at AT TIME ZONE $3)::date > $1::date AND (ordered_at AT TIME ZONE $3)::date <= $2::date) AS after
       FROM "order" WHERE amount >= 0
      GROUP BY account_id`,
    [
      options.asOfDay,
      new Date(start.getTime() + options.horizonWeeks * 7 * MS_PER_DAY).toISOString().slice(0, 10),
      deps.timeZone,
    ],
  );
  const outcome = new Map(rows.filter((r) => r.before).map((r) => [r.account_id, !r.after]));
  const cases = scan.accounts.flatMap((account) => {
    const churned = outcome.get(account.accountId);
    return churned === undefined
      ? []
      : [
          {
            risk: account.risk,
            band: account.band,
            reasonCodes: account.reasons.map((r) => r.code),
            churned,
            expected: account.expectedOrders13w,
          },
        ];
  });
  return {
    asOf: scan.asOf,
    horizonWeeks: options.horizonWeeks,
    model: scan.model,
    metrics: backtestMetrics(cases, BAND_ORDER),
    modelAuc: areaUnderCurve(cases.map((c) => ({ risk: -(c.expected ?? 0), churned: c.churned }))),
  };
}
