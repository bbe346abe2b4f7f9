// Buttons on an exit task: Start / Done / Reopen change its status at once, Not needed asks why in a
// modal first, Edit opens owner, due date and notes. A stale click (the case closed, the task already
// in that status) is told to the clicker only, and the message is refreshed to show the task as it is.
import type { App, BlockButtonAction } from "@slack/bolt";
import { z } from "zod";
import { AppError, isAppError, userMessageOf } from "../../../errors.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import { announceTaskChange } from "../../../services/exit/announce-exit.ts";
import { getExitTaskForm, taskRefusal } from "../../../services/exit/exit-forms.ts";
import { refreshExitCase } from "../../../services/exit/exit-message.ts";
import { changeTaskStatus } from "../../../services/exit/update-task.ts";
import { ids } from "../../ids.ts";
import { exitRenderers, taskStatusPattern, ZTaskStatusValue } from "../../views/exit-case.ts";
import { buildExitNotNeededModal, buildExitTaskEditModal } from "../../views/exit-task-modals.ts";
import { opener, parseButtonValue } from "./button-helpers.ts";

const ZTaskIdValue = z.uuid("not a task id");

export function register(app: App, deps: ServiceDeps): void {
  app.action<BlockButtonAction>(taskStatusPattern, async ({ ack, action, body, client, respond }) => {
    await ack();
    let caseId: string | null = null;
    try {
      const { taskId, to } = parseButtonValue(ZTaskStatusValue, action.value, "json");
      const form = await getExitTaskForm(deps, taskId);
      caseId = form.caseId;
      const refusal = taskRefusal(form, { to });
      if (refusal) {
        await respond({ response_type: "ephemeral", replace_original: false, text: refusal });
        await refreshExitCase(deps, { slack: client, caseId, update: null, render: exitRenderers });
        return;
      }
      if (to === "not_needed") {
        await client.views.open({ trigger_id: body.trigger_id, view: buildExitNotNeededModal(form) });
        return;
      }
      const change = await changeTaskStatus(deps, { taskId, to, actorSlackId: body.user.id });
      await announceTaskChange(deps, {
        slack: client,
        change,
        actorSlackId: body.user.id,
        render: exitRenderers,
      });
    } catch (error) {
      if (isAppError(error)) deps.logger.info({ reason: error.userMessage }, "exit task change refused");
      else deps.logger.error({ err: error }, "an exit task button failed");
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        text: userMessageOf(error),
      }).catch((err: unknown) =>
        deps.logger.error({ err }, "could not tell the user an exit task button failed"),
      );
      if (caseId) await refreshExitCase(deps, { slack: client, caseId, update: null, render: exitRenderers });
    }
  });

  app.action<BlockButtonAction>(
    ids.action.exitTaskEdit,
    opener(deps, "opening the exit task edit modal", async ({ action, body, client }) => {
      const form = await getExitTaskForm(deps, parseButtonValue(ZTaskIdValue, action.value, "text"));
      const refusal = taskRefusal(form, "edit");
      if (refusal) throw new AppError("bad_request", refusal);
      await client.views.open({ trigger_id: body.trigger_id, view: buildExitTaskEditModal(form) });
    }),
  );
}
