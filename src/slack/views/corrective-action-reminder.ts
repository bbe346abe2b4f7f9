// The direct message reminding an owner of corrective actions due (one Done button each), how a
// finished one reads in it, and the line the retrospective's thread gets when one is done.
import type { types } from "@slack/bolt";
import { ids } from "../ids.ts";
import type { SlackMessage } from "./account-card.ts";
import { dueLine } from "./follow-up-reminder.ts";
import { escapeMrkdwn, oneLine, plural, userMention } from "./mrkdwn.ts";

type KnownBlock = types.KnownBlock;

export type ActionReminderItem = {
  id: string;
  accountName: string;
  description: string;
  /** YYYY-MM-DD */
  dueOn: string;
  /** Days past due (0: due today). */
  daysLate: number;
};

/** Actions in one message (with the headline: 21 blocks of the 50 allowed). */
export const MAX_ACTIONS_PER_REMINDER = 20;

export function correctiveActionBlockId(actionId: string): string {
  return `corrective_action:${actionId}`;
}

function actionText(item: { accountName: string; description: string }): string {
  return `*${escapeMrkdwn(oneLine(item.description, 500))}*\nFrom the retrospective of ${escapeMrkdwn(oneLine(item.accountName, 150))}`;
}

/** Most overdue first. */
export function buildCorrectiveActionReminder(items: readonly ActionReminderItem[]): SlackMessage {
  const shown = [...items]
    .sort((a, b) => b.daysLate - a.daysLate || a.dueOn.localeCompare(b.dueOn) || a.id.localeCompare(b.id))
    .slice(0, MAX_ACTIONS_PER_REMINDER);
  const overdue = shown.filter((item) => item.daysLate > 0).length;
  const headline = `You have ${plural(shown.length, "corrective action")} due${overdue > 0 ? `, ${overdue} overdue` : ""}.`;
  return {
    text: headline,
    blocks: [
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: `:hammer_and_wrench: *${headline}*\nChanges agreed after losing a customer, so the same mistake does not happen again. Press *Done* when one is in place.`,
        },
      },
      ...shown.map(
        (item): KnownBlock => ({
          type: "section",
          block_id: correctiveActionBlockId(item.id),
          text: { type: "mrkdwn", text: `${actionText(item)} · ${dueLine(item)}` },
          accessory: {
            type: "button",
            action_id: ids.action.correctiveActionDone,
            text: { type: "plain_text", text: "Done" },
            style: "primary",
            value: item.id,
          },
        }),
      ),
    ],
  };
}

export type FinishedAction = {
  id: string;
  accountName: string;
  description: string;
  dueOn: string;
  doneBy: string | null;
  /** YYYY-MM-DD */
  doneOn: string | null;
};

/** The reminder's blocks with one action shown done (its button gone), or null when it is not listed. */
export function markActionDoneInReminder<B extends { type: string; block_id?: string | undefined }>(
  blocks: readonly B[],
  action: FinishedAction,
): (B | KnownBlock)[] | null {
  const blockId = correctiveActionBlockId(action.id);
  if (!blocks.some((block) => block.block_id === blockId)) return null;
  const done: KnownBlock = {
    type: "section",
    block_id: blockId,
    text: {
      type: "mrkdwn",
      text: `:white_check_mark: ~${escapeMrkdwn(oneLine(action.description, 500))}~\nDone by ${userMention(action.doneBy)}${action.doneOn ? ` on ${action.doneOn}` : ""} (was due ${action.dueOn})`,
    },
  };
  return blocks.map((block) => (block.block_id === blockId ? done : block));
}

/** Posted in the retrospective's thread when an action is done. */
export function buildActionDoneLine(action: FinishedAction & { ownerSlackId: string }): SlackMessage {
  const text = `:white_check_mark: ${userMention(action.doneBy)} finished a corrective action: *${escapeMrkdwn(oneLine(action.description, 500))}* (owner ${userMention(action.ownerSlackId)}, due ${action.dueOn})`;
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}
