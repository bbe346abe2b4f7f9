// Card button Classification: opens the §7 designations modal for that account.
import type { App, BlockButtonAction } from "@slack/bolt";
import { z } from "zod";
import { isAppError, userMessageOf } from "../../../errors.ts";
import { getDesignationForm } from "../../../services/classification/designations.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import { ids } from "../../ids.ts";
import { buildClassificationModal } from "../../views/classification.ts";

const ZAccountButton = z.object({ value: z.uuid("not an account id") });

export function register(app: App, deps: ServiceDeps): void {
  app.action<BlockButtonAction>(ids.action.classify, async ({ ack, action, body, client, respond }) => {
    await ack();
    try {
      const { value } = ZAccountButton.parse(action);
      const form = await getDesignationForm(deps, { accountId: value, userId: body.user.id });
      await client.views.open({ trigger_id: body.trigger_id, view: buildClassificationModal(form) });
    } catch (error) {
      if (!isAppError(error)) deps.logger.error({ err: error }, "opening the classification modal failed");
      await respond({ replace_original: false, response_type: "ephemeral", text: userMessageOf(error) });
    }
  });
}
