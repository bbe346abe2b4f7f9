// Loads what steady contact with key accounts needs (§7): each key account's cadence status, its last
// interaction and its key dates in the notice window, as of one calendar day, for the card, Home and reminders.
import {
  type CadenceStatus,
  type CustomerFace,
  cadenceLimit,
  cadenceStatus,
  type LastInteraction,
} from "../../domain/cadence.ts";
import { type KeyDate, upcomingKeyDates } from "../../domain/key-dates.ts";
import {
  type InteractionKindName,
  suggestTouch,
  type TouchContext,
  type TouchOccasion,
} from "../../domain/suggested-touch.ts";
import { calendarDay } from "../../domain/trends.ts";
import type { ServiceDeps } from "../deps.ts";

export type { LastInteraction };

export type KeyAccountCare = {
  accountId: string;
  accountName: string;
  ownerSlackId: string | null;
  face: CustomerFace | null;
  relationship: TouchContext["relationship"];
  /** Null when there is no day to count from (no contact, no order, no class day). */
  cadence: CadenceStatus | null;
  lastInteraction: LastInteraction | null;
  /** From today up to the notice days ahead, soonest first. */
  keyDates: KeyDate[];
};

/** Statuses whose accounts get no cadence nor key-date care: leaving, lost and blacklisted ones. */
const CARED_STATUSES = ["active", "at_risk"];

type CareRow = {
  id: string;
  name: string;
  owner_slack_id: string | null;
  face: CustomerFace | null;
  relationship: TouchContext["relationship"];
  founded_on: string | null;
  key_since: string | null;
  last_on: string | null;
  last_kind: InteractionKindName | null;
  last_summary: string | null;
  first_order_at: Date | null;
};

/**
 * The key accounts (current class: its newest AccountClass row has a key basis) that are cared for,
 * either of one owner or the given accounts. `today` is the calendar day in whichever zone the
 * caller reads (the owner's for reminders); the first order's day is taken in `timeZone`.
 */
export async function loadKeyAccountCare(
  deps: Pick<ServiceDeps, "pool" | "keyCare">,
  input: { ownerSlackId: string } | { accountIds: readonly string[] },
  today: string,
  timeZone: string,
): Promise<KeyAccountCare[]> {
  const byOwner = "ownerSlackId" in input;
  if (!byOwner && input.accountIds.length === 0) return [];
  const { rows } = await deps.pool.query<CareRow>(
    `SELECT a.id, a.name, a.owner_slack_id, c.face::text AS face,
            coalesce(a.relationship_override, c.relationship)::text AS relationship,
            to_char(a.founded_on, 'YYYY-MM-DD') AS founded_on,
            to_char(ks.key_since, 'YYYY-MM-DD') AS key_since,
            to_char(li.occurred_on, 'YYYY-MM-DD') AS last_on, li.kind::text AS last_kind, li.summary AS last_summary,
            fo.first_order_at
     FROM account a
     JOIN LATERAL (
       SELECT k.key_basis, k.face, k.relationship FROM account_class k
       WHERE k.account_id = a.id ORDER BY k.created_at DESC, k.id DESC LIMIT 1
     ) c ON c.key_basis IS NOT NULL
     LEFT JOIN LATERAL (
       -- The day the current run of key classes began: after the newest class that was not key.
       SELECT min(k.from_day) AS key_since FROM account_class k
       WHERE k.account_id = a.id AND k.key_basis IS NOT NULL
         AND k.created_at > coalesce(
           (SELECT max(n.created_at) FROM account_class n WHERE n.account_id = a.id AND n.key_basis IS NULL),
           '-infinity')
     ) ks ON true
     LEFT JOIN LATERAL (
       SELECT i.occurred_on, i.kind, i.summary FROM interaction i
       WHERE i.account_id = a.id ORDER BY i.occurred_on DESC, i.created_at DESC LIMIT 1
     ) li ON true
     LEFT JOIN LATERAL (SELECT min(o.ordered_at) AS first_order_at FROM "order" o WHERE o.account_id = a.id) fo ON true
     WHERE a.status::text = ANY($1::text[])
       AND ${byOwner ? "a.owner_slack_id = $2" : "a.id = ANY($2::uuid[])"}
     ORDER BY a.name, a.id`,
    [CARED_STATUSES, byOwner ? input.ownerSlackId : [...input.accountIds]],
  );
  if (rows.length === 0) return [];
  const birthdays = await deps.pool.query<{ id: string; account_id: string; name: string; birthday: string }>(
    // Current contacts only: one who left gets no birthday wishes from us.
    `SELECT id, account_id, name, to_char(birthday, 'YYYY-MM-DD') AS birthday FROM contact
     WHERE account_id = ANY($1::uuid[]) AND birthday IS NOT NULL AND (ended_on IS NULL OR ended_on > $2::date)
     ORDER BY name, id`,
    [rows.map((row) => row.id), today],
  );
  const { cadenceDays, holidays, noticeDays } = deps.keyCare;
  return rows.map((row): KeyAccountCare => {
    const firstOrderOn = row.first_order_at ? calendarDay(row.first_order_at, timeZone) : null;
    return {
      accountId: row.id,
      accountName: row.name,
      ownerSlackId: row.owner_slack_id,
      face: row.face,
      relationship: row.relationship,
      cadence: cadenceStatus({
        lastContactOn: row.last_on,
        keySince: row.key_since,
        firstOrderOn,
        limitDays: cadenceLimit(cadenceDays, row.face),
        today,
      }),
      lastInteraction:
        row.last_on && row.last_kind
          ? { occurredOn: row.last_on, kind: row.last_kind, summary: row.last_summary ?? "" }
          : null,
      keyDates: upcomingKeyDates({
        today,
        noticeDays,
        contacts: birthdays.rows.filter((contact) => contact.account_id === row.id),
        foundedOn: row.founded_on,
        firstOrderOn,
        holidays,
      }),
    };
  });
}

/** The suggested touch for one occasion of this account. */
export function touchFor(care: KeyAccountCare, occasion: TouchOccasion): string {
  return suggestTouch(occasion, {
    face: care.face,
    relationship: care.relationship,
    lastContactKind: care.lastInteraction?.kind ?? null,
  });
}
