// "Start exit handling" (critical warning, card) and "Edit case" (the case's message): open the modal,
// or tell the clicker at once why not (the customer is already leaving or lost).
import type { App, BlockButtonAction } from "@slack/bolt";
import type { ServiceDeps } from "../../../services/deps.ts";
import { getExitStartForm } from "../../../services/exit/exit-forms.ts";
import { getExitCase } from "../../../services/exit/get-exit-case.ts";
import { ids } from "../../ids.ts";
import { ZCaseIdValue } from "../../views/exit-case.ts";
import { buildExitStartModal, ZExitStartValue } from "../../views/exit-start-modal.ts";
import { opener, parseButtonValue } from "./button-helpers.ts";

export function register(app: App, deps: ServiceDeps): void {
  app.action<BlockButtonAction>(
    ids.action.exitStart,
    opener(deps, "opening the exit start modal", async ({ action, body, client }) => {
      const value = parseButtonValue(ZExitStartValue, action.value, "json");
      const form = await getExitStartForm(deps, {
        accountId: value.accountId,
        warningId: value.warningId ?? null,
      });
      await client.views.open({
        trigger_id: body.trigger_id,
        view: buildExitStartModal({
          accountName: form.account.name,
          target: { accountId: form.account.id, warningId: form.warningId },
          aiClassifies: deps.assistant !== undefined,
        }),
      });
    }),
  );

  app.action<BlockButtonAction>(
    ids.action.exitCaseEdit,
    opener(deps, "opening the exit case edit modal", async ({ action, body, client }) => {
      const caseId = parseButtonValue(ZCaseIdValue, action.value, "text");
      const exitCase = await getExitCase(deps, caseId);
      await client.views.open({
        trigger_id: body.trigger_id,
        view: buildExitStartModal({
          accountName: exitCase.account.name,
          target: { caseId },
          prefill: {
            reason: exitCase.reason,
            surfaceReason: exitCase.surfaceReason,
            deepReason: exitCase.deepReason,
            competitorWon: exitCase.competitorWon,
            expectedEndOn: exitCase.expectedEndOn,
          },
          aiClassifies: deps.assistant !== undefined,
        }),
      });
    }),
  );
}
