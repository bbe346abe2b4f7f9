// The direct message reminding an owner of overdue exit tasks: which task of which customer, how
// late, and where the case's message is.
import type { OverdueTask } from "../../services/exit/send-task-reminders.ts";
import type { SlackMessage } from "./account-card.ts";
import { channelMention, escapeMrkdwn, linesWithin, plural, truncate } from "./mrkdwn.ts";

function caseLink(task: OverdueTask): string {
  if (!task.link) return "the case's message was not posted";
  if (task.link.permalink) return `<${task.link.permalink}|open the case>`;
  return `case in ${channelMention(task.link.channelId)}`;
}

/** Most overdue first. */
export function buildExitTaskReminder(tasks: readonly OverdueTask[]): SlackMessage {
  const sorted = [...tasks].sort(
    (a, b) =>
      b.daysOverdue - a.daysOverdue || a.accountName.localeCompare(b.accountName) || a.number - b.number,
  );
  const headline = `${plural(sorted.length, "exit task")} of yours ${sorted.length === 1 ? "is" : "are"} overdue.`;
  const lines = sorted.map(
    (task) =>
      `• *${escapeMrkdwn(truncate(task.accountName, 150))}* — ${task.number}. ${task.title} · ` +
      `due ${task.dueOn}, ${plural(task.daysOverdue, "day")} overdue · ${caseLink(task)}`,
  );
  const text = linesWithin(`:alarm_clock: *${headline}*`, lines, 0, (n) => `…and ${n} more.`);
  const first = sorted[0];
  return {
    text: first
      ? `${headline} ${escapeMrkdwn(truncate(first.accountName, 150))}: ${first.number}. ${first.title}${sorted.length > 1 ? " …" : ""}`
      : headline,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text } },
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: "Update the task on the case's message: Start, Done, Not needed, or Edit for a new due date.",
          },
        ],
      },
    ],
  };
}
