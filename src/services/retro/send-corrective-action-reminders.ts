// Each owner of open corrective actions due today or overdue gets one direct message a day listing
// them. An action is claimed for the day (remindedOn = today) before the message goes out, and given
// back if Slack refuses it, so a second run or instance the same day sends nothing twice.
import type { webApi } from "@slack/bolt";
import { daysBetween } from "../../domain/interactions.ts";
import { calendarDay } from "../../domain/trends.ts";
import type { SlackMessage } from "../../slack/views/account-card.ts";
import { dateOf } from "../calendar-days.ts";
import type { ServiceDeps } from "../deps.ts";
import { type ReminderRun, remindEachOwner } from "../remind-owners.ts";

export type ActionReminderDeps = ServiceDeps & { slack: Pick<webApi.WebClient, "chat"> };

export type ActionReminderRow = {
  id: string;
  description: string;
  dueOn: string;
  accountName: string;
  daysLate: number;
};

/** Owners per page; actions per owner per day (the rest come the next day). */
const OWNERS_PAGE = 200;
const ACTIONS_PER_OWNER = 20;

type Claimed = Omit<ActionReminderRow, "daysLate"> & { previous: string | null };

async function remindOwner(
  deps: ActionReminderDeps,
  owner: string,
  today: string,
  render: (rows: ActionReminderRow[]) => SlackMessage,
): Promise<number> {
  // FOR UPDATE makes a concurrent run wait for this claim and then find the rows reminded today.
  const claimed = await deps.prisma.$queryRaw<Claimed[]>`
    WITH due AS (
      SELECT id, reminded_on AS previous FROM corrective_action
       WHERE owner_slack_id = ${owner} AND status = 'open' AND due_on <= ${today}::date
         AND (reminded_on IS NULL OR reminded_on < ${today}::date)
       ORDER BY due_on, created_at, id
       LIMIT ${ACTIONS_PER_OWNER}
       FOR UPDATE
    )
    UPDATE corrective_action ca SET reminded_on = ${today}::date
      FROM due, exit_case c, account a
     WHERE ca.id = due.id AND c.id = ca.case_id AND a.id = c.account_id
       AND (ca.reminded_on IS NULL OR ca.reminded_on < ${today}::date)
    RETURNING ca.id, ca.description, to_char(ca.due_on, 'YYYY-MM-DD') AS "dueOn", a.name AS "accountName",
              to_char(due.previous, 'YYYY-MM-DD') AS previous`;
  if (claimed.length === 0) return 0;
  const rows = claimed.map(({ previous: _previous, ...row }) => ({
    ...row,
    daysLate: daysBetween(row.dueOn, today),
  }));
  try {
    await deps.slack.chat.postMessage({ channel: owner, ...render(rows) });
  } catch (error) {
    // Give each action back the day it was last reminded, unless something else changed it meanwhile.
    for (const previous of new Set(claimed.map((row) => row.previous)))
      await deps.prisma.correctiveAction.updateMany({
        where: {
          id: { in: claimed.filter((row) => row.previous === previous).map((row) => row.id) },
          remindedOn: dateOf(today),
        },
        data: { remindedOn: previous === null ? null : dateOf(previous) },
      });
    throw error;
  }
  return claimed.length;
}

export async function sendCorrectiveActionReminders(
  deps: ActionReminderDeps,
  now: Date,
  render: (rows: ActionReminderRow[]) => SlackMessage,
): Promise<ReminderRun> {
  const today = calendarDay(now, deps.timeZone);
  const run = await remindEachOwner({
    ownersAfter: async (after, limit) => {
      const rows = await deps.prisma.$queryRaw<{ owner: string }[]>`
        SELECT DISTINCT owner_slack_id AS owner FROM corrective_action
         WHERE status = 'open' AND due_on <= ${today}::date
           AND (reminded_on IS NULL OR reminded_on < ${today}::date) AND owner_slack_id > ${after}
         ORDER BY owner
         LIMIT ${limit}`;
      return rows.map((row) => row.owner);
    },
    remind: (owner) => remindOwner(deps, owner, today, render),
    pageSize: OWNERS_PAGE,
    logger: deps.logger,
    what: "corrective action reminder",
  });
  deps.logger.info({ ...run, today }, "corrective action reminders sent");
  return run;
}
