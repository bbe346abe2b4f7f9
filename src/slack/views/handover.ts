// Handover messages: the brief a new owner gets per account, and the summary for the manager who ran it.
import type { types } from "@slack/bolt";
import type { HandoverResult } from "../../services/ownership/hand-over-accounts.ts";
import type { HandoverBrief } from "../../services/ownership/handover-brief.ts";
import { complaintLine, riskBlocks, type SlackMessage, signLine } from "./account-card.ts";
import { keyDateText } from "./key-care.ts";
import { escapeMrkdwn, linesWithin, oneLine, plural, truncate, userMention } from "./mrkdwn.ts";

type KnownBlock = types.KnownBlock;

function section(text: string): KnownBlock {
  return { type: "section", text: { type: "mrkdwn", text } };
}

export function buildHandoverBrief(brief: HandoverBrief): SlackMessage {
  const { card } = brief;
  const name = card.account.name;
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: truncate(`Handover: ${name}`, 150), emoji: false } },
    section(
      `${userMention(brief.toId)}, you now own *${escapeMrkdwn(truncate(name, 200))}* (${escapeMrkdwn(card.account.externalId)}), ` +
        `handed over from ${userMention(brief.fromId)}. Its records stay with it: \`/customer ${escapeMrkdwn(truncate(card.account.externalId, 50))}\` shows the card.`,
    ),
  ];
  if (card.risk) blocks.push(...riskBlocks(card.risk));
  else blocks.push(section("_Not scanned for churn risk yet._"));
  const { records } = card;
  if (records.openComplaintCount > 0)
    blocks.push(
      section(
        linesWithin(
          `*Open complaints (${records.openComplaintCount})*`,
          records.openComplaints.map(complaintLine),
          records.openComplaintCount - records.openComplaints.length,
          (n) => `…and ${n} more`,
        ),
      ),
    );
  if (brief.followUpCount > 0)
    blocks.push(
      section(
        linesWithin(
          `*Open follow-ups (${brief.followUpCount})*`,
          brief.followUps.map(
            (f) =>
              `• due ${f.dueOn} · ${userMention(f.ownerSlackId)} — ${escapeMrkdwn(oneLine(f.description, 200))}`,
          ),
          brief.followUpCount - brief.followUps.length,
          (n) => `…and ${n} more`,
        ),
      ),
    );
  if (records.signCount > 0)
    blocks.push(
      section(
        linesWithin(
          `*Warning signs, last 90 days (${records.signCount})*`,
          records.signs.map(signLine),
          records.signCount - records.signs.length,
          (n) => `…and ${n} more`,
        ),
      ),
    );
  if (brief.keyDates.length > 0)
    blocks.push(
      section(
        linesWithin(
          "*Key dates, next 60 days*",
          brief.keyDates.map((date) => `• ${keyDateText(date)}`),
          0,
          (n) => `…and ${n} more`,
        ),
      ),
    );
  const contacts = card.contacts.slice(0, 5).map((c) => `• ${escapeMrkdwn(oneLine(c.name, 100))}`);
  if (contacts.length > 0)
    blocks.push(
      section(
        linesWithin(
          "*Whom to talk to*",
          contacts,
          card.contacts.length - contacts.length,
          (n) => `…and ${n} more`,
        ),
      ),
    );
  return { text: `Handover: you now own ${truncate(name, 200)}`, blocks };
}

export function buildHandoverSummary(result: HandoverResult): SlackMessage {
  const moved = [
    result.moved.followUps > 0 ? plural(result.moved.followUps, "open follow-up") : null,
    result.moved.complaints > 0 ? plural(result.moved.complaints, "open complaint") : null,
    result.moved.exitTasks > 0 ? plural(result.moved.exitTasks, "open exit task") : null,
    result.moved.correctiveActions > 0
      ? plural(result.moved.correctiveActions, "open corrective action")
      : null,
  ].filter((part) => part !== null);
  const head =
    `:handshake: Handed over ${plural(result.accounts.length, "account")} from ${userMention(result.fromId)} to ${userMention(result.toId)}` +
    (moved.length > 0 ? `, with ${userMention(result.fromId)}'s ${moved.join(", ")} on them.` : ".");
  const lines = result.accounts.map((account) => `• ${escapeMrkdwn(oneLine(account.name, 150))}`);
  const blocks: KnownBlock[] = [section(linesWithin(head, lines, 0, (n) => `…and ${n} more`))];
  const sent = result.accounts.length - result.briefsFailed.length;
  const failed =
    result.briefsFailed.length > 0
      ? ` Could not send the brief of ${result.briefsFailed.map((a) => escapeMrkdwn(oneLine(a.name, 80))).join(", ")}: the handover stands; ${userMention(result.toId)} sees the card with /customer.`
      : "";
  blocks.push({
    type: "context",
    elements: [
      {
        type: "mrkdwn",
        text: truncate(
          `${userMention(result.toId)} got ${plural(sent, "handover brief")} by direct message.${failed}`,
          3000,
        ),
      },
    ],
  });
  return {
    text: `Handed over ${plural(result.accounts.length, "account")} from <@${result.fromId}> to <@${result.toId}>`,
    blocks,
  };
}
