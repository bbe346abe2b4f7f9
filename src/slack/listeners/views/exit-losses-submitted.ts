// Losses submitted: amounts checked in the form (numbers, not negative, recovered ≤ outstanding,
// agreed ≤ claimed); saved, the totals shown on the case message and posted in its thread.
import type { App, ViewSubmitAction } from "@slack/bolt";
import type { LossField } from "../../../domain/exit-losses.ts";
import { isAppError, userMessageOf } from "../../../errors.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import { refreshExitCase } from "../../../services/exit/exit-message.ts";
import { type SaveLossesResult, saveLosses } from "../../../services/exit/losses.ts";
import { ids } from "../../ids.ts";
import { exitRenderers } from "../../views/exit-case.ts";
import { lossBlock, parseLossesMetadata, readLossesState } from "../../views/exit-losses-modal.ts";

export function register(app: App, deps: ServiceDeps): void {
  app.view<ViewSubmitAction>(ids.view.exitLosses, async ({ ack, body, view, client }) => {
    const refuse = (errors: Record<string, string>) => ack({ response_action: "errors", errors });
    let caseId: string;
    try {
      caseId = parseLossesMetadata(view.private_metadata).caseId;
    } catch {
      await refuse({
        [lossBlock.receivablesOutstanding]: "This form is out of date: close it and open it again.",
      });
      return;
    }
    let result: SaveLossesResult;
    try {
      result = await saveLosses(deps, {
        caseId,
        inputs: readLossesState(view.state.values),
        actorSlackId: body.user.id,
      });
    } catch (error) {
      if (!isAppError(error)) deps.logger.error({ err: error, caseId }, "saving the losses failed");
      await refuse({ [lossBlock.receivablesOutstanding]: userMessageOf(error) });
      return;
    }
    if (!result.ok) {
      await refuse(
        Object.fromEntries(
          Object.entries(result.errors).map(([field, message]) => [lossBlock[field as LossField], message]),
        ),
      );
      return;
    }
    await ack();
    if (!result.changed) return;
    await refreshExitCase(deps, {
      slack: client,
      caseId,
      update: { actorSlackId: body.user.id, text: result.update },
      render: exitRenderers,
    }).catch((error: unknown) => deps.logger.error({ err: error, caseId }, "refreshing an exit case failed"));
  });
}
