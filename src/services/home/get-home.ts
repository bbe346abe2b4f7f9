// Loads one rep's App Home: their accounts by longest without contact, open complaints by urgency,
// follow-ups due this week and recent signs on their accounts; one page of each, with full counts.
import type { AccountStatus } from "../../domain/account-card.ts";
import { byUrgency } from "../../domain/cadence.ts";
import type { ClassFields } from "../../domain/classification.ts";
import {
  awaitsResolution,
  type ComplaintCategory,
  type ComplaintStatus,
  complaintAge,
  complaintStatuses,
  type Severity,
} from "../../domain/complaints.ts";
import {
  addDays,
  clampPage,
  endOfWeek,
  firstPages,
  HOME_KEY_CARE_ROWS,
  HOME_PAGE_SIZE,
  HOME_SIGN_DAYS,
  type HomeAccount,
  type HomeComplaint,
  type HomeData,
  type HomePages,
  type HomeSection,
} from "../../domain/home.ts";
import { daysBetween } from "../../domain/interactions.ts";
import { calendarDay } from "../../domain/trends.ts";
import type { ServiceDeps } from "../deps.ts";
import { loadKeyAccountCare } from "../key-care/key-account-care.ts";

export type GetHomeInput = {
  userId: string;
  /** Page of each section to show; missing ones show their first page. */
  pages?: Partial<HomePages>;
};

/** A `@db.Date` value as Prisma returns it (midnight UTC) back to its calendar day. */
function dateOnly(value: Date): string {
  return value.toISOString().slice(0, 10);
}

function utcDay(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

/**
 * Open complaints of one owner, each with the instant its response clock started (created, or the
 * latest reopening) and its target in days. $1 owner, $2..$5 targets (critical, high, medium, low).
 */
const OPEN_COMPLAINTS = `
  SELECT c.id, c.account_id, c.category::text AS category, c.severity::text AS severity,
         c.status::text AS status, c.description, c.created_at,
         r.reopened_at,
         greatest(c.created_at, coalesce(r.reopened_at, c.created_at)) AS since,
         CASE c.severity WHEN 'critical' THEN $2::int WHEN 'high' THEN $3::int
                         WHEN 'medium' THEN $4::int ELSE $5::int END AS target_days
  FROM complaint c
  LEFT JOIN LATERAL (
    SELECT max(e.at) AS reopened_at FROM complaint_event e
    WHERE e.complaint_id = c.id AND e.to_status = 'reopened'
  ) r ON true
  WHERE c.owner_slack_id = $1 AND c.status <> 'confirmed'`;

type ComplaintRow = {
  id: string;
  category: ComplaintCategory;
  severity: Severity;
  status: ComplaintStatus;
  description: string;
  created_at: Date;
  reopened_at: Date | null;
  since: Date;
  account_name: string;
};

type AccountRow = {
  id: string;
  name: string;
  status: AccountStatus;
  last_contact_on: string | null;
  key_basis: ClassFields["keyBasis"];
  face: ClassFields["face"];
  relationship: ClassFields["relationship"] | null;
  loyalty: ClassFields["loyalty"];
  loyalty_direction: ClassFields["loyaltyDirection"];
};

export async function getHome(deps: ServiceDeps, input: GetHomeInput): Promise<HomeData> {
  const { userId } = input;
  const now = deps.now();
  const today = calendarDay(now, deps.timeZone);
  const weekEndsOn = endOfWeek(today);
  const targets = deps.responseTargets;
  const targetParams = [targets.critical, targets.high, targets.medium, targets.low];
  const awaiting = complaintStatuses.filter(awaitsResolution);
  const followUpsDue = { ownerSlackId: userId, doneAt: null, dueOn: { lte: utcDay(weekEndsOn) } };
  const recentSigns = {
    account: { ownerSlackId: userId },
    observedOn: { gte: utcDay(addDays(today, -HOME_SIGN_DAYS)) },
  };

  // Counts first: they clamp the pages asked for (a list may have shrunk since the view was built).
  const [accountTotal, complaintCounts, followUpTotal, followUpOverdue, signTotal] = await Promise.all([
    deps.prisma.account.count({ where: { ownerSlackId: userId } }),
    deps.pool.query<{ total: number; overdue: number }>(
      // Overdue exactly as complaintAge counts it: whole days since the clock started beyond the target.
      `SELECT count(*)::int AS total,
              count(*) FILTER (
                WHERE status = ANY($6::text[])
                  AND since + make_interval(hours => 24 * (target_days + 1)) <= $7
              )::int AS overdue
       FROM (${OPEN_COMPLAINTS}) open`,
      [userId, ...targetParams, awaiting, now],
    ),
    deps.prisma.followUp.count({ where: followUpsDue }),
    deps.prisma.followUp.count({ where: { ...followUpsDue, dueOn: { lt: utcDay(today) } } }),
    deps.prisma.warningSign.count({ where: recentSigns }),
  ]);
  const complaintTotal = complaintCounts.rows[0]?.total ?? 0;
  const totals: Record<HomeSection, number> = {
    accounts: accountTotal,
    complaints: complaintTotal,
    followUps: followUpTotal,
    signs: signTotal,
  };
  const pages = { ...firstPages, ...input.pages };
  const page = (section: HomeSection) => clampPage(pages[section], totals[section], HOME_PAGE_SIZE[section]);
  const window = (section: HomeSection) => ({
    take: HOME_PAGE_SIZE[section],
    skip: page(section) * HOME_PAGE_SIZE[section],
  });

  const [accountRows, complaintRows, followUps, signs, keyCare] = await Promise.all([
    accountTotal === 0
      ? { rows: [] as AccountRow[] }
      : deps.pool.query<AccountRow>(
          // Those still to keep first (lost and blacklisted ones were let go), the longest without contact first.
          `SELECT a.id, a.name, a.status::text AS status,
                  to_char(last.occurred_on, 'YYYY-MM-DD') AS last_contact_on,
                  cls.key_basis, cls.face, cls.relationship, cls.loyalty, cls.loyalty_direction
           FROM account a
           LEFT JOIN LATERAL (
             SELECT i.occurred_on FROM interaction i
             WHERE i.account_id = a.id ORDER BY i.occurred_on DESC LIMIT 1
           ) last ON true
           LEFT JOIN LATERAL (
             SELECT c.key_basis::text AS key_basis, c.face::text AS face, c.relationship::text AS relationship,
                    c.loyalty::text AS loyalty, c.loyalty_direction::text AS loyalty_direction
             FROM account_class c
             WHERE c.account_id = a.id ORDER BY c.created_at DESC, c.id DESC LIMIT 1
           ) cls ON true
           WHERE a.owner_slack_id = $1
           ORDER BY a.status IN ('lost', 'blacklisted'), last.occurred_on ASC NULLS FIRST, a.name, a.id
           LIMIT $2 OFFSET $3`,
          [userId, window("accounts").take, window("accounts").skip],
        ),
    complaintTotal === 0
      ? { rows: [] as ComplaintRow[] }
      : deps.pool.query<ComplaintRow>(
          // Still being worked on first, by when they are (or were) due; resolved ones wait for the customer.
          `SELECT open.*, a.name AS account_name
           FROM (${OPEN_COMPLAINTS}) open JOIN account a ON a.id = open.account_id
           ORDER BY open.status = 'resolved',
                    open.since + make_interval(hours => 24 * open.target_days), open.id
           LIMIT $6 OFFSET $7`,
          [userId, ...targetParams, window("complaints").take, window("complaints").skip],
        ),
    followUpTotal === 0
      ? []
      : deps.prisma.followUp.findMany({
          where: followUpsDue,
          orderBy: [{ dueOn: "asc" }, { createdAt: "asc" }, { id: "asc" }],
          ...window("followUps"),
          select: { id: true, description: true, dueOn: true, account: { select: { name: true } } },
        }),
    signTotal === 0
      ? []
      : deps.prisma.warningSign.findMany({
          where: recentSigns,
          orderBy: [{ observedOn: "desc" }, { createdAt: "desc" }, { id: "asc" }],
          ...window("signs"),
          select: {
            observedOn: true,
            kind: true,
            details: true,
            competitorName: true,
            account: { select: { name: true } },
          },
        }),
    accountTotal === 0 ? [] : loadKeyAccountCare(deps, { ownerSlackId: userId }, today, deps.timeZone),
  ]);

  return {
    userId,
    today,
    weekEndsOn,
    accounts: {
      items: accountRows.rows.map(
        (row): HomeAccount => ({
          id: row.id,
          name: row.name,
          status: row.status,
          lastContactOn: row.last_contact_on,
          daysSinceContact: row.last_contact_on === null ? null : daysBetween(row.last_contact_on, today),
          classification:
            row.relationship === null
              ? null
              : {
                  keyBasis: row.key_basis,
                  face: row.face,
                  relationship: row.relationship,
                  loyalty: row.loyalty,
                  loyaltyDirection: row.loyalty_direction,
                },
        }),
      ),
      page: page("accounts"),
      pageSize: HOME_PAGE_SIZE.accounts,
      total: accountTotal,
    },
    complaints: {
      items: complaintRows.rows.map(
        (row): HomeComplaint => ({
          id: row.id,
          accountName: row.account_name,
          category: row.category,
          severity: row.severity,
          status: row.status,
          description: row.description,
          // Only the reader's own complaints are listed.
          ownerSlackId: userId,
          reopened: row.reopened_at !== null && row.since.getTime() === row.reopened_at.getTime(),
          age: complaintAge({ severity: row.severity, status: row.status, since: row.since }, now, targets),
        }),
      ),
      page: page("complaints"),
      pageSize: HOME_PAGE_SIZE.complaints,
      total: complaintTotal,
      overdue: complaintCounts.rows[0]?.overdue ?? 0,
    },
    followUps: {
      items: followUps.map((followUp) => {
        const dueOn = dateOnly(followUp.dueOn);
        return {
          id: followUp.id,
          accountName: followUp.account.name,
          description: followUp.description,
          dueOn,
          daysLate: daysBetween(dueOn, today),
        };
      }),
      page: page("followUps"),
      pageSize: HOME_PAGE_SIZE.followUps,
      total: followUpTotal,
      overdue: followUpOverdue,
    },
    signs: {
      items: signs.map((sign) => ({
        accountName: sign.account.name,
        observedOn: dateOnly(sign.observedOn),
        kind: sign.kind,
        details: sign.details,
        competitorName: sign.competitorName,
      })),
      page: page("signs"),
      pageSize: HOME_PAGE_SIZE.signs,
      total: signTotal,
    },
    keyCare: {
      items: [...keyCare].sort(byUrgency).slice(0, HOME_KEY_CARE_ROWS),
      total: keyCare.length,
      overdue: keyCare.filter((care) => (care.cadence?.overdueDays ?? 0) > 0).length,
    },
  };
}
