// Tasks 2 and 3: the customers at domino risk of a leaving one, shown only to whoever asked — why each
// is at risk, its owner and risk band, and whether outreach was logged — each with Log outreach.
import type { types } from "@slack/bolt";
import { z } from "zod";
import { dominoReasonText } from "../../domain/domino.ts";
import type { DominoAccount, DominoList } from "../../services/exit/domino-risk.ts";
import { ids } from "../ids.ts";
import type { SlackMessage } from "./account-card.ts";
import { bandEmoji, bandLabel } from "./churn-warning.ts";
import { ZCaseTaskValue } from "./exit-case.ts";
import { escapeMrkdwn, linesWithin, oneLine, plural, truncate, userMention } from "./mrkdwn.ts";

type KnownBlock = types.KnownBlock;

/** How many accounts the list shows; the rest are counted ("and N more"). */
export const DOMINO_SHOWN = 15;

/** Log outreach: from the case message ({caseId, task}) or for one listed customer (plus accountId). */
export const ZOutreachButtonValue = ZCaseTaskValue.extend({ accountId: z.uuid().optional() });

function outreachLine(account: DominoAccount): string {
  const last = account.outreach.at(-1);
  if (!last) return ":hourglass_flowing_sand: No outreach logged yet";
  const times = account.outreach.length > 1 ? ` (${plural(account.outreach.length, "time")})` : "";
  return `:white_check_mark: Outreach logged${times}: last on ${last.contactedOn} by ${userMention(last.contactedBy)} (task ${last.taskNumber})`;
}

function accountBlock(list: DominoList, task: 2 | 3, account: DominoAccount): KnownBlock {
  const band = account.band
    ? `${bandEmoji[account.band]} ${bandLabel[account.band]} risk`
    : "not scanned yet";
  const heading = `*${escapeMrkdwn(truncate(account.name, 200))}* · owner ${userMention(account.ownerSlackId)} · ${band}\n${outreachLine(account)}`;
  // Reasons carry user text (contact names, link notes): whole lines only, within the section's limit.
  const reasons = account.reasons.map(
    (reason) => `• ${escapeMrkdwn(oneLine(dominoReasonText(reason), 300))}`,
  );
  const text = linesWithin(heading, reasons, 0, (count) => `• …and ${plural(count, "more reason")}`);
  return {
    type: "section",
    text: { type: "mrkdwn", text },
    accessory: {
      type: "button",
      text: { type: "plain_text", text: "Log outreach" },
      action_id: ids.action.exitOutreach,
      value: JSON.stringify({ caseId: list.caseId, task, accountId: account.accountId }),
    },
  };
}

export function buildDominoList(list: DominoList, task: 2 | 3): SlackMessage {
  const leaving = escapeMrkdwn(truncate(list.leaving.name, 200));
  const total = list.shown.length + list.more;
  if (total === 0) {
    const text = `No other customer shares a segment, contacts or a link with *${leaving}*, and none is at high risk: nobody to reassure one-to-one.`;
    return {
      text: `No customers at domino risk of ${list.leaving.name}`,
      blocks: [{ type: "section", text: { type: "mrkdwn", text } }],
    };
  }
  const blocks: KnownBlock[] = [
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: `:busts_in_silhouette: *${plural(total, "customer")} at domino risk* now that *${leaving}* is leaving (task ${task}), most at risk first:`,
      },
    },
    ...list.shown.map((account) => accountBlock(list, task, account)),
  ];
  const notes = [
    "Ranked by the ties (linked partners and shared contacts weigh most, then segment and region), then by risk. Lost customers are left out.",
  ];
  if (list.more > 0)
    notes.unshift(`…and ${plural(list.more, "more customer")} at domino risk not listed here.`);
  blocks.push({ type: "context", elements: notes.map((text) => ({ type: "mrkdwn" as const, text })) });
  return { text: `${total} customers at domino risk of ${list.leaving.name}`, blocks };
}
