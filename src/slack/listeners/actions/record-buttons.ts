// Card buttons Log interaction / Complaint / Record a sign: open the matching modal for that account.
import type { App, BlockButtonAction } from "@slack/bolt";
import { z } from "zod";
import { userMessageOf } from "../../../errors.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import { getRecordForm } from "../../../services/get-record-form.ts";
import { ids } from "../../ids.ts";
import type { RecordKind } from "../../views/record-form.ts";
import { buildRecordModal } from "../../views/record-modals.ts";

const ZAccountButton = z.object({ value: z.uuid("not an account id") });

const buttons: [string, RecordKind][] = [
  [ids.action.logInteraction, "interaction"],
  [ids.action.newComplaint, "complaint"],
  [ids.action.recordSign, "sign"],
];

export function register(app: App, deps: ServiceDeps): void {
  for (const [actionId, kind] of buttons) {
    app.action<BlockButtonAction>(actionId, async ({ ack, action, body, client, respond }) => {
      await ack();
      try {
        const { value } = ZAccountButton.parse(action);
        const form = await getRecordForm(deps, { accountId: value, userId: body.user.id });
        await client.views.open({
          trigger_id: body.trigger_id,
          view: buildRecordModal(kind, form, deps.responseTargets),
        });
      } catch (error) {
        deps.logger.error({ err: error, kind }, "opening a record modal failed");
        await respond({ replace_original: false, response_type: "ephemeral", text: userMessageOf(error) });
      }
    });
  }
}
