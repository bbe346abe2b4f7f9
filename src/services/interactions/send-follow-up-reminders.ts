// Sends each owner one direct message listing their follow-ups due, once per follow-up.
import type { webApi } from "@slack/bolt";
import { daysBetween } from "../../domain/interactions.ts";
import { calendarDay } from "../../domain/trends.ts";
import { buildFollowUpReminder, type ReminderItem } from "../../slack/views/follow-up-reminder.ts";
import type { ServiceDeps } from "../deps.ts";
import { type ReminderRun, remindEachOwner } from "../remind-owners.ts";

export type ReminderDeps = ServiceDeps & { slack: Pick<webApi.WebClient, "chat"> };

/** Owners read per page, and follow-ups claimed per owner per run. */
const PAGE = 500;

type ClaimedRow = { id: string; description: string; dueOn: string; accountName: string };

/**
 * Claims the owner's due follow-ups (a conditional UPDATE: rows another run or instance claimed
 * first no longer match; FOR UPDATE without SKIP LOCKED waits for that claim to commit instead of
 * splitting one owner's rows over two messages), then sends the message; if sending fails the claim is released, so the
 * next run tries again. A crash between claim and send loses that one reminder: the follow-ups
 * still show on the owner's Home tab, and a reminder is never sent twice.
 */
async function remindOwner(deps: ReminderDeps, owner: string, today: string, now: Date): Promise<number> {
  const claimed = await deps.prisma.$queryRaw<ClaimedRow[]>`
    WITH due AS (
      SELECT id FROM follow_up
      WHERE owner_slack_id = ${owner} AND done_at IS NULL AND reminded_at IS NULL AND due_on <= ${today}::date
      ORDER BY due_on, created_at, id
      LIMIT ${PAGE}
      FOR UPDATE
    )
    UPDATE follow_up f SET reminded_at = ${now}
    FROM due, account a
    WHERE f.id = due.id AND a.id = f.account_id AND f.reminded_at IS NULL
    RETURNING f.id, f.description, to_char(f.due_on, 'YYYY-MM-DD') AS "dueOn", a.name AS "accountName"`;
  if (claimed.length === 0) return 0;
  const items: ReminderItem[] = claimed.map((row) => ({ ...row, daysLate: daysBetween(row.dueOn, today) }));
  try {
    await deps.slack.chat.postMessage({ channel: owner, ...buildFollowUpReminder(items) });
  } catch (error) {
    await deps.prisma.followUp.updateMany({
      where: { id: { in: claimed.map((row) => row.id) }, remindedAt: now },
      data: { remindedAt: null },
    });
    throw error;
  }
  return claimed.length;
}

/** Follow-ups due today or earlier (in the configured time zone), not done and not reminded yet. */
export async function sendFollowUpReminders(deps: ReminderDeps, now: Date): Promise<ReminderRun> {
  const today = calendarDay(now, deps.timeZone);
  const run = await remindEachOwner({
    ownersAfter: async (after, limit) => {
      const rows = await deps.prisma.$queryRaw<{ owner: string }[]>`
        SELECT DISTINCT owner_slack_id AS owner FROM follow_up
        WHERE done_at IS NULL AND reminded_at IS NULL AND due_on <= ${today}::date AND owner_slack_id > ${after}
        ORDER BY owner
        LIMIT ${limit}`;
      return rows.map((row) => row.owner);
    },
    remind: (owner) => remindOwner(deps, owner, today, now),
    pageSize: PAGE,
    logger: deps.logger,
    what: "follow-up reminder",
  });
  deps.logger.info({ ...run, today }, "follow-up reminders sent");
  return run;
}
