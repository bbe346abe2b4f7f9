// Block Kit for /customer answers other than a card: usage, a pick list, no match with suggestions.
import type { types } from "@slack/bolt";

type KnownBlock = types.KnownBlock;

import type { AccountSummary } from "../../domain/account-card.ts";
import { ids } from "../ids.ts";
import type { SlackMessage } from "./account-card.ts";
import { escapeMrkdwn, truncate } from "./mrkdwn.ts";

export function buildUsage(command: string): SlackMessage {
  const text = [
    `*${command} <name, alias or ERP id>* — the account card: orders and profit against their own baseline, contacts, complaints, signs.`,
    `*${command} log <name>* — log a visit, call or meeting: what they praised and complained about, the next step.`,
    `*${command} complaint <name>* — record a complaint and follow it until the customer confirms the fix.`,
    `*${command} sign <name>* — record a warning sign: a new purchasing contact, a competitor's visit, a payment problem…`,
    `*${command} leaving <name>* — the customer has decided to leave: start exit handling (the six exit tasks).`,
    `*${command} report [month|quarter|year]* — the churn rate to date (default: the year) next to the previous period, by month, owner and segment; why customers left and what it cost; loyalty and the key accounts at risk now.`,
    `*${command} handover @from @to [account, …]* — managers: hand @from's accounts (all, or those named, separated by commas) to @to with their open work; @to gets a brief per account.`,
    `*${command} rep-leaving @rep* — managers: record that a rep is leaving; their accounts get the "our rep leaving" sign and the managers a list to hand over.`,
    `*${command} lessons [words]* — lessons from lost customers' retrospectives, by words, reason, segment or account; no words: the latest.`,
    "Partial names, typos and Chinese or other scripts work. With several matches, pick the account and use the buttons on its card.",
    `On any message: ⋮ → *Log to customer*. *${command} help* — this message.`,
  ].join("\n");
  return { text: `How to use ${command}`, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}

function accountButtons(accounts: readonly AccountSummary[]): KnownBlock {
  return {
    type: "actions",
    elements: accounts.map((account, index) => ({
      type: "button",
      // action_ids must be unique within a message.
      action_id: `${ids.action.pickAccount}:${index}`,
      text: { type: "plain_text", text: truncate(account.name, 75) },
      value: account.id,
    })),
  };
}

function accountLine(account: AccountSummary): string {
  const where = [account.segment, account.region].filter(Boolean).map((s) => escapeMrkdwn(String(s)));
  return `• *${escapeMrkdwn(truncate(account.name, 100))}* (${escapeMrkdwn(account.externalId)})${where.length ? ` — ${where.join(" · ")}` : ""}`;
}

export function buildPickList(
  typed: string,
  accounts: readonly AccountSummary[],
  more: boolean,
): SlackMessage {
  const query = truncate(typed, 200);
  const heading = more
    ? `More than ${accounts.length} customers match “${escapeMrkdwn(query)}”; the closest are below. Type more of the name to narrow it down.`
    : `${accounts.length} customers match “${escapeMrkdwn(query)}”. Which one?`;
  return {
    text: `${more ? "Many" : accounts.length} customers match “${query}”`,
    blocks: [
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: truncate(`${heading}\n${accounts.map(accountLine).join("\n")}`, 3000),
        },
      },
      accountButtons(accounts),
    ],
  };
}

export function buildNoMatch(query: string, suggestions: readonly AccountSummary[]): SlackMessage {
  const blocks: KnownBlock[] = [
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: `No customer matches “${escapeMrkdwn(truncate(query, 200))}”.${suggestions.length > 0 ? " Closest:" : " Check the spelling, or import accounts first (see README: CSV import)."}`,
      },
    },
  ];
  if (suggestions.length > 0) blocks.push(accountButtons(suggestions));
  return { text: `No customer matches “${query}”`, blocks };
}
