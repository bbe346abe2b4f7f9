// The weekly digest for managers: the accounts most at risk now, and how the week's warnings were answered.
import type { Band } from "../../domain/risk/score.ts";
import type { WarningStatus } from "../../domain/risk/warnings.ts";
import type { ServiceDeps } from "../deps.ts";

/** Rows a digest lists per part; the counts cover everything. */
export const DIGEST_LIST_MAX = 10;
const WEEK_DAYS = 7;

export type DigestAccount = {
  accountId: string;
  name: string;
  externalId: string;
  band: Band;
  risk: number;
  ownerSlackId: string | null;
};

export type DigestWarning = DigestAccount & { warningId: string; asOf: string; status: WarningStatus };

export type WarningDigest = {
  /** First and last scan day the week's warnings come from (inclusive). */
  from: string;
  to: string;
  /** High and critical accounts by their latest assessment, highest risk first, at most DIGEST_LIST_MAX. */
  atRisk: DigestAccount[];
  atRiskTotal: number;
  warnings: { total: number; acknowledged: number; snoozed: number; unacknowledged: number };
  /** Unacknowledged (and not snoozed) warnings of the week, highest risk first, at most DIGEST_LIST_MAX. */
  unacknowledged: DigestWarning[];
};

type AccountRow = {
  account_id: string;
  name: string;
  external_id: string;
  band: Band;
  risk: number;
  owner_slack_id: string | null;
};

const toAccount = (row: AccountRow): DigestAccount => ({
  accountId: row.account_id,
  name: row.name,
  externalId: row.external_id,
  band: row.band,
  risk: row.risk,
  ownerSlackId: row.owner_slack_id,
});

/** The scan day of `now` in the configured time zone, as YYYY-MM-DD. */
function dayIn(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
}

export async function buildWarningDigest(deps: ServiceDeps): Promise<WarningDigest> {
  const to = dayIn(deps.now(), deps.timeZone);
  const fromDate = new Date(`${to}T00:00:00Z`);
  fromDate.setUTCDate(fromDate.getUTCDate() - (WEEK_DAYS - 1));
  const from = fromDate.toISOString().slice(0, 10);

  const [atRisk, counts, unacknowledged] = await Promise.all([
    deps.pool.query<AccountRow & { total: number }>(
      `WITH latest AS (
         SELECT DISTINCT ON (account_id) account_id, band, risk
           FROM risk_assessment
          ORDER BY account_id, as_of DESC, created_at DESC)
       SELECT l.account_id, a.name, a.external_id, l.band, l.risk, a.owner_slack_id,
              (count(*) OVER ())::int AS total
         FROM latest l JOIN account a ON a.id = l.account_id
        WHERE l.band IN ('high', 'critical') AND a.status NOT IN ('lost', 'blacklisted')
        ORDER BY l.risk DESC, a.name, l.account_id
        LIMIT $1`,
      [DIGEST_LIST_MAX],
    ),
    deps.pool.query<{ status: WarningStatus; count: number }>(
      `SELECT status, count(*)::int AS count FROM churn_warning
        WHERE as_of BETWEEN $1::date AND $2::date GROUP BY status`,
      [from, to],
    ),
    deps.pool.query<AccountRow & { id: string; as_of: string; status: WarningStatus }>(
      `SELECT w.id, w.account_id, a.name, a.external_id, w.band, w.risk, a.owner_slack_id,
              to_char(w.as_of, 'YYYY-MM-DD') AS as_of, w.status
         FROM churn_warning w JOIN account a ON a.id = w.account_id
        WHERE w.as_of BETWEEN $1::date AND $2::date AND w.status IN ('pending', 'posted')
        ORDER BY w.risk DESC, w.as_of DESC, w.id
        LIMIT $3`,
      [from, to, DIGEST_LIST_MAX],
    ),
  ]);
  const byStatus = new Map(counts.rows.map((row) => [row.status, row.count]));
  const acknowledged = byStatus.get("acknowledged") ?? 0;
  const snoozed = byStatus.get("snoozed") ?? 0;
  const open = (byStatus.get("posted") ?? 0) + (byStatus.get("pending") ?? 0);
  return {
    from,
    to,
    atRisk: atRisk.rows.map(toAccount),
    atRiskTotal: atRisk.rows[0]?.total ?? 0,
    warnings: { total: acknowledged + snoozed + open, acknowledged, snoozed, unacknowledged: open },
    unacknowledged: unacknowledged.rows.map((row) => ({
      ...toAccount(row),
      warningId: row.id,
      asOf: row.as_of,
      status: row.status,
    })),
  };
}
