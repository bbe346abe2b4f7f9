// Messages for managers: a churn warning left unanswered (escalation), and the weekly warnings digest.
import type { types } from "@slack/bolt";
import type { EscalationDetails } from "../../services/warnings/escalate-warnings.ts";
import type { DigestAccount, WarningDigest } from "../../services/warnings/warning-digest.ts";
import type { SlackMessage } from "./account-card.ts";
import { bandEmoji, bandLabel } from "./churn-warning.ts";
import { safeLinkUrl } from "./complaint-message.ts";
import { escapeMrkdwn, linesWithin, oneLine, plural, truncate, userMention } from "./mrkdwn.ts";

type KnownBlock = types.KnownBlock;

const more = (n: number) => `…and ${n} more`;

export function buildWarningEscalation(details: EscalationDetails): SlackMessage {
  const { account } = details;
  const age = plural(details.ageDays, "day");
  const link = details.permalink ? safeLinkUrl(details.permalink) : null;
  const summary = [
    `${bandEmoji[details.band]} *Churn risk ${details.risk}/100 · ${bandLabel[details.band]}*`,
    `Warned ${age} ago, not acknowledged · owner ${userMention(details.ownerSlackId)}`,
    link ? `<${link}|See the original warning>` : null,
  ].filter((line) => line !== null);
  const blocks: KnownBlock[] = [
    {
      type: "header",
      text: {
        type: "plain_text",
        text: truncate(`Unanswered churn warning: ${account.name}`, 150),
        emoji: false,
      },
    },
    { type: "section", text: { type: "mrkdwn", text: summary.join("\n") } },
  ];
  if (details.reasons.length > 0)
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: linesWithin(
          "*Top reasons*",
          details.reasons.map(
            (r) => `• ${escapeMrkdwn(oneLine(r.text, 300))}${r.strong ? " *(strong)*" : ""}`,
          ),
          0,
          more,
        ),
      },
    });
  blocks.push({
    type: "context",
    elements: [{ type: "mrkdwn", text: `Account ${escapeMrkdwn(account.externalId)}` }],
  });
  return {
    text: `Unanswered churn warning: ${account.name} (${bandLabel[details.band].toLowerCase()}, ${details.risk}/100) for ${age}`,
    blocks,
  };
}

function accountLine(account: DigestAccount): string {
  return `• *${escapeMrkdwn(oneLine(account.name, 150))}* · ${bandLabel[account.band]} ${account.risk}/100 · ${userMention(account.ownerSlackId)}`;
}

export function buildWarningDigestMessage(digest: WarningDigest): SlackMessage {
  const { warnings } = digest;
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: "Churn warnings: weekly digest", emoji: false } },
    {
      type: "context",
      elements: [{ type: "mrkdwn", text: `Warnings from ${digest.from} to ${digest.to}` }],
    },
  ];
  blocks.push({
    type: "section",
    text: {
      type: "mrkdwn",
      text:
        digest.atRisk.length === 0
          ? "*Most at risk now*\nNo account is at high or critical risk."
          : linesWithin(
              `*Most at risk now* (${digest.atRiskTotal} high or critical)`,
              digest.atRisk.map(accountLine),
              digest.atRiskTotal - digest.atRisk.length,
              more,
            ),
    },
  });
  blocks.push({
    type: "section",
    text: {
      type: "mrkdwn",
      text:
        `*This week's warnings:* ${warnings.total} · ${warnings.acknowledged} acknowledged · ` +
        `${warnings.snoozed} snoozed · ${warnings.unacknowledged} not acknowledged`,
    },
  });
  if (digest.unacknowledged.length > 0)
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: linesWithin(
          "*Not acknowledged*",
          digest.unacknowledged.map((w) => `${accountLine(w)} · warned ${w.asOf}`),
          warnings.unacknowledged - digest.unacknowledged.length,
          more,
        ),
      },
    });
  return {
    text: `Churn warnings this week: ${warnings.total}, ${warnings.unacknowledged} not acknowledged; ${digest.atRiskTotal} accounts at high or critical risk`,
    blocks,
  };
}
