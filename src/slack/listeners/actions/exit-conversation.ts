// Task 1's buttons on an exit case's message: "Brief" posts the last-conversation brief in its thread,
// "Record outcome" opens the outcome modal (or says why the outcome cannot be recorded now).
import type { AllMiddlewareArgs, App, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { outcomeRefusal } from "../../../domain/last-conversation.ts";
import { AppError, userMessageOf } from "../../../errors.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import { postExitBrief } from "../../../services/exit/exit-brief.ts";
import { getExitCase } from "../../../services/exit/get-exit-case.ts";
import { ids } from "../../ids.ts";
import { exitBriefRenderers } from "../../views/exit-brief.ts";
import { ZCaseIdValue } from "../../views/exit-case.ts";
import { buildExitOutcomeModal } from "../../views/exit-outcome-modal.ts";

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

function caseIdOf(value: string | undefined): string {
  const parsed = ZCaseIdValue.safeParse(value);
  if (!parsed.success) throw new AppError("bad_request", "That button is out of date.");
  return parsed.data;
}

/** Only the clicker sees why nothing happened. */
async function tell(deps: ServiceDeps, { respond }: ButtonArgs, text: string): Promise<void> {
  await respond({ response_type: "ephemeral", replace_original: false, text }).catch((err: unknown) =>
    deps.logger.error({ err }, "could not tell the user why an exit button did nothing"),
  );
}

export function register(app: App, deps: ServiceDeps): void {
  app.action<BlockButtonAction>(ids.action.exitBrief, async (args) => {
    const { ack, action, body, client } = args;
    // Nothing opens a modal here, so the AI may take its time after the ack.
    await ack();
    try {
      const message =
        body.message?.ts && body.channel?.id ? { channelId: body.channel.id, ts: body.message.ts } : null;
      await postExitBrief(deps, {
        slack: client,
        caseId: caseIdOf(action.value),
        actorSlackId: body.user.id,
        clickedMessage: message,
        render: exitBriefRenderers,
      });
    } catch (error) {
      deps.logger.error({ err: error }, "posting an exit brief failed");
      await tell(deps, args, userMessageOf(error));
    }
  });

  app.action<BlockButtonAction>(ids.action.exitOutcome, async (args) => {
    const { ack, action, body, client } = args;
    await ack();
    try {
      const exitCase = await getExitCase(deps, caseIdOf(action.value));
      const task1 = exitCase.tasks.find((task) => task.number === 1);
      const refusal = outcomeRefusal({ caseStatus: exitCase.status, task1Status: task1?.status ?? null });
      if (refusal) {
        await tell(deps, args, refusal);
        return;
      }
      await client.views.open({ trigger_id: body.trigger_id, view: buildExitOutcomeModal(exitCase) });
    } catch (error) {
      deps.logger.error({ err: error }, "opening the exit outcome modal failed");
      await tell(deps, args, userMessageOf(error));
    }
  });
}
