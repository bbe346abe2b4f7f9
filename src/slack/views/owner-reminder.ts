// The direct message reminding an owner of their key accounts: contact overdue and key dates ahead,
// each account with its last interaction and a suggested touch per item.
import type { types } from "@slack/bolt";
import type { CadenceStatus, CustomerFace, LastInteraction } from "../../domain/cadence.ts";
import type { KeyDate, KeyDateKind } from "../../domain/key-dates.ts";
import { cadenceText, faceText, keyDateText, lastInteractionText } from "./key-care.ts";
import { escapeMrkdwn, linesWithin, plural, truncate } from "./mrkdwn.ts";

type KnownBlock = types.KnownBlock;

export type OwnerReminderItem = { subject: string; occasionOn: string; touch: string } & (
  | { kind: "cadence"; cadence: CadenceStatus }
  | { kind: KeyDateKind; keyDate: KeyDate }
);

export type OwnerReminderAccount = {
  accountId: string;
  accountName: string;
  face: CustomerFace | null;
  lastInteraction: LastInteraction | null;
  items: OwnerReminderItem[];
};

/** Accounts in one message: with the headline and the "more" line that is 42 blocks, within Slack's 50. */
export const MAX_REMINDER_ACCOUNTS = 40;

function itemLines(item: OwnerReminderItem): string[] {
  const what =
    item.kind === "cadence" ? `:hourglass: ${cadenceText(item.cadence)}` : keyDateText(item.keyDate);
  return [`• ${what}`, `      _Suggested:_ ${escapeMrkdwn(item.touch)}`];
}

function accountText(account: OwnerReminderAccount): string {
  const face = faceText(account.face);
  const heading = `*${escapeMrkdwn(truncate(account.accountName, 150))}*${face ? ` · ${face}` : ""}`;
  const last = account.lastInteraction
    ? `Last interaction ${lastInteractionText(account.lastInteraction)}`
    : "No interaction logged yet";
  return linesWithin(
    heading,
    [...account.items.flatMap(itemLines), last],
    0,
    (n) => `…${plural(n, "more line")} on the account card`,
  );
}

/** Most urgent first: accounts with overdue contact (longest first), then by their soonest key date. */
export function byReminderUrgency(accounts: readonly OwnerReminderAccount[]): OwnerReminderAccount[] {
  const overdue = (account: OwnerReminderAccount) =>
    Math.max(0, ...account.items.map((item) => (item.kind === "cadence" ? item.cadence.overdueDays : 0)));
  const soonest = (account: OwnerReminderAccount) =>
    account.items.map((item) => item.occasionOn).sort()[0] ?? "";
  return [...accounts].sort(
    (a, b) =>
      overdue(b) - overdue(a) ||
      soonest(a).localeCompare(soonest(b)) ||
      a.accountName.localeCompare(b.accountName) ||
      a.accountId.localeCompare(b.accountId),
  );
}

/**
 * One message for the owner: the accounts in `byReminderUrgency` order, at most MAX_REMINDER_ACCOUNTS
 * (the caller sends the rest another day), with how many more wait on the Home tab.
 */
export function buildOwnerReminder(
  accounts: readonly OwnerReminderAccount[],
  today: string,
  waiting = 0,
): { text: string; blocks: KnownBlock[] } {
  const overdue = (account: OwnerReminderAccount) =>
    Math.max(0, ...account.items.map((item) => (item.kind === "cadence" ? item.cadence.overdueDays : 0)));
  const sorted = byReminderUrgency(accounts);
  const shown = sorted.slice(0, MAX_REMINDER_ACCOUNTS);
  const more = sorted.length - shown.length + waiting;
  const contactDue = sorted.filter((account) => overdue(account) > 0).length;
  const dates = sorted.reduce((sum, a) => sum + a.items.filter((item) => item.kind !== "cadence").length, 0);
  const parts = [
    contactDue > 0 ? `${plural(contactDue, "key account")} to contact` : "",
    dates > 0 ? `${plural(dates, "key date")} ahead` : "",
  ].filter((part) => part !== "");
  const headline = `${parts.join(", ")} (${today}).`;
  const blocks: KnownBlock[] = [
    { type: "section", text: { type: "mrkdwn", text: `:handshake: *${headline}*` } },
    ...shown.map(
      (account): KnownBlock => ({ type: "section", text: { type: "mrkdwn", text: accountText(account) } }),
    ),
  ];
  if (more > 0) {
    blocks.push({
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: `…and ${plural(more, "more account")}: the next message follows within the hour; all are on your Home tab.`,
        },
      ],
    });
  }
  const first = shown[0];
  return {
    text: `${headline[0]?.toUpperCase() ?? ""}${headline.slice(1)}${first ? ` ${truncate(first.accountName, 80)} …` : ""}`,
    blocks,
  };
}
