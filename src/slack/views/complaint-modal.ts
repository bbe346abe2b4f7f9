// The complaint modal (§7 "listen to complaints"): what went wrong, how bad, who reported it, who owns it.
import type { types } from "@slack/bolt";
import {
  type ComplaintCategory,
  categoryLabel,
  complaintCategories,
  type ResponseTargets,
  type Severity,
  severities,
  severityLabel,
} from "../../domain/complaints.ts";
import { ids } from "../ids.ts";
import { safeLinkUrl } from "./complaint-message.ts";
import { escapeMrkdwn, truncate } from "./mrkdwn.ts";
import { type RecordForm, recordMetadata } from "./record-form.ts";

/** Block ids of the inputs; each input's action_id is the same as its block id. */
export const complaintFields = {
  category: "category",
  severity: "severity",
  description: "description",
  reportedBy: "reported_by",
  owner: "owner",
} as const;

/** Longest description kept: Slack's limit for a text input. */
export const DESCRIPTION_MAX = 3000;

const contactRoleText: Record<string, string> = {
  purchasing: "purchasing",
  decision_maker: "decision maker",
  user: "user",
  finance: "finance",
};

function option(text: string, value: string, description?: string): types.PlainTextOption {
  return {
    text: { type: "plain_text", text: truncate(text, 75) },
    value,
    ...(description ? { description: { type: "plain_text", text: truncate(description, 75) } } : {}),
  };
}

function days(count: number): string {
  return `${count} day${count === 1 ? "" : "s"}`;
}

export type ComplaintModalOptions = {
  /** When given, each severity says how long there is to resolve it. */
  responseTargets?: ResponseTargets;
};

export function buildComplaintModal(form: RecordForm, options: ComplaintModalOptions = {}): types.ModalView {
  const targets = options.responseTargets;
  const severityOption = (severity: Severity) =>
    option(
      severityLabel[severity],
      severity,
      targets ? `Resolve within ${days(targets[severity])}` : undefined,
    );
  const intro = [`*${escapeMrkdwn(truncate(form.account.name, 150))}*`];
  const source = form.prefill.permalink ? safeLinkUrl(form.prefill.permalink) : null;
  if (source) intro.push(`From <${source}|this message>`);
  const blocks: types.KnownBlock[] = [
    { type: "context", elements: [{ type: "mrkdwn", text: intro.join("  ·  ") }] },
    {
      type: "input",
      block_id: complaintFields.category,
      label: { type: "plain_text", text: "What is it about?" },
      element: {
        type: "static_select",
        action_id: complaintFields.category,
        placeholder: { type: "plain_text", text: "Category" },
        options: complaintCategories.map((c: ComplaintCategory) => option(categoryLabel[c], c)),
      },
    },
    {
      type: "input",
      block_id: complaintFields.severity,
      label: { type: "plain_text", text: "Severity" },
      element: {
        type: "static_select",
        action_id: complaintFields.severity,
        placeholder: { type: "plain_text", text: "How bad is it for the customer?" },
        options: severities.map(severityOption),
      },
    },
    {
      type: "input",
      block_id: complaintFields.description,
      label: { type: "plain_text", text: "What did the customer complain about?" },
      element: {
        type: "plain_text_input",
        action_id: complaintFields.description,
        multiline: true,
        max_length: DESCRIPTION_MAX,
        ...(form.prefill.text ? { initial_value: truncate(form.prefill.text, DESCRIPTION_MAX) } : {}),
      },
    },
  ];
  if (form.contacts.length > 0) {
    blocks.push({
      type: "input",
      block_id: complaintFields.reportedBy,
      optional: true,
      label: { type: "plain_text", text: "Reported by" },
      element: {
        type: "static_select",
        action_id: complaintFields.reportedBy,
        placeholder: { type: "plain_text", text: "Contact at the customer" },
        options: form.contacts
          .slice(0, 100)
          .map((contact) => option(contact.name, contact.id, contactRoleText[contact.role])),
      },
    });
  }
  blocks.push({
    type: "input",
    block_id: complaintFields.owner,
    label: { type: "plain_text", text: "Owner" },
    hint: { type: "plain_text", text: "Who sees it through until the customer confirms the fix." },
    element: {
      type: "users_select",
      action_id: complaintFields.owner,
      initial_user: form.account.ownerSlackId ?? form.userId,
    },
  });
  return {
    type: "modal",
    callback_id: ids.view.complaint,
    private_metadata: recordMetadata(form),
    title: { type: "plain_text", text: "Record a complaint" },
    submit: { type: "plain_text", text: "Save" },
    close: { type: "plain_text", text: "Cancel" },
    blocks,
  };
}
