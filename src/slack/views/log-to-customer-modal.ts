// "Log to customer" (message shortcut): pick the customer and the record type; the message rides along.
import type { types } from "@slack/bolt";
import { z } from "zod";
import { ids } from "../ids.ts";
import { escapeMrkdwn, truncate } from "./mrkdwn.ts";
import type { RecordKind } from "./record-form.ts";

type KnownBlock = types.KnownBlock;

export const logToCustomerBlock = {
  account: "log_to_customer_account",
  kind: "log_to_customer_kind",
} as const;

/**
 * The message text carried to the record modal. private_metadata holds at most 3000 characters and
 * the app has no scope to read a channel's history again, so a longer text is cut (ending in "…")
 * and the record keeps the permalink to the whole message.
 */
export const MAX_CARRIED_TEXT = 2500;
const METADATA_LIMIT = 3000;

export const ZLogToCustomerMetadata = z.object({
  text: z.string(),
  /** The message was longer than what is carried. */
  truncated: z.boolean(),
  permalink: z.url().max(1000).optional(),
});
export type LogToCustomerSource = z.infer<typeof ZLogToCustomerMetadata>;

/** Slack's message markup as a person reads it: links as "label (url)", mentions by name, entities decoded. */
export function plainMessageText(text: string): string {
  return text
    .replace(/<([^<>|]*)(?:\|([^<>]*))?>/g, (_whole, target: string, label: string | undefined) => {
      if (target.startsWith("#")) return label ? `#${label}` : target;
      if (target.startsWith("@")) return label ? `@${label.replace(/^@/, "")}` : target;
      if (target.startsWith("!")) return label ?? `@${target.slice(1).split("^")[0]}`;
      const url = target.replace(/^mailto:/, "");
      return label && label !== url ? `${label} (${url})` : url;
    })
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}

/** What the shortcut carries: the message's text (cut to fit) and its permalink. */
export function logToCustomerSource(messageText: string, permalink: string | undefined): LogToCustomerSource {
  const text = plainMessageText(messageText).trim();
  const link = permalink && permalink.length <= 1000 ? { permalink } : {};
  let carried = truncate(text, MAX_CARRIED_TEXT);
  // JSON escaping (quotes, line breaks) makes the metadata longer than the text: cut until it fits.
  for (;;) {
    const source = { text: carried, truncated: carried !== text, ...link };
    const excess = JSON.stringify(source).length - METADATA_LIMIT;
    if (excess <= 0) return source;
    carried = truncate(text, Math.max(1, Array.from(carried).length - excess));
  }
}

export function parseLogToCustomerMetadata(privateMetadata: string): LogToCustomerSource {
  return ZLogToCustomerMetadata.parse(JSON.parse(privateMetadata));
}

const plain = (text: string): types.PlainTextElement => ({ type: "plain_text", text });

const kindChoices: { kind: RecordKind; label: string }[] = [
  { kind: "interaction", label: "Interaction: a visit, call, email or meeting" },
  { kind: "complaint", label: "Complaint" },
  { kind: "sign", label: "Warning sign: a new contact, a competitor, a payment problem…" },
];
const kindOptions = kindChoices.map((c) => ({ text: plain(c.label), value: c.kind }));

function quote(text: string): string {
  return truncate(text, 500)
    .split("\n")
    .map((line) => `>${escapeMrkdwn(line)}`)
    .join("\n");
}

export function buildLogToCustomerModal(source: LogToCustomerSource): types.ModalView {
  const link =
    source.permalink && /^https:\/\/[^\s<>|]+$/.test(source.permalink)
      ? `<${source.permalink}|Open the message>`
      : "Slack gave no link to this message, so the record will not link back to it.";
  const notes = [link];
  if (source.truncated) {
    notes.push(
      `The message is long: its first ${MAX_CARRIED_TEXT.toLocaleString("en-US")} characters or so are carried over, and the record links to the whole message.`,
    );
  }
  const blocks: KnownBlock[] = [
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: source.text
          ? `*From the message*\n${quote(source.text)}`
          : "*From the message* (it has no text)",
      },
    },
    { type: "context", elements: notes.map((text) => ({ type: "mrkdwn" as const, text })) },
    {
      type: "input",
      block_id: logToCustomerBlock.account,
      label: plain("Customer"),
      element: {
        type: "external_select",
        action_id: ids.action.accountSelect,
        min_query_length: 1,
        placeholder: plain("Type a name, alias or ERP id"),
      },
    },
    {
      type: "input",
      block_id: logToCustomerBlock.kind,
      label: plain("Log it as"),
      element: {
        type: "radio_buttons",
        action_id: logToCustomerBlock.kind,
        options: kindOptions,
        initial_option: kindOptions[0],
      },
    },
  ];
  return {
    type: "modal",
    callback_id: ids.view.logToCustomer,
    title: plain("Log to customer"),
    submit: plain("Next"),
    close: plain("Cancel"),
    private_metadata: JSON.stringify(source),
    blocks,
  };
}

/** The external select's options: the account's name (and the alias that matched) with its ERP id. */
export function buildAccountOptions(
  accounts: readonly { id: string; name: string; externalId: string; matchedAlias: string | null }[],
): types.PlainTextOption[] {
  return accounts.map((account) => {
    const alias = account.matchedAlias ? ` (${account.matchedAlias})` : "";
    const id = ` · ${account.externalId}`;
    // The ERP id is what tells namesakes apart, so the name gives way first.
    const name = truncate(`${account.name}${alias}`, Math.max(20, 75 - Array.from(id).length));
    return { text: plain(truncate(`${name}${id}`, 75)), value: account.id };
  });
}

const ZChoice = z.object({ selected_option: z.object({ value: z.string() }).nullish() });
const ZPickerState = z.record(z.string(), z.record(z.string(), ZChoice));

/** The picked account id and record type, or null where nothing (valid) was picked. */
export function readLogToCustomer(values: unknown): { accountId: string | null; kind: RecordKind | null } {
  const state = ZPickerState.parse(values);
  const accountId = state[logToCustomerBlock.account]?.[ids.action.accountSelect]?.selected_option?.value;
  const kind = state[logToCustomerBlock.kind]?.[logToCustomerBlock.kind]?.selected_option?.value;
  return {
    accountId: z.uuid().safeParse(accountId).success ? (accountId ?? null) : null,
    kind: kindChoices.find((c) => c.kind === kind)?.kind ?? null,
  };
}
