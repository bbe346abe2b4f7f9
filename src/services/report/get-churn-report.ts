// The churn report (§8 questions 1–3): loads accounts, their status history with the lost cases,
// loyalty reads, trailing revenue and the key accounts' latest risk; domain/churn-report counts.
import { z } from "zod";
import { type AccountStatus, withoutMarginFigures } from "../../domain/account-card.ts";
import {
  type ChurnAccount,
  type ChurnReport,
  churnHistory,
  customPeriod,
  type KeyAccountRisk,
  keyAccountsAtRisk,
  loyaltyMix,
  periodFigures,
  periodToDate,
  previousPeriod,
  type ReportPeriod,
  type ReportPeriodKind,
  rangeProblem,
  type StatusChange,
  trailingTwelveMonths,
} from "../../domain/churn-report.ts";
import type { ChurnReason } from "../../domain/exit.ts";
import type { LoyaltyRead } from "../../domain/loyalty.ts";
import type { Band } from "../../domain/risk/score.ts";
import { seesMargin } from "../../domain/roles.ts";
import { calendarDay } from "../../domain/trends.ts";
import { AppError } from "../../errors.ts";
import type { ServiceDeps } from "../deps.ts";

/** Slack: a period to date with the previous complete one. CLI: chosen days (default: the year to date). */
export type ChurnReportInput = { period: ReportPeriodKind } | { from?: string; to?: string };

type AccountRow = {
  id: string;
  owner_slack_id: string | null;
  segment: string | null;
  status: AccountStatus;
  created_at: Date;
  first_ordered_at: Date | null;
};

type ChangeRow = {
  account_id: string;
  from_status: AccountStatus;
  to_status: AccountStatus;
  effective_on: string;
  at: Date;
  case_id: string | null;
  reason: ChurnReason | null;
  currency: string | null;
  receivables_outstanding: bigint | null;
  receivables_recovered: bigint | null;
  compensation_claimed: bigint | null;
  compensation_agreed: bigint | null;
  goods_returned: bigint | null;
  market_gap_loss: bigint | null;
};

type AssessmentRow = {
  account_id: string;
  external_id: string;
  name: string;
  owner_slack_id: string | null;
  band: Band;
  risk: number;
  as_of: string;
  reasons: unknown;
};

const CURRENT_CUSTOMER = "a.status NOT IN ('lost', 'blacklisted')";

const ZSavedReasons = z.array(z.object({ code: z.string(), text: z.string() }));

function chosenPeriod(input: ChurnReportInput, today: string): [ReportPeriod, ReportPeriod | null] {
  if ("period" in input) return [periodToDate(input.period, today), previousPeriod(input.period, today)];
  const period = customPeriod(input.from, input.to, today);
  const problem = rangeProblem(period);
  if (problem) throw new AppError("bad_request", problem);
  return [period, null];
}

async function loadAccounts(deps: ServiceDeps): Promise<ChurnAccount[]> {
  const { rows } = await deps.pool.query<AccountRow>(
    `SELECT a.id, a.owner_slack_id, a.segment, a.status::text AS status, a.created_at,
            first.ordered_at AS first_ordered_at
       FROM account a
       LEFT JOIN LATERAL (
         SELECT o.ordered_at FROM "order" o WHERE o.account_id = a.id ORDER BY o.ordered_at LIMIT 1
       ) first ON true`,
  );
  return rows.map((row) => ({
    id: row.id,
    ownerSlackId: row.owner_slack_id,
    segment: row.segment,
    status: row.status,
    createdOn: calendarDay(row.created_at, deps.timeZone),
    firstOrderOn: row.first_ordered_at ? calendarDay(row.first_ordered_at, deps.timeZone) : null,
  }));
}

/**
 * Every status change, also those after the period: before its first change an account had that
 * change's "from" status, which its status now would not tell. A change to lost carries its exit
 * case: the one it names, else the account's case that ended lost that day.
 */
async function loadChanges(deps: ServiceDeps): Promise<StatusChange[]> {
  const { rows } = await deps.pool.query<ChangeRow>(
    `SELECT c.account_id, c.from_status::text AS from_status, c.to_status::text AS to_status,
            to_char(c.effective_on, 'YYYY-MM-DD') AS effective_on, c.at,
            e.id AS case_id, e.reason::text AS reason, e.currency,
            e.receivables_outstanding, e.receivables_recovered, e.compensation_claimed,
            e.compensation_agreed, e.goods_returned, e.market_gap_loss
       FROM account_status_change c
       LEFT JOIN LATERAL (
         SELECT x.* FROM exit_case x
          WHERE c.to_status = 'lost'
            AND (x.id = c.exit_case_id
                 OR (c.exit_case_id IS NULL AND x.account_id = c.account_id
                     AND x.status = 'lost' AND x.closed_on = c.effective_on))
          ORDER BY x.updated_at DESC, x.id
          LIMIT 1
       ) e ON true`,
  );
  return rows.map((row) => ({
    accountId: row.account_id,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    effectiveOn: row.effective_on,
    recordedAt: row.at,
    exitCase:
      row.case_id === null || row.currency === null
        ? null
        : {
            reason: row.reason,
            currency: row.currency,
            losses: {
              receivablesOutstanding: row.receivables_outstanding,
              receivablesRecovered: row.receivables_recovered,
              compensationClaimed: row.compensation_claimed,
              compensationAgreed: row.compensation_agreed,
              goodsReturned: row.goods_returned,
              marketGapLoss: row.market_gap_loss,
            },
          },
  }));
}

/** The latest loyalty read of every current customer (null: never read). */
async function loadLoyalty(deps: ServiceDeps): Promise<(LoyaltyRead | null)[]> {
  const { rows } = await deps.pool.query<{ loyalty: LoyaltyRead | null }>(
    `SELECT latest.loyalty::text AS loyalty
       FROM account a
       LEFT JOIN LATERAL (
         SELECT i.loyalty FROM interaction i
          WHERE i.account_id = a.id AND i.loyalty IS NOT NULL
          ORDER BY i.occurred_on DESC, i.created_at DESC
          LIMIT 1
       ) latest ON true
      WHERE ${CURRENT_CUSTOMER}`,
  );
  return rows.map((row) => row.loyalty);
}

/** Current customers' revenue per currency since `since` (up to now: orders dated later have not happened). */
/**
 * Key accounts as the latest classification has them (§7: the KEY_REVENUE_SHARE cut of the trailing
 * year's revenue in each account's main currency, or a manager's designation), current customers only.
 */
async function loadKeyAccounts(deps: ServiceDeps): Promise<string[]> {
  const { rows } = await deps.pool.query<{ id: string }>(
    `SELECT a.id FROM account a
       JOIN LATERAL (
         SELECT k.key_basis FROM account_class k
          WHERE k.account_id = a.id ORDER BY k.created_at DESC, k.id DESC LIMIT 1
       ) c ON c.key_basis IS NOT NULL
      WHERE ${CURRENT_CUSTOMER}
      ORDER BY a.id`,
  );
  return rows.map((row) => row.id);
}

async function forViewer(
  deps: ServiceDeps,
  risks: KeyAccountRisk[],
  viewerSlackId: string | undefined,
): Promise<KeyAccountRisk[]> {
  if (viewerSlackId === undefined) return risks;
  const viewer = await deps.roles.viewer(viewerSlackId);
  return risks.map((risk) =>
    seesMargin(viewer, risk.ownerSlackId, deps.roles)
      ? risk
      : { ...risk, reasons: risk.reasons.map(withoutMarginFigures) },
  );
}

async function loadLatestRisk(deps: ServiceDeps, accountIds: readonly string[]): Promise<KeyAccountRisk[]> {
  if (accountIds.length === 0) return [];
  const { rows } = await deps.pool.query<AssessmentRow>(
    `SELECT DISTINCT ON (r.account_id) r.account_id, a.external_id, a.name, a.owner_slack_id,
            r.band::text AS band, r.risk, to_char(r.as_of, 'YYYY-MM-DD') AS as_of, r.reasons
       FROM risk_assessment r JOIN account a ON a.id = r.account_id
      WHERE r.account_id = ANY($1::uuid[])
      ORDER BY r.account_id, r.as_of DESC, r.created_at DESC`,
    [accountIds],
  );
  return rows.map((row) => {
    const reasons = ZSavedReasons.safeParse(row.reasons);
    return {
      accountId: row.account_id,
      externalId: row.external_id,
      name: row.name,
      ownerSlackId: row.owner_slack_id,
      band: row.band,
      risk: row.risk,
      asOf: row.as_of,
      reasons: reasons.success ? reasons.data.map(({ code, text }) => ({ code, text })) : [],
    };
  });
}

/**
 * The report as `viewerSlackId` may see it (§7 roles): the key accounts' reasons that quote margins or
 * profit keep their figures only for those who may see that account's margin. Undefined (the command
 * line, run by whoever runs the database) sees everything.
 */
export async function getChurnReport(
  deps: ServiceDeps,
  input: ChurnReportInput,
  viewerSlackId?: string,
): Promise<ChurnReport> {
  const now = deps.now();
  const today = calendarDay(now, deps.timeZone);
  const [period, previous] = chosenPeriod(input, today);
  const revenueWindow = trailingTwelveMonths(today);
  const [accounts, changes, loyalty, keyIds] = await Promise.all([
    loadAccounts(deps),
    loadChanges(deps),
    loadLoyalty(deps),
    loadKeyAccounts(deps),
  ]);
  const history = churnHistory(accounts, changes);
  const latestRisk = await forViewer(deps, await loadLatestRisk(deps, keyIds), viewerSlackId);
  return {
    timeZone: deps.timeZone,
    today,
    current: periodFigures(history, period),
    previous: previous ? periodFigures(history, previous) : null,
    loyalty: loyaltyMix(loyalty),
    keyAccounts: {
      revenueFrom: revenueWindow.from,
      sharePercent: deps.classification.keyRevenueSharePercent,
      revenueTo: revenueWindow.to,
      keyAccounts: keyIds.length,
      assessed: latestRisk.length,
      atRisk: keyAccountsAtRisk(latestRisk),
    },
  };
}
