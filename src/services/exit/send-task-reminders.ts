// Reminds the owners of overdue exit tasks (case open, task to do or doing, due before today) by
// direct message, at most once a day per task, with a link to the case's message.
import type { webApi } from "@slack/bolt";
import { type ExitTaskNumber, exitTasks } from "../../domain/exit.ts";
import { daysBetween } from "../../domain/interactions.ts";
import { calendarDay } from "../../domain/trends.ts";
import type { SlackMessage } from "../../slack/views/account-card.ts";
import { dateOf } from "../calendar-days.ts";
import type { ServiceDeps } from "../deps.ts";
import { type ReminderRun, remindEachOwner } from "../remind-owners.ts";

export type OverdueTask = {
  taskId: string;
  number: ExitTaskNumber;
  title: string;
  accountName: string;
  /** YYYY-MM-DD */
  dueOn: string;
  daysOverdue: number;
  /** The case's message: a permalink, else its channel (null when it was never posted). */
  link: { permalink: string | null; channelId: string } | null;
};

export type TaskReminderDeps = ServiceDeps & {
  slack: { chat: Pick<webApi.WebClient["chat"], "postMessage" | "getPermalink"> };
};

/** Owners read per page, and tasks claimed per owner per run. */
const PAGE = 500;

type ClaimedRow = {
  id: string;
  number: number;
  dueOn: string;
  /** reminded_on before this claim (YYYY-MM-DD), to give the claim back. */
  previous: string | null;
  accountName: string;
  channelId: string | null;
  messageTs: string | null;
};

async function permalinks(deps: TaskReminderDeps, rows: readonly ClaimedRow[]) {
  const links = new Map<string, string | null>();
  for (const row of rows) {
    if (!row.channelId || !row.messageTs) continue;
    const key = `${row.channelId}/${row.messageTs}`;
    if (links.has(key)) continue;
    const permalink = await deps.slack.chat
      .getPermalink({ channel: row.channelId, message_ts: row.messageTs })
      .then((answer) => answer.permalink ?? null)
      .catch(() => null);
    links.set(key, permalink);
  }
  return links;
}

/** Gives a failed message's claim back: each task to the day it was last reminded. */
async function release(deps: TaskReminderDeps, rows: readonly ClaimedRow[], today: string): Promise<void> {
  const byPrevious = new Map<string | null, string[]>();
  for (const row of rows) byPrevious.set(row.previous, [...(byPrevious.get(row.previous) ?? []), row.id]);
  for (const [previous, ids] of byPrevious)
    await deps.prisma.exitTask.updateMany({
      where: { id: { in: ids }, remindedOn: dateOf(today) },
      data: { remindedOn: previous ? dateOf(previous) : null },
    });
}

/**
 * Claims the owner's overdue tasks by setting reminded_on to today (a conditional UPDATE: another
 * run or instance that claimed them first leaves nothing to match), then sends the message; when
 * sending fails the claim is given back, so the next run tries again.
 */
async function remindOwner(
  deps: TaskReminderDeps,
  input: { owner: string; today: string; render: (tasks: OverdueTask[]) => SlackMessage },
): Promise<number> {
  const { owner, today } = input;
  const claimed = await deps.prisma.$queryRaw<ClaimedRow[]>`
    WITH due AS (
      SELECT t.id, t.reminded_on AS previous
        FROM exit_task t JOIN exit_case c ON c.id = t.case_id
       WHERE t.owner_slack_id = ${owner} AND c.status = 'open' AND t.status IN ('todo', 'doing')
         AND t.due_on < ${today}::date AND (t.reminded_on IS NULL OR t.reminded_on < ${today}::date)
       ORDER BY t.due_on, t.id
       LIMIT ${PAGE}
       FOR UPDATE OF t
    )
    UPDATE exit_task t SET reminded_on = ${today}::date
      FROM due, exit_case c, account a
     WHERE t.id = due.id AND c.id = t.case_id AND a.id = c.account_id
       AND (t.reminded_on IS NULL OR t.reminded_on < ${today}::date)
    RETURNING t.id, t.number, to_char(t.due_on, 'YYYY-MM-DD') AS "dueOn",
              to_char(due.previous, 'YYYY-MM-DD') AS previous, a.name AS "accountName",
              c.channel_id AS "channelId", c.message_ts AS "messageTs"`;
  if (claimed.length === 0) return 0;
  try {
    const links = await permalinks(deps, claimed);
    const rows = [...claimed].sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.number - b.number);
    const tasks = rows.map((row): OverdueTask => {
      const number = row.number as ExitTaskNumber;
      return {
        taskId: row.id,
        number,
        title: exitTasks[number].title,
        accountName: row.accountName,
        dueOn: row.dueOn,
        daysOverdue: daysBetween(row.dueOn, today),
        link:
          row.channelId && row.messageTs
            ? { permalink: links.get(`${row.channelId}/${row.messageTs}`) ?? null, channelId: row.channelId }
            : null,
      };
    });
    await deps.slack.chat.postMessage({ channel: owner, ...input.render(tasks) });
  } catch (error) {
    await release(deps, claimed, today);
    throw error;
  }
  return claimed.length;
}

export async function sendExitTaskReminders(
  deps: TaskReminderDeps,
  input: { now: Date; render: (tasks: OverdueTask[]) => SlackMessage },
): Promise<ReminderRun> {
  const today = calendarDay(input.now, deps.timeZone);
  const run = await remindEachOwner({
    ownersAfter: async (after, limit) => {
      const rows = await deps.prisma.$queryRaw<{ owner: string }[]>`
        SELECT DISTINCT t.owner_slack_id AS owner
          FROM exit_task t JOIN exit_case c ON c.id = t.case_id
         WHERE c.status = 'open' AND t.status IN ('todo', 'doing') AND t.due_on < ${today}::date
           AND (t.reminded_on IS NULL OR t.reminded_on < ${today}::date) AND t.owner_slack_id > ${after}
         ORDER BY owner
         LIMIT ${limit}`;
      return rows.map((row) => row.owner);
    },
    remind: (owner) => remindOwner(deps, { owner, today, render: input.render }),
    pageSize: PAGE,
    logger: deps.logger,
    what: "exit task reminder",
  });
  deps.logger.info({ ...run, today }, "exit task reminders sent");
  return run;
}
