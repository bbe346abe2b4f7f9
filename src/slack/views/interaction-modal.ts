// The Log interaction modal (§7: what was said, praised and complained about, the loyalty read, the next step) and the confirmation sent after saving it.
import type { types } from "@slack/bolt";
import { contactRoleLabel } from "../../domain/account-card.ts";
import { type InteractionKind, interactionKindLabel, interactionKinds } from "../../domain/interactions.ts";
import { type LoyaltyRead, loyaltyLabel, loyaltyReads } from "../../domain/loyalty.ts";
import { ids } from "../ids.ts";
import { escapeMrkdwn, truncate, userMention } from "./mrkdwn.ts";
import { type RecordForm, recordMetadata } from "./record-form.ts";

type KnownBlock = types.KnownBlock;
type PlainTextOption = types.PlainTextOption;

/**
 * block_id of each input; its element's action_id is the same string. The submission handler reads
 * `view.state.values[id][id]`.
 */
export const interactionInput = {
  kind: "interaction_kind",
  occurredOn: "interaction_date",
  ourParticipants: "interaction_our_people",
  contactIds: "interaction_contacts",
  summary: "interaction_summary",
  praised: "interaction_praised",
  complained: "interaction_complained",
  loyalty: "interaction_loyalty",
  nextStep: "interaction_next_step",
  dueOn: "interaction_next_step_due",
  ownerSlackId: "interaction_next_step_owner",
} as const;

/** Slack's limit for a plain_text_input, and so for an initial value in it. */
export const TEXT_INPUT_MAX = 3000;
const NEXT_STEP_MAX = 1000;
/** A static select holds at most 100 options. */
const MAX_CONTACT_OPTIONS = 100;

/** §7's three levels, worded as the reps should read them. */
export const loyaltyDescription: Record<LoyaltyRead, string> = {
  loyal: "Satisfied, will buy again",
  average: "Acceptable, intent to buy again unclear",
  disloyal: "Dissatisfied",
};

const plain = (text: string): types.PlainTextElement => ({ type: "plain_text", text, emoji: true });

function option(text: string, value: string): PlainTextOption {
  return { text: plain(truncate(text, 75)), value };
}

/**
 * The first `max` UTF-16 units of `text`, never splitting a character (Slack counts a field's
 * length in those units), with an ellipsis when something was cut.
 */
export function fitInput(text: string, max: number = TEXT_INPUT_MAX): string {
  if (text.length <= max) return text;
  let out = "";
  for (const char of text) {
    if (out.length + char.length > max - 1) break;
    out += char;
  }
  return `${out}…`;
}

/** An optional or required text input whose block_id and action_id are both `id`. */
export function textInput(
  id: string,
  label: string,
  options: {
    optional: boolean;
    multiline: boolean;
    max: number;
    initial?: string;
    placeholder?: string;
    hint?: string;
  },
): KnownBlock {
  return {
    type: "input",
    block_id: id,
    optional: options.optional,
    label: plain(label),
    ...(options.hint ? { hint: plain(options.hint) } : {}),
    element: {
      type: "plain_text_input",
      action_id: id,
      multiline: options.multiline,
      max_length: options.max,
      ...(options.initial ? { initial_value: fitInput(options.initial, options.max) } : {}),
      ...(options.placeholder ? { placeholder: plain(options.placeholder) } : {}),
    },
  };
}

function contactBlocks(form: RecordForm): KnownBlock[] {
  if (form.contacts.length === 0) {
    return [
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text: "No contacts are recorded for this customer, so there is none to pick. Contacts come in with the accounts import.",
          },
        ],
      },
    ];
  }
  const shown = form.contacts.slice(0, MAX_CONTACT_OPTIONS);
  const more = form.contacts.length - shown.length;
  return [
    {
      type: "input",
      block_id: interactionInput.contactIds,
      optional: true,
      label: plain("Their contacts"),
      ...(more > 0
        ? {
            hint: plain(`The first ${shown.length} contacts, purchasing first; ${more} more are not listed.`),
          }
        : {}),
      element: {
        type: "multi_static_select",
        action_id: interactionInput.contactIds,
        placeholder: plain("Who of theirs took part"),
        options: shown.map((contact) =>
          option(`${contact.name} · ${contactRoleLabel[contact.role]}`, contact.id),
        ),
      },
    },
  ];
}

function sourceContext(form: RecordForm): KnownBlock[] {
  const { text, permalink } = form.prefill;
  const cut = text !== undefined && text.length > TEXT_INPUT_MAX;
  const lines: string[] = [];
  if (permalink)
    lines.push(`Logged from <${permalink}|this message>; the link is saved with the interaction.`);
  if (cut) {
    lines.push(
      permalink
        ? `The message is longer than ${TEXT_INPUT_MAX.toLocaleString("en-US")} characters: the summary starts with its beginning, and the whole message stays behind the link.`
        : `The text is longer than ${TEXT_INPUT_MAX.toLocaleString("en-US")} characters: the summary starts with its beginning.`,
    );
  }
  return lines.length === 0
    ? []
    : [{ type: "context", elements: [{ type: "mrkdwn", text: lines.join("\n") }] }];
}

/**
 * The modal behind the card's Log interaction button, `/customer log <name>` and the message
 * shortcut. A summary prefilled from a long message is cut to what the input can hold; the
 * message's link (private_metadata) keeps the whole text reachable.
 */
export function buildInteractionModal(form: RecordForm): types.ModalView {
  const blocks: KnownBlock[] = [
    {
      type: "section",
      text: { type: "mrkdwn", text: `*${escapeMrkdwn(truncate(form.account.name, 200))}*` },
    },
    ...sourceContext(form),
    {
      type: "input",
      block_id: interactionInput.kind,
      label: plain("Kind"),
      element: {
        type: "static_select",
        action_id: interactionInput.kind,
        placeholder: plain("Visit, call, email …"),
        options: interactionKinds.map((kind: InteractionKind) => option(interactionKindLabel[kind], kind)),
      },
    },
    {
      type: "input",
      block_id: interactionInput.occurredOn,
      label: plain("Date"),
      hint: plain("When it happened; not in the future."),
      element: { type: "datepicker", action_id: interactionInput.occurredOn, initial_date: form.today },
    },
    {
      type: "input",
      block_id: interactionInput.ourParticipants,
      label: plain("Our people"),
      element: {
        type: "multi_users_select",
        action_id: interactionInput.ourParticipants,
        initial_users: [form.userId],
        placeholder: plain("Who of us took part"),
      },
    },
    ...contactBlocks(form),
    textInput(interactionInput.summary, "Summary", {
      optional: false,
      multiline: true,
      max: TEXT_INPUT_MAX,
      ...(form.prefill.text ? { initial: form.prefill.text } : {}),
      placeholder: "What was discussed",
    }),
    textInput(interactionInput.praised, "What they praised", {
      optional: true,
      multiline: true,
      max: TEXT_INPUT_MAX,
    }),
    textInput(interactionInput.complained, "What they complained about", {
      optional: true,
      multiline: true,
      max: TEXT_INPUT_MAX,
      hint: "A complaint that needs handling also deserves its own record: /customer complaint.",
    }),
    {
      type: "input",
      block_id: interactionInput.loyalty,
      optional: true,
      label: plain("Loyalty read"),
      hint: plain("How loyal this customer seems after this contact."),
      element: {
        type: "radio_buttons",
        action_id: interactionInput.loyalty,
        options: loyaltyReads.map((read) => ({
          text: plain(loyaltyLabel[read]),
          value: read,
          description: plain(loyaltyDescription[read]),
        })),
      },
    },
    { type: "divider" },
    {
      type: "section",
      text: { type: "mrkdwn", text: "*Next step* (optional): becomes a follow-up its owner is reminded of." },
    },
    textInput(interactionInput.nextStep, "Next step", {
      optional: true,
      multiline: false,
      max: NEXT_STEP_MAX,
      placeholder: "e.g. Send the revised offer",
    }),
    {
      type: "input",
      block_id: interactionInput.dueOn,
      optional: true,
      label: plain("Due"),
      hint: plain("Needed with a next step; today or later."),
      element: { type: "datepicker", action_id: interactionInput.dueOn, placeholder: plain("Pick a day") },
    },
    {
      type: "input",
      block_id: interactionInput.ownerSlackId,
      optional: true,
      label: plain("Owner"),
      hint: plain("Left empty: you."),
      element: { type: "users_select", action_id: interactionInput.ownerSlackId, initial_user: form.userId },
    },
  ];
  return {
    type: "modal",
    callback_id: ids.view.interaction,
    title: plain("Log interaction"),
    submit: plain("Save"),
    close: plain("Cancel"),
    private_metadata: recordMetadata(form),
    blocks,
  };
}

export type LoggedInteractionSummary = {
  accountName: string;
  kind: InteractionKind;
  occurredOn: string;
  summary: string;
  loyalty: LoyaltyRead | null;
  nextStep: { description: string; dueOn: string; ownerSlackId: string } | null;
};

const kindPhrase: Record<InteractionKind, string> = {
  visit: "a visit",
  call: "a call",
  email: "an email",
  meeting: "a meeting",
  event: "an event",
  other: "a contact",
};

/** The direct message confirming a saved interaction: user text escaped and shortened for display only. */
export function buildInteractionLogged(logged: LoggedInteractionSummary): {
  text: string;
  blocks: KnownBlock[];
} {
  const account = escapeMrkdwn(truncate(logged.accountName, 200));
  const step = logged.nextStep;
  const stepText = step
    ? `next step ${escapeMrkdwn(truncate(step.description, 200))} due ${step.dueOn} · owner ${userMention(step.ownerSlackId)}`
    : "no next step";
  const text = `Logged ${kindPhrase[logged.kind]} with ${account} on ${logged.occurredOn} · ${stepText}`;
  // Escaping can grow text fivefold (& → &amp;): the cuts keep every block under 3000 characters.
  const details = [
    `> ${escapeMrkdwn(truncate(logged.summary, 300)).replaceAll("\n", "\n> ")}`,
    ...(logged.loyalty ? [`*Loyalty read* ${loyaltyLabel[logged.loyalty]}`] : []),
  ];
  return {
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `:white_check_mark: ${text}` } },
      { type: "context", elements: [{ type: "mrkdwn", text: details.join("\n") }] },
    ],
  };
}
