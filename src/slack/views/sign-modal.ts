// The "Record a sign" modal (§3), how its entered values are read back, and the confirmation DM.
import type { types } from "@slack/bolt";
import { z } from "zod";
import { type ContactRole, contactRoleLabel, contactRoles } from "../../domain/account-card.ts";
import {
  type CompetitorMove,
  competitorMoveLabel,
  competitorMoves,
  SIGN_LIMITS,
  type SignDraft,
  type SignField,
  type SignKind,
  type SignSummary,
  signKindLabel,
  signKinds,
} from "../../domain/signs.ts";
import { ids } from "../ids.ts";
import { escapeMrkdwn, truncate } from "./mrkdwn.ts";
import { type FormContact, type RecordForm, recordMetadata } from "./record-form.ts";

type KnownBlock = types.KnownBlock;
type PlainTextOption = types.PlainTextOption;

/** One input block per field; each input's action_id is its block_id. */
export const signBlock: Record<SignField, string> = {
  kind: ids.action.signKind,
  observedOn: "sign_date",
  details: "sign_details",
  oldContact: "sign_old_contact",
  newContactName: "sign_new_contact_name",
  newContactRole: "sign_new_contact_role",
  newContactEmail: "sign_new_contact_email",
  newContactPhone: "sign_new_contact_phone",
  competitorName: "sign_competitor_name",
  competitorMoves: "sign_competitor_moves",
};

const plain = (text: string): types.PlainTextElement => ({ type: "plain_text", text });

const option = (text: string, value: string): PlainTextOption => ({ text: plain(truncate(text, 75)), value });

const kindOptions = signKinds.map((kind) => option(signKindLabel[kind], kind));
const roleOptions = contactRoles.map((role) => option(contactRoleLabel[role], role));
const moveOptions = competitorMoves.map((move) => option(competitorMoveLabel[move], move));

function contactOption(contact: FormContact): PlainTextOption {
  return option(`${contact.name} — ${contactRoleLabel[contact.role]}`, contact.id);
}

function isKind(value: string | null | undefined): value is SignKind {
  return signKinds.includes(value as SignKind);
}

// Only permalinks Slack gave us are linked; anything else would break the mrkdwn link syntax.
function messageLink(permalink: string | undefined): string | null {
  return permalink && /^https:\/\/[^\s<>|]+$/.test(permalink) ? `<${permalink}|the Slack message>` : null;
}

function input(
  field: SignField,
  label: string,
  element: types.InputBlockElement,
  extra: { optional?: boolean; hint?: string; dispatch?: boolean } = {},
): KnownBlock {
  return {
    type: "input",
    block_id: signBlock[field],
    label: plain(label),
    element: { ...element, action_id: signBlock[field] } as types.InputBlockElement,
    ...(extra.optional ? { optional: true } : {}),
    ...(extra.hint ? { hint: plain(extra.hint) } : {}),
    ...(extra.dispatch ? { dispatch_action: true } : {}),
  };
}

function textInput(initial: string | null | undefined, maxLength: number, multiline = false) {
  return {
    type: "plain_text_input" as const,
    max_length: maxLength,
    ...(multiline ? { multiline: true } : {}),
    ...(initial ? { initial_value: truncate(initial, maxLength) } : {}),
  };
}

function contactChangeBlocks(form: RecordForm, draft: Partial<SignDraft>): KnownBlock[] {
  const contacts = form.contacts.slice(0, 100);
  const oldContact = contacts.find((c) => c.id === draft.oldContact);
  const role = contactRoles.find((r) => r === draft.newContactRole) ?? oldContact?.role ?? "purchasing";
  const blocks: KnownBlock[] = [
    {
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: "Who left gets an end date and stays in the history; who took over is added as a current contact.",
        },
      ],
    },
  ];
  if (contacts.length > 0) {
    blocks.push(
      input(
        "oldContact",
        "Who left",
        {
          type: "static_select",
          placeholder: plain("Choose a current contact"),
          options: contacts.map(contactOption),
          ...(oldContact ? { initial_option: contactOption(oldContact) } : {}),
        },
        { optional: true, hint: "Leave empty if the person who left is not on record." },
      ),
    );
  }
  blocks.push(
    input("newContactName", "Who took over: name", textInput(draft.newContactName, SIGN_LIMITS.name)),
    input("newContactRole", "Their role", {
      type: "static_select",
      options: roleOptions,
      initial_option: option(contactRoleLabel[role], role),
    }),
    input(
      "newContactEmail",
      "Their email",
      {
        type: "email_text_input",
        ...(draft.newContactEmail ? { initial_value: draft.newContactEmail } : {}),
      },
      { optional: true },
    ),
    input("newContactPhone", "Their phone", textInput(draft.newContactPhone, SIGN_LIMITS.phone), {
      optional: true,
    }),
  );
  return blocks;
}

function competitorBlocks(draft: Partial<SignDraft>): KnownBlock[] {
  const chosen = moveOptions.filter((o) => draft.competitorMoves?.includes(o.value ?? ""));
  return [
    input("competitorName", "Competitor", textInput(draft.competitorName, SIGN_LIMITS.name)),
    input(
      "competitorMoves",
      "What they did",
      { type: "checkboxes", options: moveOptions, ...(chosen.length > 0 ? { initial_options: chosen } : {}) },
      { optional: true },
    ),
  ];
}

/**
 * The modal for one account. `draft` holds what was entered so far when the kind changes and the
 * modal is rebuilt (views.update) with that kind's fields: a contact change asks who left and who
 * took over, competitor activity asks who and what they did. Slack keeps typed values of inputs
 * whose block_id stays the same; the draft sets them too, so the rebuilt view is right on its own.
 */
export function buildSignModal(form: RecordForm, draft: Partial<SignDraft> = {}): types.ModalView {
  const kind = isKind(draft.kind) ? draft.kind : null;
  const link = messageLink(form.prefill.permalink);
  const details = draft.details ?? form.prefill.text ?? null;
  const blocks: KnownBlock[] = [
    {
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: `*${escapeMrkdwn(truncate(form.account.name, 150))}*${link ? ` · from ${link}` : ""}`,
        },
      ],
    },
    input(
      "kind",
      "What kind of sign",
      {
        type: "static_select",
        placeholder: plain("Choose a kind"),
        options: kindOptions,
        ...(kind ? { initial_option: option(signKindLabel[kind], kind) } : {}),
      },
      { dispatch: true },
    ),
    input("observedOn", "When", { type: "datepicker", initial_date: draft.observedOn ?? form.today }),
    input("details", "What was seen or heard", textInput(details, SIGN_LIMITS.details, true)),
  ];
  if (kind === "contact_change") blocks.push(...contactChangeBlocks(form, draft));
  else if (kind === "competitor_activity") blocks.push(...competitorBlocks(draft));
  else {
    blocks.push({
      type: "context",
      elements: [
        { type: "mrkdwn", text: "A contact change or competitor activity asks for who, once you choose it." },
      ],
    });
  }
  return {
    type: "modal",
    callback_id: ids.view.sign,
    title: plain("Record a sign"),
    submit: plain("Save"),
    close: plain("Cancel"),
    private_metadata: recordMetadata(form),
    blocks,
  };
}

const ZStateValue = z.object({
  value: z.string().nullish(),
  selected_date: z.string().nullish(),
  selected_option: z.object({ value: z.string() }).nullish(),
  selected_options: z.array(z.object({ value: z.string() })).nullish(),
});
const ZViewState = z.record(z.string(), z.record(z.string(), ZStateValue));

/** What the modal holds, read from `view.state.values`; fields whose block is not shown are null. */
export function readSignDraft(values: unknown): SignDraft {
  const state = ZViewState.parse(values);
  const at = (field: SignField) => state[signBlock[field]]?.[signBlock[field]];
  const text = (field: SignField) => at(field)?.value ?? null;
  const selected = (field: SignField) => at(field)?.selected_option?.value ?? null;
  return {
    kind: selected("kind"),
    observedOn: at("observedOn")?.selected_date ?? null,
    details: text("details"),
    oldContact: selected("oldContact"),
    newContactName: text("newContactName"),
    newContactRole: selected("newContactRole"),
    newContactEmail: text("newContactEmail"),
    newContactPhone: text("newContactPhone"),
    competitorName: text("competitorName"),
    competitorMoves: (at("competitorMoves")?.selected_options ?? []).map((o) => o.value),
  };
}

/**
 * Field errors as `response_action: "errors"` wants them: by block_id. An error on a field the view
 * does not show (the kind changed but the rebuilt modal had not arrived yet) goes on the kind select.
 */
export function signErrors(
  errors: Partial<Record<SignField, string>>,
  shownBlockIds: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors) as [SignField, string][]) {
    const block = shownBlockIds.includes(signBlock[field]) ? signBlock[field] : signBlock.kind;
    out[block] = out[block] ? `${out[block]} ${message}` : message;
  }
  return out;
}

function contactLine(contact: { name: string; role: ContactRole }): string {
  return `${escapeMrkdwn(contact.name)} (${contactRoleLabel[contact.role]})`;
}

function movesText(moves: readonly CompetitorMove[]): string {
  return moves.map((m) => competitorMoveLabel[m].toLowerCase()).join(", ");
}

/** The DM to whoever recorded the sign: a short summary, user text escaped. */
export function buildSignConfirmation(sign: SignSummary): { text: string } {
  const lines = [
    `Sign recorded for *${escapeMrkdwn(truncate(sign.accountName, 150))}*: ${signKindLabel[sign.kind]} on ${sign.observedOn}.`,
  ];
  if (sign.newContact) {
    lines.push(
      sign.oldContact
        ? `${contactLine(sign.oldContact)} left; ${contactLine(sign.newContact)} took over.`
        : `${contactLine(sign.newContact)} took over.`,
    );
  }
  if (sign.competitor) {
    const moves = sign.competitor.moves.length > 0 ? `: ${movesText(sign.competitor.moves)}` : "";
    lines.push(`Competitor ${escapeMrkdwn(sign.competitor.name)}${moves}.`);
  }
  lines.push(
    truncate(sign.details, 500)
      .split("\n")
      .map((line) => `>${escapeMrkdwn(line)}`)
      .join("\n"),
  );
  const link = messageLink(sign.sourcePermalink ?? undefined);
  if (link) lines.push(`Logged from ${link}.`);
  return { text: lines.join("\n") };
}
