// "Summarize" in a retrospective's thread: a modal opens at once ("Summarizing…"), then becomes the
// summary form, prefilled from the thread by the AI or empty with a note.
import type { App, BlockButtonAction } from "@slack/bolt";
import { userMessageOf } from "../../../errors.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import { draftRetroSummary } from "../../../services/retro/draft-retro-summary.ts";
import { ids } from "../../ids.ts";
import { ZCaseIdValue } from "../../views/exit-case.ts";
import {
  buildRetroSummaryLoading,
  buildRetroSummaryModal,
  buildRetroSummaryProblem,
} from "../../views/retro-summary-modal.ts";

export function register(app: App, deps: ServiceDeps): void {
  app.action<BlockButtonAction>(ids.action.retroSummarize, async ({ ack, action, body, client, respond }) => {
    await ack();
    const caseId = ZCaseIdValue.safeParse(action.value);
    if (!caseId.success) {
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        text: "That button is out of date.",
      });
      return;
    }
    // The trigger lives 3 seconds; reading the thread and asking the AI may take longer.
    const opened = await client.views
      .open({ trigger_id: body.trigger_id, view: buildRetroSummaryLoading(caseId.data) })
      .catch((error: unknown) => {
        deps.logger.warn({ err: error, caseId: caseId.data }, "the retrospective summary modal did not open");
        return null;
      });
    const viewId = opened?.view?.id;
    if (!opened || !viewId) {
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        text: "The summary form could not be opened: press Summarize again.",
      });
      return;
    }
    let view: ReturnType<typeof buildRetroSummaryModal>;
    try {
      view = buildRetroSummaryModal(await draftRetroSummary(deps, { slack: client, caseId: caseId.data }));
    } catch (error) {
      deps.logger.error({ err: error, caseId: caseId.data }, "preparing a retrospective summary failed");
      view = buildRetroSummaryProblem(userMessageOf(error));
    }
    // Fails when the person closed the modal meanwhile: nothing to show then.
    await client.views
      .update({ view_id: viewId, ...(opened.view?.hash ? { hash: opened.view.hash } : {}), view })
      .catch((error: unknown) =>
        deps.logger.warn(
          { err: error, caseId: caseId.data },
          "the retrospective summary modal was not updated",
        ),
      );
  });
}
