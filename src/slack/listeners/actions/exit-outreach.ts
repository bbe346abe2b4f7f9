// Tasks 2 and 3, "Log outreach" (on the case message, or for one customer of the domino list): opens the form.
import type { App, BlockButtonAction } from "@slack/bolt";
import { isAppError, userMessageOf } from "../../../errors.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import { getOutreachForm } from "../../../services/exit/outreach-form.ts";
import { ids } from "../../ids.ts";
import { ZOutreachButtonValue } from "../../views/exit-domino.ts";
import { buildOutreachModal } from "../../views/exit-outreach-modal.ts";
import { parseButtonValue, replyToClicker } from "./clicker.ts";

export function register(app: App, deps: ServiceDeps): void {
  app.action<BlockButtonAction>(ids.action.exitOutreach, async (args) => {
    await args.ack();
    try {
      const value = parseButtonValue(ZOutreachButtonValue, args.action.value, true);
      const form = await getOutreachForm(deps, {
        caseId: value.caseId,
        task: value.task,
        userId: args.body.user.id,
        accountId: value.accountId ?? null,
      });
      await args.client.views.open({ trigger_id: args.body.trigger_id, view: buildOutreachModal(form) });
    } catch (error) {
      if (!isAppError(error)) deps.logger.error({ err: error }, "opening the outreach form failed");
      await replyToClicker(args)({ text: userMessageOf(error) }).catch((err: unknown) =>
        deps.logger.error({ err }, "could not tell the user the outreach form failed"),
      );
    }
  });
}
