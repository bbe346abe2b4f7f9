// The "Start exit handling" modal (§5, §6), also opened prefilled by "Edit case": why the customer
// leaves (the taxonomy's reason, the surface and the deep reason), the competitor that won, the
// expected end. Every field is optional: most of it is found out later.
import type { types } from "@slack/bolt";
import { z } from "zod";
import {
  beyondControlReasons,
  type ChurnReason,
  churnReasonLabel,
  withinControlReasons,
} from "../../domain/exit.ts";
import type { ExitStartDraft } from "../../services/exit/start-exit.ts";
import { ids } from "../ids.ts";
import { escapeMrkdwn, truncate } from "./mrkdwn.ts";

/** The start button's value (critical warning, card): which account, and the warning if any. */
export const ZExitStartValue = z.object({ accountId: z.uuid(), warningId: z.uuid().nullish() });

export function exitStartValue(accountId: string, warningId: string | null = null): string {
  return JSON.stringify(warningId ? { accountId, warningId } : { accountId });
}

/** Block ids of the inputs; each input's action_id is the same as its block id. */
export const exitStartFields = {
  reason: "exit_reason",
  surfaceReason: "exit_surface_reason",
  deepReason: "exit_deep_reason",
  competitorWon: "exit_competitor",
  expectedEndOn: "exit_expected_end",
} as const satisfies Record<keyof ExitStartDraft, string>;

export const REASON_TEXT_MAX = 2000;
export const COMPETITOR_MAX = 200;

/** Start: which account (and warning); edit: which case. */
export const ZExitStartMetadata = z.union([
  z.object({ caseId: z.uuid() }),
  z.object({ accountId: z.uuid(), warningId: z.uuid().nullable() }),
]);
export type ExitStartMetadata = z.infer<typeof ZExitStartMetadata>;

export function parseExitStartMetadata(privateMetadata: string): ExitStartMetadata {
  return ZExitStartMetadata.parse(JSON.parse(privateMetadata));
}

export type ExitStartModalInput = {
  accountName: string;
  target: ExitStartMetadata;
  /** The case's current values when editing. */
  prefill?: ExitStartDraft;
  /** An AI assistant is configured: an empty reason is classified from the texts. */
  aiClassifies: boolean;
};

const option = (reason: ChurnReason): types.PlainTextOption => ({
  text: { type: "plain_text", text: churnReasonLabel[reason] },
  value: reason,
});

function textInput(
  blockId: string,
  label: string,
  hint: string,
  max: number,
  multiline: boolean,
  initial: string | null | undefined,
): types.InputBlock {
  return {
    type: "input",
    block_id: blockId,
    optional: true,
    label: { type: "plain_text", text: label },
    hint: { type: "plain_text", text: hint },
    element: {
      type: "plain_text_input",
      action_id: blockId,
      multiline,
      max_length: max,
      ...(initial ? { initial_value: truncate(initial, max) } : {}),
    },
  };
}

export function buildExitStartModal(input: ExitStartModalInput): types.ModalView {
  const editing = "caseId" in input.target;
  const prefill = input.prefill;
  const name = `*${escapeMrkdwn(truncate(input.accountName, 150))}*`;
  const intro = editing
    ? `${name}: fill in or correct why the customer leaves.`
    : `${name} will be marked *leaving* and get the six exit tasks (last conversation, contain bad news, reassure other customers, cut the loss, keep the lesson, use the mistake), each with an owner and a due date.`;
  const reasonHint = input.aiClassifies
    ? "May be filled later. Left empty, it is classified by AI from the reasons below."
    : "May be filled later, with Edit case on the case's message.";
  const blocks: types.KnownBlock[] = [
    { type: "section", text: { type: "mrkdwn", text: intro } },
    {
      type: "input",
      block_id: exitStartFields.reason,
      optional: true,
      label: { type: "plain_text", text: "Reason" },
      hint: { type: "plain_text", text: reasonHint },
      element: {
        type: "static_select",
        action_id: exitStartFields.reason,
        placeholder: { type: "plain_text", text: "Why the customer leaves" },
        option_groups: [
          {
            label: { type: "plain_text", text: "Within our control" },
            options: withinControlReasons.map(option),
          },
          {
            label: { type: "plain_text", text: "Beyond our control" },
            options: beyondControlReasons.map(option),
          },
        ],
        ...(prefill?.reason ? { initial_option: option(prefill.reason) } : {}),
      },
    },
    textInput(
      exitStartFields.surfaceReason,
      "Surface reason",
      "What the customer says, e.g. “off season”. May be filled later.",
      REASON_TEXT_MAX,
      true,
      prefill?.surfaceReason,
    ),
    textInput(
      exitStartFields.deepReason,
      "Deep reason",
      "What is really behind it, found by digging. May be filled later.",
      REASON_TEXT_MAX,
      true,
      prefill?.deepReason,
    ),
    textInput(
      exitStartFields.competitorWon,
      "Competitor won",
      "Who takes the business, if anyone.",
      COMPETITOR_MAX,
      false,
      prefill?.competitorWon,
    ),
    {
      type: "input",
      block_id: exitStartFields.expectedEndOn,
      optional: true,
      label: { type: "plain_text", text: "Expected end" },
      hint: { type: "plain_text", text: "When the customer stops buying or the contract ends." },
      element: {
        type: "datepicker",
        action_id: exitStartFields.expectedEndOn,
        ...(prefill?.expectedEndOn ? { initial_date: prefill.expectedEndOn } : {}),
      },
    },
  ];
  return {
    type: "modal",
    callback_id: ids.view.exitStart,
    private_metadata: JSON.stringify(input.target),
    title: { type: "plain_text", text: editing ? "Edit exit case" : "Start exit handling" },
    submit: { type: "plain_text", text: editing ? "Save" : "Start" },
    close: { type: "plain_text", text: "Cancel" },
    blocks,
  };
}
