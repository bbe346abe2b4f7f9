// The exit case's message (§5): the account, why it leaves, and the six tasks with owner, due day,
// status and their buttons; plus the lines posted in its thread when something changes.
import type { types } from "@slack/bolt";
import { z } from "zod";
import {
  churnReasonLabel,
  exitTaskStatuses,
  exitTaskStatusLabel,
  exitTasks,
  isTaskFinished,
} from "../../domain/exit.ts";
import type { ExitRenderers } from "../../services/exit/exit-message.ts";
import type { ExitCaseDetails, ExitTaskDetails } from "../../services/exit/get-exit-case.ts";
import { ids } from "../ids.ts";
import type { SlackMessage } from "./account-card.ts";
import { exitTaskProgress } from "./exit-task-progress.ts";
import { channelMention, escapeMrkdwn, oneLine, userMention } from "./mrkdwn.ts";

type KnownBlock = types.KnownBlock;
type Button = types.Button;

export const ZTaskStatusValue = z.object({ taskId: z.uuid(), to: z.enum(exitTaskStatuses) });
export const ZCaseTaskValue = z.object({ caseId: z.uuid(), task: z.union([z.literal(2), z.literal(3)]) });
export const ZCaseIdValue = z.uuid("not a case id");

/** Status buttons: the shared action id plus the status, so ids stay unique within the block. */
export function taskStatusActionId(to: string): string {
  return `${ids.action.exitTaskStatus}:${to}`;
}
export const taskStatusPattern = new RegExp(`^${ids.action.exitTaskStatus}:[a-z_]+$`);

const statusEmoji: Record<ExitTaskDetails["status"], string> = {
  todo: ":white_circle:",
  doing: ":large_blue_circle:",
  done: ":white_check_mark:",
  not_needed: ":heavy_minus_sign:",
};

/** Where the message went instead of the account's channel, and why (set by the poster). */
export type ExitPlacement = { misrouted: { intendedChannelId: string; error: string } | null };

const button = (text: string, actionId: string, value: string, style?: "primary" | "danger"): Button => ({
  type: "button",
  text: { type: "plain_text", text },
  action_id: actionId,
  value,
  ...(style ? { style } : {}),
});

function taskButtons(exitCase: ExitCaseDetails, task: ExitTaskDetails): Button[] {
  const status = (text: string, to: ExitTaskDetails["status"], style?: "primary") =>
    button(text, taskStatusActionId(to), JSON.stringify({ taskId: task.id, to }), style);
  const buttons: Button[] = [];
  const finished = isTaskFinished(task.status);
  switch (task.number) {
    case 1:
      buttons.push(button("Brief", ids.action.exitBrief, exitCase.id));
      if (!finished) buttons.push(button("Record outcome", ids.action.exitOutcome, exitCase.id, "primary"));
      break;
    case 2:
    case 3: {
      const value = JSON.stringify({ caseId: exitCase.id, task: task.number });
      buttons.push(button("Customers at risk", ids.action.exitDomino, value));
      buttons.push(button("Log outreach", ids.action.exitOutreach, value));
      break;
    }
    case 4:
      buttons.push(button("Losses", ids.action.exitLosses, exitCase.id));
      break;
    case 5:
      if (!exitCase.retro) buttons.push(button("Open retrospective", ids.action.exitOpenRetro, exitCase.id));
      break;
    case 6:
      break;
  }
  if (task.status === "todo") buttons.push(status("Start", "doing"));
  if (!finished && (task.number === 2 || task.number === 3 || task.number === 4))
    buttons.push(status("Done", "done", "primary"));
  if (!finished) buttons.push(status("Not needed", "not_needed"));
  if (finished) buttons.push(status("Reopen", "doing"));
  buttons.push(button("Edit", ids.action.exitTaskEdit, task.id));
  return buttons;
}

function taskText(task: ExitTaskDetails, today: string): string {
  const definition = exitTasks[task.number];
  const overdue = !isTaskFinished(task.status) && task.dueOn < today;
  const due = `due ${task.dueOn}${overdue ? " *(overdue)*" : ""}`;
  const lines = [
    `${statusEmoji[task.status]} *${task.number}. ${definition.title}* — ${exitTaskStatusLabel[task.status]} · ${userMention(task.ownerSlackId)} · ${due}`,
    `_${definition.summary}_`,
  ];
  if (task.status === "not_needed" && task.notNeededReason)
    lines.push(`Not needed: ${oneLine(escapeMrkdwn(task.notNeededReason), 300)}`);
  if (task.notes) lines.push(`Notes: ${oneLine(escapeMrkdwn(task.notes), 600)}`);
  return lines.join("\n");
}

function headline(exitCase: ExitCaseDetails): string {
  const name = escapeMrkdwn(exitCase.account.name);
  switch (exitCase.status) {
    case "open":
      return `:door: *${name}* is leaving — exit handling`;
    case "retained":
      return `:tada: *${name}* was retained on ${exitCase.closedOn} — exit handling closed`;
    case "lost":
      return `:wave: *${name}* was lost on ${exitCase.closedOn} — every exit task is finished`;
  }
}

function reasonLines(exitCase: ExitCaseDetails): string[] {
  const lines: string[] = [];
  lines.push(`*Reason:* ${exitCase.reason ? churnReasonLabel[exitCase.reason] : "not recorded yet"}`);
  if (exitCase.surfaceReason)
    lines.push(`*Surface reason:* ${oneLine(escapeMrkdwn(exitCase.surfaceReason), 500)}`);
  if (exitCase.deepReason) lines.push(`*Deep reason:* ${oneLine(escapeMrkdwn(exitCase.deepReason), 500)}`);
  if (exitCase.competitorWon)
    lines.push(`*Competitor won:* ${oneLine(escapeMrkdwn(exitCase.competitorWon), 200)}`);
  if (exitCase.expectedEndOn) lines.push(`*Expected end:* ${exitCase.expectedEndOn}`);
  lines.push(`Started by ${userMention(exitCase.startedBy)} on ${exitCase.startedOn}`);
  return lines;
}

export function buildExitCaseMessage(
  exitCase: ExitCaseDetails,
  options: { today: string; placement?: ExitPlacement },
): SlackMessage {
  const blocks: KnownBlock[] = [
    {
      type: "section",
      text: { type: "mrkdwn", text: headline(exitCase) },
      // Reasons are often found only later (§6), and the reason mix counts closed cases too.
      accessory: button("Edit case", ids.action.exitCaseEdit, exitCase.id),
    },
    { type: "section", text: { type: "mrkdwn", text: reasonLines(exitCase).join("\n") } },
  ];
  const misrouted = options.placement?.misrouted;
  if (misrouted)
    blocks.push({
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: `:warning: Posted here because the bot cannot post in ${channelMention(misrouted.intendedChannelId)} (${misrouted.error}): invite it with \`/invite @Churnwatch\`.`,
        },
      ],
    });
  for (const task of exitCase.tasks) {
    blocks.push({ type: "divider" });
    const text = [taskText(task, options.today), ...exitTaskProgress(exitCase, task)].join("\n");
    blocks.push({ type: "section", text: { type: "mrkdwn", text } });
    if (exitCase.status === "open")
      blocks.push({
        type: "actions",
        block_id: `exit_task_${task.number}`,
        elements: taskButtons(exitCase, task),
      });
  }
  if (exitCase.status === "open")
    blocks.push({
      type: "context",
      elements: [{ type: "mrkdwn", text: "Updates go in this message's thread." }],
    });
  return { text: `${exitCase.account.name}: exit handling (${exitCase.status})`, blocks };
}

/**
 * A change posted in the case's thread: who did what. The update is escaped except for user
 * mentions (`<@U…>`), which services use to name new owners.
 */
export function buildExitUpdate(actorSlackId: string, update: string): SlackMessage {
  const escaped = escapeMrkdwn(oneLine(update, 2500)).replace(/&lt;@([UW][A-Z0-9]+)&gt;/g, "<@$1>");
  const text = `${userMention(actorSlackId)} — ${escaped}`;
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}

/** The case message and its thread lines, for refreshExitCase and postExitCase. */
export const exitRenderers: ExitRenderers = { message: buildExitCaseMessage, update: buildExitUpdate };
