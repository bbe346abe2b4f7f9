// The direct message reminding an owner of follow-ups due, one Done button each, and how a done one reads in it.
import type { types } from "@slack/bolt";
import { ids } from "../ids.ts";
import { escapeMrkdwn, plural, truncate, userMention } from "./mrkdwn.ts";

type KnownBlock = types.KnownBlock;

export type ReminderItem = {
  id: string;
  accountName: string;
  description: string;
  /** YYYY-MM-DD */
  dueOn: string;
  /** Days past due (0: due today). */
  daysLate: number;
};

/**
 * Follow-ups listed in one message: with the intro and the "more" line that is 22 blocks, well
 * inside the 50 a message may have; the rest are on the Home tab.
 */
export const MAX_REMINDER_ITEMS = 20;

/** Each follow-up's block is found again by this id when its Done button is clicked. */
export function followUpBlockId(followUpId: string): string {
  return `follow_up:${followUpId}`;
}

function what(item: { accountName: string; description: string }): string {
  return `*${escapeMrkdwn(truncate(item.accountName, 150))}* — ${escapeMrkdwn(truncate(item.description, 500))}`;
}

export function dueLine(item: { dueOn: string; daysLate: number }): string {
  if (item.daysLate > 0) return `Due ${item.dueOn} · :warning: overdue by ${plural(item.daysLate, "day")}`;
  return `Due today (${item.dueOn})`;
}

/** Most overdue first: the order the owner should work through them. */
export function buildFollowUpReminder(items: readonly ReminderItem[]): {
  text: string;
  blocks: KnownBlock[];
} {
  const sorted = [...items].sort(
    (a, b) =>
      b.daysLate - a.daysLate || a.accountName.localeCompare(b.accountName) || a.id.localeCompare(b.id),
  );
  const shown = sorted.slice(0, MAX_REMINDER_ITEMS);
  const more = sorted.length - shown.length;
  const overdue = sorted.filter((item) => item.daysLate > 0).length;
  const headline =
    `You have ${plural(sorted.length, "follow-up")} due` +
    (overdue > 0 ? `, ${overdue.toLocaleString("en-US")} overdue` : "") +
    ".";
  const blocks: KnownBlock[] = [
    { type: "section", text: { type: "mrkdwn", text: `:alarm_clock: *${headline}*` } },
    ...shown.map(
      (item): KnownBlock => ({
        type: "section",
        block_id: followUpBlockId(item.id),
        text: { type: "mrkdwn", text: `${what(item)}\n${dueLine(item)}` },
        accessory: {
          type: "button",
          action_id: ids.action.followUpDone,
          text: { type: "plain_text", text: "Done", emoji: true },
          style: "primary",
          value: item.id,
        },
      }),
    ),
    ...(more > 0
      ? [
          {
            type: "context",
            elements: [
              { type: "mrkdwn", text: `…and ${more.toLocaleString("en-US")} more on your Home tab.` },
            ],
          } satisfies KnownBlock,
        ]
      : []),
  ];
  const first = shown[0];
  const text = first
    ? `${headline} ${truncate(`${first.accountName} — ${first.description}`, 200)}${sorted.length > 1 ? " …" : ""}`
    : headline;
  return { text: escapeMrkdwn(text), blocks };
}

export type DoneItem = {
  id: string;
  accountName: string;
  description: string;
  dueOn: string;
  doneBy: string;
};

/**
 * The reminder's blocks with one follow-up shown done (its button gone), or null when the message
 * does not list it. Other blocks are kept as Slack sent them back.
 */
export function markDoneInReminder<B extends { type: string; block_id?: string | undefined }>(
  blocks: readonly B[],
  done: DoneItem,
): (B | KnownBlock)[] | null {
  const blockId = followUpBlockId(done.id);
  const at = blocks.findIndex((block) => block.block_id === blockId);
  if (at < 0) return null;
  const replaced: KnownBlock = {
    type: "section",
    block_id: blockId,
    text: {
      type: "mrkdwn",
      text: `:white_check_mark: ~${what(done)}~\nDone by ${userMention(done.doneBy)} (was due ${done.dueOn})`,
    },
  };
  return blocks.map((block, i) => (i === at ? replaced : block));
}
