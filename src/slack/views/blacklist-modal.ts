// The manager's blacklisting modal (§2.4): confirm blacklisting a customer, or take it off the list,
// with the reason kept on the status change. Pure.
import type { types } from "@slack/bolt";
import { z } from "zod";
import { BLACKLIST_REASON_MAX } from "../../services/accounts/blacklist.ts";
import { ids } from "../ids.ts";
import { escapeMrkdwn, truncate } from "./mrkdwn.ts";

export const BLACKLIST_REASON = "blacklist_reason";

/** The card button's value and the modal's private metadata. */
export const ZBlacklistTarget = z.object({ accountId: z.uuid(), blacklisted: z.boolean() });
export type BlacklistTarget = z.infer<typeof ZBlacklistTarget>;

export function blacklistButtonValue(target: BlacklistTarget): string {
  return JSON.stringify(target);
}

export function buildBlacklistModal(input: {
  accountName: string;
  target: BlacklistTarget;
  /** The engine's reasons for calling it a blacklist candidate, if any. */
  reasons: readonly string[];
}): types.ModalView {
  const name = escapeMrkdwn(truncate(input.accountName, 200));
  const intro = input.target.blacklisted
    ? `Blacklist *${name}*: it gets no more churn warnings, and letting it go is not counted as churn (§2.4). Its history stays.`
    : `Take *${name}* off the blacklist: it is an active customer again, watched like any other.`;
  const blocks: types.KnownBlock[] = [{ type: "section", text: { type: "mrkdwn", text: intro } }];
  if (input.reasons.length > 0)
    blocks.push({
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: truncate(
            `Why it is a candidate: ${input.reasons.map((r) => escapeMrkdwn(r)).join("; ")}`,
            2000,
          ),
        },
      ],
    });
  blocks.push({
    type: "input",
    block_id: BLACKLIST_REASON,
    label: { type: "plain_text", text: "Reason" },
    element: {
      type: "plain_text_input",
      action_id: BLACKLIST_REASON,
      multiline: true,
      max_length: BLACKLIST_REASON_MAX,
      placeholder: {
        type: "plain_text",
        text: input.target.blacklisted
          ? "e.g. 180 days overdue, refuses to pay"
          : "e.g. debt settled in full",
      },
    },
  });
  return {
    type: "modal",
    callback_id: ids.view.blacklist,
    private_metadata: JSON.stringify(input.target),
    title: {
      type: "plain_text",
      text: input.target.blacklisted ? "Blacklist customer" : "Off the blacklist",
    },
    submit: { type: "plain_text", text: input.target.blacklisted ? "Blacklist" : "Take off" },
    close: { type: "plain_text", text: "Cancel" },
    blocks,
  };
}
