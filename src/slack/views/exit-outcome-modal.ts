// Task 1's outcome modal: did they stay, what they said and suggested, and the reasons if learnt.
import type { types } from "@slack/bolt";
import { z } from "zod";
import { churnReasonLabel } from "../../domain/exit.ts";
import { conversationOutcomeLabel, conversationOutcomes } from "../../domain/last-conversation.ts";
import type { ExitCaseDetails } from "../../services/exit/get-exit-case.ts";
import { ids } from "../ids.ts";
import { escapeMrkdwn, oneLine } from "./mrkdwn.ts";

/** Block ids (and action ids) of the inputs. */
export const outcomeFields = {
  outcome: "outcome",
  said: "customer_said",
  suggested: "customer_suggested",
  surfaceReason: "surface_reason",
  deepReason: "deep_reason",
} as const;

export const SAID_MAX = 3000;
export const REASON_MAX = 500;

export const ZOutcomeMetadata = z.object({ caseId: z.uuid() });

export function parseOutcomeMetadata(privateMetadata: string): z.infer<typeof ZOutcomeMetadata> {
  return ZOutcomeMetadata.parse(JSON.parse(privateMetadata));
}

const option = (value: string, text: string) => ({ text: { type: "plain_text" as const, text }, value });

function textInput(
  blockId: string,
  label: string,
  options: { max: number; optional: boolean; multiline: boolean; initial?: string | null; hint?: string },
): types.InputBlock {
  return {
    type: "input",
    block_id: blockId,
    optional: options.optional,
    label: { type: "plain_text", text: label },
    ...(options.hint ? { hint: { type: "plain_text", text: options.hint } } : {}),
    element: {
      type: "plain_text_input",
      action_id: blockId,
      multiline: options.multiline,
      max_length: options.max,
      ...(options.initial
        ? { initial_value: Array.from(options.initial).slice(0, options.max).join("") }
        : {}),
    },
  };
}

export function buildExitOutcomeModal(exitCase: ExitCaseDetails): types.ModalView {
  const reason = exitCase.reason ? churnReasonLabel[exitCase.reason] : "not recorded yet";
  return {
    type: "modal",
    callback_id: ids.view.exitOutcome,
    private_metadata: JSON.stringify({ caseId: exitCase.id }),
    title: { type: "plain_text", text: "Last conversation" },
    submit: { type: "plain_text", text: "Record" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: `*${escapeMrkdwn(oneLine(exitCase.account.name, 150))}*  ·  reason so far: ${reason}`,
        },
      },
      {
        type: "input",
        block_id: outcomeFields.outcome,
        label: { type: "plain_text", text: "Outcome" },
        element: {
          type: "radio_buttons",
          action_id: outcomeFields.outcome,
          options: conversationOutcomes.map((value) => option(value, conversationOutcomeLabel[value])),
        },
      },
      textInput(outcomeFields.said, "What the customer said", {
        max: SAID_MAX,
        optional: false,
        multiline: true,
        hint: "Their reasons in their words, and what was agreed on payments, stock, claims and the transition.",
      }),
      textInput(outcomeFields.suggested, "What they suggested we change", {
        max: SAID_MAX,
        optional: true,
        multiline: true,
      }),
      textInput(outcomeFields.surfaceReason, "Surface reason, if learnt", {
        max: REASON_MAX,
        optional: true,
        multiline: false,
        initial: exitCase.surfaceReason,
      }),
      textInput(outcomeFields.deepReason, "Deep reason, if learnt", {
        max: REASON_MAX,
        optional: true,
        multiline: false,
        initial: exitCase.deepReason,
        hint: "What really decided it, found by digging past the first answer.",
      }),
    ],
  };
}
