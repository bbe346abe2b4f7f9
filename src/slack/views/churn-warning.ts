// A churn warning's message: the account, band and risk, why (with numbers), the verdict, what to do, and buttons.
import type { types } from "@slack/bolt";
import { z } from "zod";
import type { Band } from "../../domain/risk/score.ts";
import { SNOOZE_DAYS, type WarningDetails } from "../../domain/risk/warnings.ts";
import { ids } from "../ids.ts";
import type { SlackMessage } from "./account-card.ts";
import { slackDate } from "./complaint-message.ts";
import { exitStartValue } from "./exit-start-modal.ts";
import { channelMention, escapeMrkdwn, linesWithin, oneLine, truncate, userMention } from "./mrkdwn.ts";

type KnownBlock = types.KnownBlock;

export const ZWarningAckValue = z.uuid("not a warning id");
export const ZWarningSnoozeValue = z.object({
  warningId: z.uuid(),
  days: z.union(SNOOZE_DAYS.map((d) => z.literal(d))),
});
export type WarningSnoozeValue = z.infer<typeof ZWarningSnoozeValue>;

/** Snooze buttons: the shared action id plus the days, so ids stay unique within the block. */
export function warningSnoozeActionId(days: number): string {
  return `${ids.action.warningSnooze}:${days}`;
}
export const warningSnoozePattern = new RegExp(`^${ids.action.warningSnooze}:\\d+$`);

export const bandLabel: Record<Band, string> = {
  low: "Low",
  medium: "Medium",
  high: "High",
  critical: "Critical",
};

export const bandEmoji: Record<Band, string> = {
  low: ":large_green_circle:",
  medium: ":large_yellow_circle:",
  high: ":large_orange_circle:",
  critical: ":red_circle:",
};

const unreachableHint: Record<string, string> = {
  not_in_channel: "the bot is not a member of that channel: invite it with `/invite @Churnwatch`",
  channel_not_found: "that channel does not exist or the bot cannot see it: check the account's channel",
  is_archived: "that channel is archived: set a new channel for the account",
};

function triggerLine(warning: WarningDetails): string {
  const band = `*${bandLabel[warning.band]}*`;
  const parts: string[] = [];
  if (warning.previousBand === null) parts.push(`First assessment: ${band}`);
  else if (warning.previousBand !== warning.band)
    parts.push(`Entered ${band} from ${bandLabel[warning.previousBand]}`);
  if (warning.newSignalCodes.length > 0)
    parts.push(`${warning.newSignalCodes.length === 1 ? "a new strong signal" : "new strong signals"}`);
  return parts.join(", with ");
}

function statusLine(warning: WarningDetails): string | null {
  const lines: string[] = [];
  if (warning.acknowledgedAt)
    lines.push(
      `:white_check_mark: Acknowledged by ${userMention(warning.acknowledgedBy)} ${slackDate(warning.acknowledgedAt)}`,
    );
  if (warning.snoozedUntil && warning.status === "snoozed")
    lines.push(`:zzz: Snoozed by ${userMention(warning.snoozedBy)} until ${slackDate(warning.snoozedUntil)}`);
  return lines.length > 0 ? lines.join("\n") : null;
}

export function buildChurnWarning(warning: WarningDetails): SlackMessage {
  const { account } = warning;
  const newCodes = new Set(warning.newSignalCodes);
  const reasons = warning.reasons.map(
    (reason) =>
      `• ${escapeMrkdwn(oneLine(reason.text, 300))}${reason.strong ? " *(strong)*" : ""}${newCodes.has(reason.code) ? " _new_" : ""}`,
  );
  const blocks: KnownBlock[] = [
    {
      type: "header",
      text: { type: "plain_text", text: truncate(`Churn warning: ${account.name}`, 150), emoji: false },
    },
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: `${bandEmoji[warning.band]} *Churn risk ${warning.risk}/100 · ${bandLabel[warning.band]}*\n${triggerLine(warning)}`,
      },
    },
  ];
  if (reasons.length > 0)
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: linesWithin("*Why*", reasons, 0, (n) => `…and ${n} more`) },
    });
  blocks.push({
    type: "section",
    text: { type: "mrkdwn", text: `*Verdict:* ${escapeMrkdwn(oneLine(warning.verdictHeadline, 1000))}` },
  });
  if (warning.actions.length > 0)
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: linesWithin(
          "*Next steps*",
          warning.actions.map((a) => `• ${escapeMrkdwn(oneLine(a.text, 300))}`),
          0,
          (n) => `…and ${n} more`,
        ),
      },
    });
  if (warning.misrouted) {
    const hint =
      unreachableHint[warning.misrouted.error] ??
      `Slack answered \`${escapeMrkdwn(warning.misrouted.error)}\``;
    blocks.push({
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: `:warning: This warning belongs in ${channelMention(warning.misrouted.intendedChannelId)}, but ${hint}.`,
        },
      ],
    });
  }
  if (warning.exitStarted) {
    const where = warning.exitStarted.channelId
      ? `: the six exit tasks are in ${channelMention(warning.exitStarted.channelId)}`
      : "";
    blocks.push({
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: `:door: Exit handling started by ${userMention(warning.exitStarted.startedBy)} on ${warning.exitStarted.startedOn}${where}.`,
        },
      ],
    });
  }
  const status = statusLine(warning);
  if (status) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: status }] });
  const buttons: types.Button[] = [];
  if (warning.status !== "acknowledged")
    buttons.push({
      type: "button",
      action_id: ids.action.warningAcknowledge,
      text: { type: "plain_text", text: "Acknowledge" },
      style: "primary",
      value: warning.id,
    });
  for (const days of SNOOZE_DAYS)
    buttons.push({
      type: "button",
      action_id: warningSnoozeActionId(days),
      text: { type: "plain_text", text: `Snooze ${days} days` },
      value: JSON.stringify({ warningId: warning.id, days } satisfies WarningSnoozeValue),
    });
  // The card's own button: opens the existing interaction modal for this account.
  buttons.push({
    type: "button",
    action_id: ids.action.logInteraction,
    text: { type: "plain_text", text: "Log action taken" },
    value: account.id,
  });
  // §5: a critical warning may be where the customer's decision to leave becomes known.
  if (warning.band === "critical" && !warning.exitStarted)
    buttons.push({
      type: "button",
      action_id: ids.action.exitStart,
      text: { type: "plain_text", text: "Start exit handling" },
      value: exitStartValue(account.id, warning.id),
    });
  blocks.push({ type: "actions", elements: buttons });
  blocks.push({
    type: "context",
    elements: [
      { type: "mrkdwn", text: `Scan of ${warning.asOf}  ·  account ${escapeMrkdwn(account.externalId)}` },
    ],
  });
  return {
    text: `Churn warning: ${account.name} is at ${bandLabel[warning.band].toLowerCase()} risk (${warning.risk}/100)`,
    blocks,
  };
}
