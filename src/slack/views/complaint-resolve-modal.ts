// The resolve modal: a complaint is resolved only with what was done about it.
import type { types } from "@slack/bolt";
import { z } from "zod";
import { type ComplaintDetails, categoryLabel, severityLabel } from "../../domain/complaints.ts";
import { ids } from "../ids.ts";
import { escapeMrkdwn, truncate } from "./mrkdwn.ts";

/** Block id (and action id) of the one input. */
export const resolutionField = "resolution";
export const RESOLUTION_MAX = 3000;

export const ZResolveMetadata = z.object({ complaintId: z.uuid() });

export function parseResolveMetadata(privateMetadata: string): z.infer<typeof ZResolveMetadata> {
  return ZResolveMetadata.parse(JSON.parse(privateMetadata));
}

export function buildComplaintResolveModal(details: ComplaintDetails): types.ModalView {
  const summary =
    `*${escapeMrkdwn(truncate(details.account.name, 150))}*  ·  ${categoryLabel[details.category]}  ·  ` +
    `${severityLabel[details.severity]}\n${escapeMrkdwn(truncate(details.description, 500))}`;
  return {
    type: "modal",
    callback_id: ids.view.complaintResolve,
    private_metadata: JSON.stringify({ complaintId: details.id }),
    title: { type: "plain_text", text: "Resolve complaint" },
    submit: { type: "plain_text", text: "Resolve" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: summary } },
      {
        type: "input",
        block_id: resolutionField,
        label: { type: "plain_text", text: "What was done?" },
        hint: {
          type: "plain_text",
          text: "Then report the fix back to the customer: the complaint closes once they confirm it.",
        },
        element: {
          type: "plain_text_input",
          action_id: resolutionField,
          multiline: true,
          max_length: RESOLUTION_MAX,
        },
      },
    ],
  };
}
