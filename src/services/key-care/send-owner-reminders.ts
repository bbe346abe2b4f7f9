// Sends each owner of key accounts one direct message at OWNER_REMINDER_HOUR in their own time zone:
// accounts past their contact cadence and key dates ahead, each once (OwnerReminder rows de-duplicate).
import type { webApi } from "@slack/bolt";
import type { KeyDateKind } from "../../domain/key-dates.ts";
import { calendarDay } from "../../domain/trends.ts";
import {
  buildOwnerReminder,
  byReminderUrgency,
  MAX_REMINDER_ACCOUNTS,
  type OwnerReminderAccount,
  type OwnerReminderItem,
} from "../../slack/views/owner-reminder.ts";
import type { ServiceDeps } from "../deps.ts";
import { type ReminderRun, remindEachOwner } from "../remind-owners.ts";
import { type KeyAccountCare, loadKeyAccountCare, touchFor } from "./key-account-care.ts";
import { localHour, slackUserInfo } from "./owner-time-zone.ts";

export type OwnerReminderDeps = ServiceDeps & { slack: Pick<webApi.WebClient, "chat" | "users"> };

type ReminderKind = "cadence" | KeyDateKind;

/** Owners read per page. */
const PAGE = 500;
/** A claimed reminder whose message failed is retried at any hour for this long, then at the owner's hour. */
const RETRY_MS = 12 * 60 * 60 * 1000;

type Due = { care: KeyAccountCare; item: OwnerReminderItem };

function dueItems(cares: readonly KeyAccountCare[]): Due[] {
  const due: Due[] = [];
  for (const care of cares) {
    if (care.cadence && care.cadence.overdueDays > 0) {
      const cadence = care.cadence;
      due.push({
        care,
        item: {
          kind: "cadence",
          subject: "",
          occasionOn: cadence.overdueOn,
          cadence,
          touch: touchFor(care, { kind: "cadence" }),
        },
      });
    }
    for (const keyDate of care.keyDates) {
      due.push({
        care,
        item: {
          kind: keyDate.kind,
          subject: keyDate.subject,
          occasionOn: keyDate.occasionOn,
          keyDate,
          touch: touchFor(care, keyDate),
        },
      });
    }
  }
  return due;
}

const keyOf = (accountId: string, kind: ReminderKind, subject: string, occasionOn: string) =>
  `${accountId}|${kind}|${subject}|${occasionOn}`;

/**
 * One owner: at their local hour (or to retry a recent failure), their due reminders are claimed as
 * OwnerReminder rows (the unique key makes a second claim of the same occasion a no-op), the unsent ones
 * go out in one message, then are marked sent. If the message fails they stay unsent and are retried.
 */
async function remindOwner(deps: OwnerReminderDeps, owner: string, now: Date): Promise<number> {
  const user = await slackUserInfo(deps, owner, now);
  if (user.deleted) {
    deps.logger.info({ owner }, "owner is deactivated in Slack: no key-account reminders");
    return 0;
  }
  const onTime = localHour(now, user.timeZone) === deps.keyCare.reminderHour;
  const retrying = await deps.prisma.ownerReminder.count({
    where: { ownerSlackId: owner, sentAt: null, createdAt: { gt: new Date(now.getTime() - RETRY_MS) } },
  });
  if (!onTime && retrying === 0) return 0;
  const today = calendarDay(now, user.timeZone);
  const due = dueItems(await loadKeyAccountCare(deps, { ownerSlackId: owner }, today, user.timeZone));
  if (due.length === 0) return 0;
  if (onTime) {
    await deps.pool.query(
      `INSERT INTO owner_reminder (id, account_id, kind, subject, occasion_on, owner_slack_id, created_at)
       SELECT gen_random_uuid(), d.account_id, d.kind::"OwnerReminderKind", d.subject, d.occasion_on, $5, $6
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::date[]) AS d(account_id, kind, subject, occasion_on)
       ON CONFLICT (kind, account_id, subject, occasion_on) DO NOTHING`,
      [
        due.map((d) => d.care.accountId),
        due.map((d) => d.item.kind),
        due.map((d) => d.item.subject),
        due.map((d) => d.item.occasionOn),
        owner,
        now,
      ],
    );
  }
  // What this owner claimed and has not been sent yet, of what is due today: stale claims (a contact
  // logged since, a date gone by) are left alone.
  const unsent = await deps.pool.query<{ id: string; key: string }>(
    `SELECT id, account_id || '|' || kind::text || '|' || subject || '|' || to_char(occasion_on, 'YYYY-MM-DD') AS key
     FROM owner_reminder
     WHERE owner_slack_id = $1 AND sent_at IS NULL AND account_id = ANY($2::uuid[])`,
    [owner, [...new Set(due.map((d) => d.care.accountId))]],
  );
  const idByKey = new Map(unsent.rows.map((row) => [row.key, row.id]));
  const toSend = due.filter((d) =>
    idByKey.has(keyOf(d.care.accountId, d.item.kind, d.item.subject, d.item.occasionOn)),
  );
  if (toSend.length === 0) return 0;
  const accounts = new Map<string, OwnerReminderAccount>();
  for (const { care, item } of toSend) {
    const account = accounts.get(care.accountId) ?? {
      accountId: care.accountId,
      accountName: care.accountName,
      face: care.face,
      lastInteraction: care.lastInteraction,
      items: [],
    };
    account.items.push(item);
    accounts.set(care.accountId, account);
  }
  // One message holds so many accounts: the rest stay unsent, so the next hourly run sends them.
  const ranked = byReminderUrgency([...accounts.values()]);
  const shown = ranked.slice(0, MAX_REMINDER_ACCOUNTS);
  await deps.slack.chat.postMessage({
    channel: owner,
    ...buildOwnerReminder(shown, today, ranked.length - shown.length),
  });
  const shownIds = new Set(shown.map((account) => account.accountId));
  const ids = toSend
    .filter((d) => shownIds.has(d.care.accountId))
    .map((d) => idByKey.get(keyOf(d.care.accountId, d.item.kind, d.item.subject, d.item.occasionOn)) ?? "");
  await deps.prisma.ownerReminder.updateMany({
    where: { id: { in: ids }, sentAt: null },
    data: { sentAt: now },
  });
  return ids.length;
}

/**
 * Hourly: every owner of a cared-for key account, and every owner with a recent unsent reminder, is
 * looked at; those whose local hour is OWNER_REMINDER_HOUR (or who have a failure to retry) are messaged.
 * Owners fail independently: one failing DM does not hold back the others.
 */
export async function sendOwnerReminders(deps: OwnerReminderDeps, now: Date): Promise<ReminderRun> {
  const run = await remindEachOwner({
    ownersAfter: async (after, limit) => {
      const { rows } = await deps.pool.query<{ owner: string }>(
        `SELECT owner FROM (
           SELECT a.owner_slack_id AS owner FROM account a
           JOIN LATERAL (
             SELECT k.key_basis FROM account_class k
             WHERE k.account_id = a.id ORDER BY k.created_at DESC, k.id DESC LIMIT 1
           ) c ON c.key_basis IS NOT NULL
           WHERE a.owner_slack_id IS NOT NULL AND a.status IN ('active', 'at_risk')
           UNION
           SELECT owner_slack_id FROM owner_reminder WHERE sent_at IS NULL AND created_at > $3
         ) owners
         WHERE owner > $1 ORDER BY owner LIMIT $2`,
        [after, limit, new Date(now.getTime() - RETRY_MS)],
      );
      return rows.map((row) => row.owner);
    },
    remind: (owner) => remindOwner(deps, owner, now),
    pageSize: PAGE,
    logger: deps.logger,
    what: "key-account reminder",
  });
  deps.logger.info(run, "key-account reminders sent");
  return run;
}
