// The exit modal submitted: start the case (once per modal) and post it, or save the edited reasons.
// Bad input and refusals (already leaving, lost) are shown in the modal; nothing is half-written.
import type { App, ViewSubmitAction } from "@slack/bolt";
import { z } from "zod";
import { churnReasons } from "../../../domain/exit.ts";
import { AppError, isAppError, userMessageOf } from "../../../errors.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import { announceExitStart, classifyReason } from "../../../services/exit/announce-exit.ts";
import { editExitCase } from "../../../services/exit/edit-exit-case.ts";
import { caseStartedBy, getExitStartForm } from "../../../services/exit/exit-forms.ts";
import { refreshExitCase } from "../../../services/exit/exit-message.ts";
import { cleanDraft, type ExitStartDraft, startExit } from "../../../services/exit/start-exit.ts";
import { ids } from "../../ids.ts";
import { buildChurnWarning } from "../../views/churn-warning.ts";
import { exitRenderers } from "../../views/exit-case.ts";
import {
  COMPETITOR_MAX,
  type ExitStartMetadata,
  exitStartFields as fields,
  parseExitStartMetadata,
  REASON_TEXT_MAX,
} from "../../views/exit-start-modal.ts";
import { escapeMrkdwn } from "../../views/mrkdwn.ts";
import { inlineErrors } from "./inline-errors.ts";

const optionalText = (max: number) =>
  z
    .object({ value: z.string().nullish() })
    .transform((input) => input.value?.trim() || null)
    .pipe(z.string().max(max).nullable());

const ZExitStartValues = z.object({
  [fields.reason]: z.object({
    [fields.reason]: z.object({ selected_option: z.object({ value: z.enum(churnReasons) }).nullish() }),
  }),
  [fields.surfaceReason]: z.object({ [fields.surfaceReason]: optionalText(REASON_TEXT_MAX) }),
  [fields.deepReason]: z.object({ [fields.deepReason]: optionalText(REASON_TEXT_MAX) }),
  [fields.competitorWon]: z.object({ [fields.competitorWon]: optionalText(COMPETITOR_MAX) }),
  [fields.expectedEndOn]: z.object({
    [fields.expectedEndOn]: z.object({ selected_date: z.string().nullish() }),
  }),
});

/** Shown under the input whose value is wrong. */
const fieldErrors: Record<string, string> = {
  [fields.reason]: "Pick one of the reasons, or leave it empty.",
  [fields.surfaceReason]: `At most ${REASON_TEXT_MAX} characters.`,
  [fields.deepReason]: `At most ${REASON_TEXT_MAX} characters.`,
  [fields.competitorWon]: `At most ${COMPETITOR_MAX} characters.`,
  [fields.expectedEndOn]: "Pick a valid date, or leave it empty.",
};

/** Service errors keyed by draft field → the modal's block ids. */
function draftErrors(errors: Partial<Record<keyof ExitStartDraft, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(errors).map(([key, message]) => [fields[key as keyof ExitStartDraft], String(message)]),
  );
}

const OUT_OF_DATE = "This form is out of date. Close it and start again.";

export function register(app: App, deps: ServiceDeps): void {
  app.view<ViewSubmitAction>(ids.view.exitStart, async ({ ack, body, view, client }) => {
    const parsed = ZExitStartValues.safeParse(view.state.values);
    if (!parsed.success) {
      await ack({
        response_action: "errors",
        errors: inlineErrors(parsed.error, fieldErrors, fields.reason),
      });
      return;
    }
    let target: ExitStartMetadata;
    try {
      target = parseExitStartMetadata(view.private_metadata);
    } catch {
      await ack({ response_action: "errors", errors: { [fields.reason]: OUT_OF_DATE } });
      return;
    }
    const values = parsed.data;
    const draft: ExitStartDraft = {
      reason: values[fields.reason][fields.reason].selected_option?.value ?? null,
      surfaceReason: values[fields.surfaceReason][fields.surfaceReason],
      deepReason: values[fields.deepReason][fields.deepReason],
      competitorWon: values[fields.competitorWon][fields.competitorWon],
      expectedEndOn: values[fields.expectedEndOn][fields.expectedEndOn].selected_date ?? null,
    };
    const actorSlackId = body.user.id;
    const refuse = async (error: unknown, what: string) => {
      if (isAppError(error)) deps.logger.info({ reason: error.userMessage }, `${what}: refused`);
      else deps.logger.error({ err: error }, `${what} failed`);
      await ack({ response_action: "errors", errors: { [fields.reason]: userMessageOf(error) } });
    };

    if ("caseId" in target) {
      let edited: Awaited<ReturnType<typeof editExitCase>>;
      try {
        edited = await editExitCase(deps, { caseId: target.caseId, draft, actorSlackId });
      } catch (error) {
        await refuse(error, "editing an exit case");
        return;
      }
      if (!edited.ok) {
        await ack({ response_action: "errors", errors: draftErrors(edited.errors) });
        return;
      }
      await ack();
      const { caseId, update, reasonTextChanged } = edited;
      try {
        if (update)
          await refreshExitCase(deps, {
            slack: client,
            caseId,
            update: { actorSlackId, text: update },
            render: exitRenderers,
          });
        if (reasonTextChanged)
          await classifyReason(deps, { slack: client, caseId, actorSlackId, render: exitRenderers });
      } catch (error) {
        deps.logger.error({ err: error, caseId }, "announcing an edited exit case failed");
      }
      return;
    }

    // Checked before the modal closes: bad input, and a customer already leaving or lost, are shown
    // in it. Starting (a transaction of several writes) follows the ack, so the modal closes within
    // Slack's three seconds even on a cold start; the rare failure after is told by DM.
    const checked = cleanDraft(draft);
    if (!checked.ok) {
      await ack({ response_action: "errors", errors: draftErrors(checked.errors) });
      return;
    }
    let warningId: string | null;
    try {
      // A replayed or doubled submission: the first one started (and posts) the case.
      if (await caseStartedBy(deps, view.id)) {
        await ack();
        return;
      }
      ({ warningId } = await getExitStartForm(deps, target));
    } catch (error) {
      await refuse(error, "starting exit handling");
      return;
    }
    await ack();
    let caseId: string;
    try {
      const started = await startExit(deps, {
        accountId: target.accountId,
        draft: checked.draft,
        warningId,
        actorSlackId,
        submissionKey: view.id,
      });
      if (!started.ok) throw new AppError("bad_request", Object.values(started.errors).join(" "));
      // A replayed or doubled submission: the first one posts the case.
      if (!started.created) return;
      caseId = started.caseId;
    } catch (error) {
      if (isAppError(error))
        deps.logger.info({ reason: error.userMessage }, "starting exit handling: refused");
      else deps.logger.error({ err: error }, "starting exit handling failed");
      await client.chat
        .postMessage({
          channel: actorSlackId,
          text: `Exit handling was not started: ${escapeMrkdwn(userMessageOf(error))}`,
        })
        .catch((err: unknown) => deps.logger.error({ err }, "could not tell the user exit handling failed"));
      return;
    }
    deps.logger.info({ caseId, by: actorSlackId }, "exit handling started");
    try {
      await announceExitStart(deps, {
        slack: client,
        caseId,
        actorSlackId,
        render: exitRenderers,
        renderWarning: buildChurnWarning,
      });
    } catch (error) {
      deps.logger.error({ err: error, caseId }, "posting a started exit case failed");
    }
  });
}
