// Task 4, "Losses": opens the form with the saved amounts (or the unpaid invoices as receivables outstanding).
import type { App, BlockButtonAction } from "@slack/bolt";
import { isAppError, userMessageOf } from "../../../errors.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import { getLossesForm } from "../../../services/exit/losses.ts";
import { ids } from "../../ids.ts";
import { ZCaseIdValue } from "../../views/exit-case.ts";
import { buildLossesModal } from "../../views/exit-losses-modal.ts";
import { parseButtonValue, replyToClicker } from "./clicker.ts";

export function register(app: App, deps: ServiceDeps): void {
  app.action<BlockButtonAction>(ids.action.exitLosses, async (args) => {
    await args.ack();
    try {
      const caseId = parseButtonValue(ZCaseIdValue, args.action.value, false);
      const form = await getLossesForm(deps, caseId);
      await args.client.views.open({ trigger_id: args.body.trigger_id, view: buildLossesModal(form) });
    } catch (error) {
      if (!isAppError(error)) deps.logger.error({ err: error }, "opening the losses form failed");
      await replyToClicker(args)({ text: userMessageOf(error) }).catch((err: unknown) =>
        deps.logger.error({ err }, "could not tell the user the losses form failed"),
      );
    }
  });
}
