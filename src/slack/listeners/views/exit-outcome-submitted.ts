// The last conversation's outcome modal: inline errors for bad input, else record it once, then
// re-render the case's message (closed when retained) and add a line to its thread.
import type { App, ViewSubmitAction } from "@slack/bolt";
import { z } from "zod";
import { conversationOutcomes } from "../../../domain/last-conversation.ts";
import { userMessageOf } from "../../../errors.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import { refreshExitCase } from "../../../services/exit/exit-message.ts";
import { recordConversationOutcome } from "../../../services/exit/record-outcome.ts";
import { ids } from "../../ids.ts";
import { buildExitCaseMessage, buildExitUpdate } from "../../views/exit-case.ts";
import { outcomeFields, parseOutcomeMetadata, REASON_MAX, SAID_MAX } from "../../views/exit-outcome-modal.ts";

const text = (max: number) =>
  z
    .object({ value: z.string().nullish() })
    .transform((input) => (input.value ?? "").trim())
    .pipe(z.string().max(max));

const field = <K extends string, T extends z.ZodType>(id: K, schema: T) =>
  z.object({ [id]: schema } as Record<K, T>);

const ZOutcomeValues = z.object({
  [outcomeFields.outcome]: field(
    outcomeFields.outcome,
    z
      .object({ selected_option: z.object({ value: z.enum(conversationOutcomes) }) })
      .transform((input) => input.selected_option.value),
  ),
  [outcomeFields.said]: field(outcomeFields.said, text(SAID_MAX).pipe(z.string().min(1))),
  [outcomeFields.suggested]: field(outcomeFields.suggested, text(SAID_MAX)),
  [outcomeFields.surfaceReason]: field(outcomeFields.surfaceReason, text(REASON_MAX)),
  [outcomeFields.deepReason]: field(outcomeFields.deepReason, text(REASON_MAX)),
});

/** Shown under the input whose value is missing or wrong. */
const fieldErrors: Record<string, string> = {
  [outcomeFields.outcome]: "Pick whether they stay or leave.",
  [outcomeFields.said]: `Write what the customer said (at most ${SAID_MAX} characters).`,
  [outcomeFields.suggested]: `At most ${SAID_MAX} characters.`,
  [outcomeFields.surfaceReason]: `At most ${REASON_MAX} characters.`,
  [outcomeFields.deepReason]: `At most ${REASON_MAX} characters.`,
};

function inlineErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const block = String(issue.path[0] ?? outcomeFields.said);
    errors[block] ??= fieldErrors[block] ?? "Check this value.";
  }
  return errors;
}

const render = { message: buildExitCaseMessage, update: buildExitUpdate };

export function register(app: App, deps: ServiceDeps): void {
  app.view<ViewSubmitAction>(ids.view.exitOutcome, async ({ ack, body, view, client }) => {
    const parsed = ZOutcomeValues.safeParse(view.state.values);
    if (!parsed.success) {
      await ack({ response_action: "errors", errors: inlineErrors(parsed.error) });
      return;
    }
    const values = parsed.data;
    let caseId: string;
    try {
      caseId = parseOutcomeMetadata(view.private_metadata).caseId;
    } catch {
      await ack({
        response_action: "errors",
        errors: { [outcomeFields.outcome]: "This form is out of date. Close it and start again." },
      });
      return;
    }
    let update: string;
    try {
      const result = await recordConversationOutcome(deps, {
        caseId,
        actorSlackId: body.user.id,
        submissionKey: view.id,
        draft: {
          outcome: values.outcome.outcome,
          customerSaid: values.customer_said.customer_said,
          customerSuggested: values.customer_suggested.customer_suggested || null,
          surfaceReason: values.surface_reason.surface_reason || null,
          deepReason: values.deep_reason.deep_reason || null,
        },
      });
      await ack();
      // A replayed submit: the first one updated the message.
      if (result.replayed) return;
      update = result.update;
    } catch (error) {
      deps.logger.error({ err: error, caseId }, "recording a last conversation's outcome failed");
      await ack({ response_action: "errors", errors: { [outcomeFields.outcome]: userMessageOf(error) } });
      return;
    }
    await refreshExitCase(deps, {
      slack: client,
      caseId,
      update: { actorSlackId: body.user.id, text: update },
      render,
    }).catch((error: unknown) => deps.logger.error({ err: error, caseId }, "refreshing an exit case failed"));
  });
}
