// The Log outreach modal of tasks 2 and 3: which customer (from the domino list or any by name), who
// reached out, when, the outcome; in task 3 also the company-level communication.
import type { types } from "@slack/bolt";
import { z } from "zod";
import { exitTasks } from "../../domain/exit.ts";
import { OUTREACH_TEXT_MAX, type OutreachDraft, type OutreachField } from "../../domain/exit-outreach.ts";
import type { OutreachForm } from "../../services/exit/outreach-form.ts";
import { ids } from "../ids.ts";
import { fitInput } from "./interaction-modal.ts";
import { escapeMrkdwn, plural, truncate } from "./mrkdwn.ts";

type KnownBlock = types.KnownBlock;

/** block_id of each input; its element's action_id is the same, except the external select's. */
export const outreachBlock = {
  pick: "exit_outreach_pick",
  account: "exit_outreach_account",
  contactedBy: "exit_outreach_by",
  contactedOn: "exit_outreach_on",
  outcome: "exit_outreach_outcome",
  companyCommunication: "exit_outreach_company",
} as const;

/** Where each field's error is shown. */
export const outreachErrorBlock: Record<OutreachField, string> = {
  accountId: outreachBlock.account,
  contactedBy: outreachBlock.contactedBy,
  contactedOn: outreachBlock.contactedOn,
  outcome: outreachBlock.outcome,
  companyCommunication: outreachBlock.companyCommunication,
};

export const ZOutreachMetadata = z.object({ caseId: z.uuid(), task: z.union([z.literal(2), z.literal(3)]) });
export type OutreachMetadata = z.infer<typeof ZOutreachMetadata>;

const plain = (text: string): types.PlainTextElement => ({ type: "plain_text", text });
const option = (account: { id: string; name: string }): types.PlainTextOption => ({
  text: plain(truncate(account.name, 75)),
  value: account.id,
});

function customerBlocks(form: OutreachForm): KnownBlock[] {
  const picked = form.selected && form.choices.find((choice) => choice.id === form.selected?.id);
  const blocks: KnownBlock[] = [];
  if (form.choices.length > 0)
    blocks.push({
      type: "input",
      block_id: outreachBlock.pick,
      optional: true,
      label: plain("Customer at domino risk"),
      ...(form.more > 0
        ? {
            hint: plain(
              `The ${form.choices.length} most at risk; ${plural(form.more, "more")} by name below.`,
            ),
          }
        : {}),
      element: {
        type: "static_select",
        action_id: outreachBlock.pick,
        placeholder: plain("Pick from the list"),
        options: form.choices.map(option),
        ...(picked ? { initial_option: option(picked) } : {}),
      },
    });
  const byName = form.selected && !picked ? form.selected : null;
  blocks.push({
    type: "input",
    block_id: outreachBlock.account,
    optional: true,
    label: plain(form.choices.length > 0 ? "Or any customer" : "Customer"),
    hint: plain(
      form.choices.length > 0
        ? "Pick one customer, from the list or by name."
        : "No customer shares a segment, contacts or a link with this one: pick any by name.",
    ),
    element: {
      type: "external_select",
      action_id: ids.action.accountSelect,
      min_query_length: 1,
      placeholder: plain("Type a name, alias or ERP id"),
      ...(byName ? { initial_option: option(byName) } : {}),
    },
  });
  return blocks;
}

export function buildOutreachModal(form: OutreachForm): types.ModalView {
  const definition = exitTasks[form.task];
  const blocks: KnownBlock[] = [
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: `*${escapeMrkdwn(truncate(form.leaving.name, 200))}* is leaving · task ${form.task}. ${definition.title}\n_One-to-one outreach to another customer, so rumours stop at the truth._`,
      },
    },
    ...customerBlocks(form),
    {
      type: "input",
      block_id: outreachBlock.contactedBy,
      label: plain("Reached out by"),
      element: { type: "users_select", action_id: outreachBlock.contactedBy, initial_user: form.userId },
    },
    {
      type: "input",
      block_id: outreachBlock.contactedOn,
      label: plain("When"),
      hint: plain("Not in the future."),
      element: { type: "datepicker", action_id: outreachBlock.contactedOn, initial_date: form.today },
    },
    {
      type: "input",
      block_id: outreachBlock.outcome,
      optional: form.task === 3,
      label: plain("Outcome"),
      ...(form.task === 3 ? { hint: plain("Needed with a customer.") } : {}),
      element: {
        type: "plain_text_input",
        action_id: outreachBlock.outcome,
        multiline: true,
        max_length: OUTREACH_TEXT_MAX,
        placeholder: plain("What they had heard, what you told them, how they took it"),
      },
    },
  ];
  if (form.task === 3)
    blocks.push(
      { type: "divider" },
      {
        type: "input",
        block_id: outreachBlock.companyCommunication,
        optional: true,
        label: plain("Company-level communication"),
        hint: plain(
          "Press release, customer meeting…: kept on the case. Save it alone, or with outreach; clear it to remove it.",
        ),
        element: {
          type: "plain_text_input",
          action_id: outreachBlock.companyCommunication,
          multiline: true,
          max_length: OUTREACH_TEXT_MAX,
          ...(form.companyCommunication
            ? { initial_value: fitInput(form.companyCommunication, OUTREACH_TEXT_MAX) }
            : {}),
        },
      },
    );
  const metadata: OutreachMetadata = { caseId: form.caseId, task: form.task };
  return {
    type: "modal",
    callback_id: ids.view.exitOutreach,
    title: plain("Log outreach"),
    submit: plain("Save"),
    close: plain("Cancel"),
    private_metadata: JSON.stringify(metadata),
    blocks,
  };
}

export function parseOutreachMetadata(privateMetadata: string): OutreachMetadata {
  return ZOutreachMetadata.parse(JSON.parse(privateMetadata));
}

const ZSelected = z.object({ selected_option: z.object({ value: z.string() }).nullish() });
const ZState = z.record(z.string(), z.record(z.string(), z.unknown()));

function selectedValue(value: unknown): string | null {
  const parsed = ZSelected.safeParse(value);
  const id = parsed.success ? parsed.data.selected_option?.value : undefined;
  return id !== undefined && z.uuid().safeParse(id).success ? id : null;
}

function field<T extends z.ZodType>(value: unknown, schema: T): z.infer<T> | null {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** The form's values as a draft, or an error for picking two different customers. */
export function readOutreachState(
  values: unknown,
): { ok: true; draft: OutreachDraft } | { ok: false; errors: Record<string, string> } {
  const state = ZState.parse(values);
  const picked = selectedValue(state[outreachBlock.pick]?.[outreachBlock.pick]);
  const named = selectedValue(state[outreachBlock.account]?.[ids.action.accountSelect]);
  if (picked && named && picked !== named)
    return {
      ok: false,
      errors: { [outreachBlock.account]: "Pick one customer: from the list or by name, not both." },
    };
  const text = (block: string) =>
    field(state[block]?.[block], z.object({ value: z.string().nullish() }))?.value ?? null;
  return {
    ok: true,
    draft: {
      accountId: picked ?? named,
      contactedBy:
        field(
          state[outreachBlock.contactedBy]?.[outreachBlock.contactedBy],
          z.object({ selected_user: z.string().regex(/^[UW][A-Z0-9]+$/) }),
        )?.selected_user ?? null,
      contactedOn:
        field(
          state[outreachBlock.contactedOn]?.[outreachBlock.contactedOn],
          z.object({ selected_date: z.string() }),
        )?.selected_date ?? null,
      outcome: text(outreachBlock.outcome),
      companyCommunication: text(outreachBlock.companyCommunication),
    },
  };
}
