// Complaint and resolve modal submissions: inline errors for bad input, else save once and post or update the message.
import type { App, ViewSubmitAction } from "@slack/bolt";
import { z } from "zod";
import { complaintCategories, severities } from "../../../domain/complaints.ts";
import { userMessageOf } from "../../../errors.ts";
import {
  postComplaintMessage,
  refreshComplaintMessage,
} from "../../../services/complaints/complaint-message.ts";
import { recordComplaint } from "../../../services/complaints/record-complaint.ts";
import { transitionComplaint } from "../../../services/complaints/transition-complaint.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import { ids } from "../../ids.ts";
import { complaintRenderers } from "../../views/complaint-message.ts";
import { complaintFields, DESCRIPTION_MAX } from "../../views/complaint-modal.ts";
import {
  parseResolveMetadata,
  RESOLUTION_MAX,
  resolutionField,
} from "../../views/complaint-resolve-modal.ts";
import { parseRecordMetadata } from "../../views/record-form.ts";

const selected = <const T extends readonly [string, ...string[]]>(values: T) =>
  z
    .object({ selected_option: z.object({ value: z.enum(values) }) })
    .transform((input) => input.selected_option.value);

const text = (max: number) =>
  z
    .object({ value: z.string().nullish() })
    .transform((input) => (input.value ?? "").trim())
    .pipe(z.string().min(1).max(max));

const ZComplaintValues = z.object({
  [complaintFields.category]: z.object({ [complaintFields.category]: selected(complaintCategories) }),
  [complaintFields.severity]: z.object({ [complaintFields.severity]: selected(severities) }),
  [complaintFields.description]: z.object({ [complaintFields.description]: text(DESCRIPTION_MAX) }),
  // Optional, and absent when the account has no contacts.
  [complaintFields.reportedBy]: z
    .object({
      [complaintFields.reportedBy]: z.object({ selected_option: z.object({ value: z.uuid() }).nullish() }),
    })
    .optional(),
  [complaintFields.owner]: z.object({
    [complaintFields.owner]: z.object({ selected_user: z.string().regex(/^[UW][A-Z0-9]+$/) }),
  }),
});

/** Shown under the input whose value is missing or wrong. */
const fieldErrors: Record<string, string> = {
  [complaintFields.category]: "Pick what the complaint is about.",
  [complaintFields.severity]: "Pick how severe it is.",
  [complaintFields.description]: `Describe what the customer complained about (at most ${DESCRIPTION_MAX} characters).`,
  [complaintFields.reportedBy]: "Pick one of the customer's contacts, or leave it empty.",
  [complaintFields.owner]: "Pick the person who owns this complaint.",
};

function inlineErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const block = String(issue.path[0] ?? complaintFields.description);
    errors[block] ??= fieldErrors[block] ?? fieldErrors[complaintFields.description] ?? "Check this value.";
  }
  return errors;
}

const ZResolveValues = z.object({ [resolutionField]: z.object({ [resolutionField]: text(RESOLUTION_MAX) }) });

const OUT_OF_DATE = "This form is out of date. Close it and start again.";

export function register(app: App, deps: ServiceDeps): void {
  app.view<ViewSubmitAction>(ids.view.complaint, async ({ ack, body, view, client }) => {
    const parsed = ZComplaintValues.safeParse(view.state.values);
    if (!parsed.success) {
      await ack({ response_action: "errors", errors: inlineErrors(parsed.error) });
      return;
    }
    const values = parsed.data;
    let metadata: ReturnType<typeof parseRecordMetadata>;
    try {
      metadata = parseRecordMetadata(view.private_metadata);
    } catch {
      await ack({ response_action: "errors", errors: { [complaintFields.description]: OUT_OF_DATE } });
      return;
    }
    let complaintId: string;
    try {
      const result = await recordComplaint(deps, {
        accountId: metadata.accountId,
        category: values.category.category,
        severity: values.severity.severity,
        description: values.description.description,
        reportedByContactId: values.reported_by?.reported_by.selected_option?.value ?? null,
        ownerSlackId: values.owner.owner.selected_user,
        createdBy: body.user.id,
        sourcePermalink: metadata.permalink ?? null,
        submissionKey: view.id,
      });
      if (result.kind === "invalid") {
        const block =
          result.field === "reportedBy" ? complaintFields.reportedBy : complaintFields.description;
        await ack({ response_action: "errors", errors: { [block]: result.message } });
        return;
      }
      await ack();
      // A replayed or doubled submission: the first one posts the message.
      if (!result.created) return;
      complaintId = result.complaintId;
    } catch (error) {
      deps.logger.error({ err: error }, "recording a complaint failed");
      await ack({
        response_action: "errors",
        errors: { [complaintFields.description]: userMessageOf(error) },
      });
      return;
    }
    try {
      await postComplaintMessage(deps, {
        slack: client,
        complaintId,
        submitterSlackId: body.user.id,
        render: complaintRenderers,
      });
    } catch (error) {
      deps.logger.error({ err: error, complaintId }, "posting a recorded complaint failed");
    }
  });

  app.view<ViewSubmitAction>(ids.view.complaintResolve, async ({ ack, body, view, client }) => {
    const parsed = ZResolveValues.safeParse(view.state.values);
    if (!parsed.success) {
      await ack({
        response_action: "errors",
        errors: { [resolutionField]: `Say what was done (at most ${RESOLUTION_MAX} characters).` },
      });
      return;
    }
    let complaintId: string;
    try {
      complaintId = parseResolveMetadata(view.private_metadata).complaintId;
    } catch {
      await ack({ response_action: "errors", errors: { [resolutionField]: OUT_OF_DATE } });
      return;
    }
    try {
      const outcome = await transitionComplaint(deps, {
        complaintId,
        action: "resolve",
        actorSlackId: body.user.id,
        note: parsed.data.resolution.resolution,
      });
      if (outcome.kind === "refused") {
        await ack({ response_action: "errors", errors: { [resolutionField]: outcome.reason } });
      } else {
        await ack();
      }
    } catch (error) {
      deps.logger.error({ err: error, complaintId }, "resolving a complaint failed");
      await ack({ response_action: "errors", errors: { [resolutionField]: userMessageOf(error) } });
      return;
    }
    // Applied or refused, the message shows the complaint as it is now.
    await refreshComplaintMessage(deps, { slack: client, complaintId, render: complaintRenderers }).catch(
      (error: unknown) =>
        deps.logger.error({ err: error, complaintId }, "refreshing a complaint message failed"),
    );
  });
}
