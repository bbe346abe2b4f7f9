// The managers' alert when a rep leaves: that rep's accounts, most at stake first, and how to hand them over.
import type { types } from "@slack/bolt";
import { formatMoney } from "../../domain/money.ts";
import type { AccountAtStake } from "../../domain/ownership.ts";
import type { SlackMessage } from "./account-card.ts";
import { bandEmoji, bandLabel } from "./churn-warning.ts";
import { escapeMrkdwn, linesWithin, oneLine, plural, userMention } from "./mrkdwn.ts";

type KnownBlock = types.KnownBlock;

export type RepDepartureAlert = {
  repId: string;
  source: "deactivated" | "recorded";
  recordedBy: string | null;
  recordedOn: string;
  accounts: (AccountAtStake & { externalId: string })[];
  today: string;
};

export function accountAtStakeLine(account: AccountAtStake & { externalId: string }): string {
  const risk = account.risk
    ? `${bandEmoji[account.risk.band]} ${bandLabel[account.risk.band]} ${account.risk.risk}/100`
    : "not scanned yet";
  const revenue =
    account.currency && account.revenue12m > 0n
      ? `${formatMoney(account.revenue12m, account.currency)} in 12 months`
      : "no orders in 12 months";
  return `• *${escapeMrkdwn(oneLine(account.name, 150))}* (${escapeMrkdwn(oneLine(account.externalId, 50))}) · ${risk} · ${revenue}`;
}

export function buildRepDepartureAlert(alert: RepDepartureAlert): SlackMessage {
  const rep = userMention(alert.repId);
  const why =
    alert.source === "deactivated"
      ? "their Slack account was deactivated"
      : `recorded by ${userMention(alert.recordedBy)} on ${alert.recordedOn}`;
  const blocks: KnownBlock[] = [
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: linesWithin(
          `:wave: *${rep} is leaving* (${why}). They own ${plural(alert.accounts.length, "account")}, most at stake first (risk, then 12-month revenue):`,
          alert.accounts.map(accountAtStakeLine),
          0,
          (n) => `…and ${n} more`,
        ),
      },
    },
    {
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text:
            `Each account got an "our rep leaving" warning sign; they keep ${rep} as owner until handed over. ` +
            `Hand them over with */customer handover* ${rep} @new-owner (all of them), or add account names ` +
            `separated by commas for some; their user ID is \`${alert.repId}\`.`,
        },
      ],
    },
  ];
  return {
    text: `<@${alert.repId}> is leaving: ${plural(alert.accounts.length, "account")} to hand over`,
    blocks,
  };
}

const alertWhere: Record<string, string> = {
  channel: "The managers' channel was alerted.",
  managers: "The managers were alerted by direct message.",
  nobody: "No managers are configured and MANAGERS_CHANNEL is unset, so nobody else was alerted.",
  already: "The managers were alerted before.",
  failed:
    "The managers' alert could not be sent; it is tried again when the rep's departure is reported again.",
  no_accounts: "",
};

/** The private answer to `/customer rep-leaving @rep`. */
export function buildRepLeavingAnswer(answer: {
  repId: string;
  newDeparture: boolean;
  departure: { source: "deactivated" | "recorded"; recordedBy: string | null; recordedOn: string };
  accounts: (AccountAtStake & { externalId: string })[];
  signsCreated: number;
  alert: string;
}): SlackMessage {
  const rep = userMention(answer.repId);
  const head = answer.newDeparture
    ? `:memo: Recorded: ${rep} is leaving.`
    : `${rep}'s departure was already recorded on ${answer.departure.recordedOn} (${answer.departure.source === "deactivated" ? "Slack deactivated them" : `by ${userMention(answer.departure.recordedBy)}`}).`;
  if (answer.accounts.length === 0)
    return {
      text: `${head} They own no accounts.`,
      blocks: [
        {
          type: "section",
          text: { type: "mrkdwn", text: `${head} They own no open accounts: nothing to hand over.` },
        },
      ],
    };
  const signs =
    answer.signsCreated > 0
      ? `"Our rep leaving" was recorded as a warning sign on ${plural(answer.signsCreated, "account")}.`
      : `Their accounts already carry the "our rep leaving" sign.`;
  return {
    text: `${head} ${plural(answer.accounts.length, "account")} to hand over.`,
    blocks: [
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: linesWithin(
            `${head} ${signs} ${alertWhere[answer.alert] ?? ""}\n*Their accounts, most at stake first:*`,
            answer.accounts.map(accountAtStakeLine),
            0,
            (n) => `…and ${n} more`,
          ),
        },
      },
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: `Hand them over with */customer handover* ${rep} @new-owner [account, …].`,
          },
        ],
      },
    ],
  };
}
