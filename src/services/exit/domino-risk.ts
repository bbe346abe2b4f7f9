// Tasks 2 and 3: the other customers at domino risk of a leaving one — same segment (and region),
// shared contacts, linked partners, already at high risk — ranked, with any outreach this case logged.
import { type DominoCandidate, type RankedDomino, rankDominoRisk } from "../../domain/domino.ts";
import type { Band } from "../../domain/risk/score.ts";
import { calendarDay } from "../../domain/trends.ts";
import { dayOf } from "../calendar-days.ts";
import type { ServiceDeps } from "../deps.ts";
import { openCaseAccount } from "./open-case.ts";

export type DominoOutreach = { taskNumber: 2 | 3; contactedBy: string; contactedOn: string };

export type DominoAccount = RankedDomino & {
  /** Outreach to this account logged on this case, oldest first. */
  outreach: DominoOutreach[];
};

export type DominoList = {
  caseId: string;
  leaving: { id: string; name: string };
  shown: DominoAccount[];
  /** Accounts at domino risk beyond those shown. */
  more: number;
};

type CandidateRow = {
  id: string;
  name: string;
  owner_slack_id: string | null;
  band: Band | null;
  same_segment: string | null;
  same_region: string | null;
  shared_contacts: string[] | null;
  linked: boolean;
  link_notes: string[] | null;
};

// Contacts match on the e-mail, or on the name together with the phone's digits; the other
// account's contact must still be there (no end date, or one after today). Segments and regions
// compare trimmed and case-insensitively. The latest assessment is read per account by its index.
const CANDIDATES_SQL = `
WITH leaving AS (
  SELECT id, nullif(lower(btrim(segment)), '') AS segment, nullif(lower(btrim(region)), '') AS region,
         btrim(segment) AS segment_shown, btrim(region) AS region_shown
  FROM account WHERE id = $1
),
mine AS (
  SELECT nullif(lower(btrim(email)), '') AS email, lower(btrim(name)) AS name,
         nullif(regexp_replace(coalesce(phone, ''), '\\D', '', 'g'), '') AS phone
  FROM contact WHERE account_id = $1
),
shared AS (
  SELECT c.account_id, array_agg(DISTINCT c.name ORDER BY c.name) AS names
  FROM contact c
  WHERE c.account_id <> $1
    AND (c.ended_on IS NULL OR c.ended_on > $2::date)
    AND EXISTS (
      SELECT 1 FROM mine m
      WHERE m.email = lower(btrim(c.email))
         OR (m.phone = regexp_replace(coalesce(c.phone, ''), '\\D', '', 'g') AND m.name = lower(btrim(c.name))))
  GROUP BY c.account_id
),
links AS (
  SELECT CASE WHEN k.account_id = $1 THEN k.linked_id ELSE k.account_id END AS account_id,
         array_remove(array_agg(k.note ORDER BY k.created_at), NULL) AS notes
  FROM account_link k
  WHERE k.account_id = $1 OR k.linked_id = $1
  GROUP BY 1
)
SELECT a.id, a.name, a.owner_slack_id, r.band,
       CASE WHEN lower(btrim(a.segment)) = l.segment THEN l.segment_shown END AS same_segment,
       CASE WHEN lower(btrim(a.segment)) = l.segment AND lower(btrim(a.region)) = l.region
            THEN l.region_shown END AS same_region,
       s.names AS shared_contacts,
       k.account_id IS NOT NULL AS linked,
       k.notes AS link_notes
FROM account a
CROSS JOIN leaving l
LEFT JOIN shared s ON s.account_id = a.id
LEFT JOIN links k ON k.account_id = a.id
LEFT JOIN LATERAL (
  SELECT band::text AS band FROM risk_assessment
  WHERE account_id = a.id ORDER BY as_of DESC, created_at DESC LIMIT 1
) r ON true
WHERE a.id <> l.id
  AND a.status <> 'lost'
  AND (s.account_id IS NOT NULL
       OR k.account_id IS NOT NULL
       OR lower(btrim(a.segment)) = l.segment
       OR r.band IN ('high', 'critical'))`;

function candidateOf(row: CandidateRow): DominoCandidate {
  return {
    accountId: row.id,
    name: row.name,
    ownerSlackId: row.owner_slack_id,
    band: row.band,
    sameSegment: row.same_segment,
    sameRegion: row.same_region,
    sharedContacts: row.shared_contacts ?? [],
    link: row.linked ? { notes: row.link_notes ?? [] } : null,
  };
}

/** The accounts at domino risk of an open case's leaving account, the first `limit` of them ranked. */
export async function findDominoRisk(
  deps: ServiceDeps,
  input: { caseId: string; limit: number },
): Promise<DominoList> {
  const leaving = await openCaseAccount(deps, input.caseId);
  const today = calendarDay(deps.now(), deps.timeZone);
  const { rows } = await deps.pool.query<CandidateRow>(CANDIDATES_SQL, [leaving.id, today]);
  const ranking = rankDominoRisk(rows.map(candidateOf), input.limit);
  const outreach = await deps.prisma.exitOutreach.findMany({
    where: { caseId: input.caseId, accountId: { in: ranking.shown.map((account) => account.accountId) } },
    orderBy: [{ contactedOn: "asc" }, { createdAt: "asc" }],
    select: { accountId: true, taskNumber: true, contactedBy: true, contactedOn: true },
  });
  return {
    caseId: input.caseId,
    leaving,
    shown: ranking.shown.map((account) => ({
      ...account,
      outreach: outreach
        .filter((entry) => entry.accountId === account.accountId)
        .map((entry) => ({
          taskNumber: entry.taskNumber as 2 | 3,
          contactedBy: entry.contactedBy,
          contactedOn: dayOf(entry.contactedOn),
        })),
    })),
    more: ranking.more,
  };
}
