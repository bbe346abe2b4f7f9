// Task 4's Losses modal: the four items in major units of the case's currency, prefilled with what is
// saved (or the unpaid invoices as receivables outstanding).
import type { types } from "@slack/bolt";
import { z } from "zod";
import {
  emptyLossInputs,
  type LossField,
  type LossInputs,
  lossFields,
  lossInputText,
} from "../../domain/exit-losses.ts";
import { minorUnitDigits } from "../../domain/money.ts";
import type { LossesForm } from "../../services/exit/losses.ts";
import { ids } from "../ids.ts";
import { escapeMrkdwn, plural, truncate } from "./mrkdwn.ts";

type KnownBlock = types.KnownBlock;

/** block_id (and action_id) of each amount's input. */
export const lossBlock: Record<LossField, string> = {
  receivablesOutstanding: "exit_losses_receivables_outstanding",
  receivablesRecovered: "exit_losses_receivables_recovered",
  compensationClaimed: "exit_losses_compensation_claimed",
  compensationAgreed: "exit_losses_compensation_agreed",
  goodsReturned: "exit_losses_goods_returned",
  marketGapLoss: "exit_losses_market_gap",
};

const lossLabel: Record<LossField, string> = {
  receivablesOutstanding: "(a) Receivables outstanding",
  receivablesRecovered: "Receivables recovered",
  compensationClaimed: "(b) Breach compensation claimed",
  compensationAgreed: "Compensation agreed",
  goodsReturned: "(c) Goods returned, value",
  marketGapLoss: "(d) Estimated market-gap loss",
};

const lossHint: Record<LossField, string> = {
  receivablesOutstanding: "What the customer still owes us.",
  receivablesRecovered: "Paid since; not more than outstanding.",
  compensationClaimed: "What the contract lets us claim.",
  compensationAgreed: "What the customer agreed to pay; not more than claimed.",
  goodsReturned: "Reasonable returns we take back and cannot resell at full value.",
  marketGapLoss: "Sales lost until the market they served is covered again (worst for a distributor).",
};

export const ZLossesMetadata = z.object({ caseId: z.uuid() });

const plain = (text: string): types.PlainTextElement => ({ type: "plain_text", text });

function example(currency: string): string {
  const digits = minorUnitDigits(currency);
  return digits === 0 ? "e.g. 12,500" : `e.g. 12,500.${"0".repeat(digits)}`;
}

export function buildLossesModal(form: LossesForm): types.ModalView {
  const digits = minorUnitDigits(form.currency);
  const notes = [
    `Amounts in *${form.currency}* (${digits === 0 ? "no decimals" : plural(digits, "decimal")}); leave unknown ones empty. Saving does not finish the task: its *Done* button does.`,
  ];
  if (form.fromInvoices)
    notes.push(
      `Receivables outstanding start from the ${plural(form.fromInvoices.count, "unpaid invoice")} in ${form.currency}.`,
    );
  if (form.otherCurrencies.length > 0)
    notes.push(
      `Unpaid invoices in ${form.otherCurrencies.join(", ")} are not included: convert them to ${form.currency} yourself.`,
    );
  const blocks: KnownBlock[] = [
    {
      type: "section",
      text: { type: "mrkdwn", text: `*${escapeMrkdwn(truncate(form.accountName, 200))}* · 4. Cut the loss` },
    },
    { type: "context", elements: notes.map((text) => ({ type: "mrkdwn" as const, text })) },
    ...lossFields.map((field): KnownBlock => {
      const initial = lossInputText(form.losses[field], form.currency);
      return {
        type: "input",
        block_id: lossBlock[field],
        optional: true,
        label: plain(`${lossLabel[field]} (${form.currency})`),
        hint: plain(lossHint[field]),
        element: {
          type: "plain_text_input",
          action_id: lossBlock[field],
          max_length: 40,
          placeholder: plain(example(form.currency)),
          ...(initial !== null ? { initial_value: initial } : {}),
        },
      };
    }),
  ];
  return {
    type: "modal",
    callback_id: ids.view.exitLosses,
    title: plain("Cut the loss"),
    submit: plain("Save"),
    close: plain("Cancel"),
    private_metadata: JSON.stringify({ caseId: form.caseId }),
    blocks,
  };
}

export function parseLossesMetadata(privateMetadata: string): { caseId: string } {
  return ZLossesMetadata.parse(JSON.parse(privateMetadata));
}

const ZText = z.object({ value: z.string().nullish() });

/** The typed amounts, by field (null when empty or unreadable as text). */
export function readLossesState(values: unknown): LossInputs {
  const state = z.record(z.string(), z.record(z.string(), z.unknown())).parse(values);
  const inputs: LossInputs = { ...emptyLossInputs };
  for (const field of lossFields) {
    const parsed = ZText.safeParse(state[lossBlock[field]]?.[lossBlock[field]]);
    inputs[field] = parsed.success ? (parsed.data.value ?? null) : null;
  }
  return inputs;
}
