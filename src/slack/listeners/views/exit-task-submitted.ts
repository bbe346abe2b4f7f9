// An exit task's modals submitted: "not needed" with its reason, or a new owner, due date and notes.
// Bad input and refusals (the case closed meanwhile) are shown in the modal.
import type { App, ViewSubmitAction } from "@slack/bolt";
import { z } from "zod";
import { isAppError, userMessageOf } from "../../../errors.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import { announceTaskChange } from "../../../services/exit/announce-exit.ts";
import { refreshExitCase } from "../../../services/exit/exit-message.ts";
import { changeTaskStatus, editTask, type TaskEdit } from "../../../services/exit/update-task.ts";
import { ids } from "../../ids.ts";
import { exitRenderers } from "../../views/exit-case.ts";
import {
  exitTaskFields as fields,
  NOT_NEEDED_MAX,
  NOTES_MAX,
  parseTaskMetadata,
} from "../../views/exit-task-modals.ts";
import { inlineErrors } from "./inline-errors.ts";

const ZNotNeededValues = z.object({
  [fields.notNeededReason]: z.object({
    [fields.notNeededReason]: z
      .object({ value: z.string().nullish() })
      .transform((input) => (input.value ?? "").trim())
      .pipe(z.string().min(1).max(NOT_NEEDED_MAX)),
  }),
});

const ZTaskEditValues = z.object({
  [fields.owner]: z.object({
    [fields.owner]: z.object({ selected_user: z.string().regex(/^[UW][A-Z0-9]+$/) }),
  }),
  [fields.dueOn]: z.object({
    [fields.dueOn]: z.object({ selected_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
  }),
  [fields.notes]: z.object({
    [fields.notes]: z
      .object({ value: z.string().nullish() })
      .transform((input) => input.value?.trim() || null)
      .pipe(z.string().max(NOTES_MAX).nullable()),
  }),
});

const editFieldErrors: Record<string, string> = {
  [fields.owner]: "Pick who owns this task.",
  [fields.dueOn]: "Pick the day it is due.",
  [fields.notes]: `At most ${NOTES_MAX} characters.`,
};

const editBlocks: Record<keyof TaskEdit, string> = {
  ownerSlackId: fields.owner,
  dueOn: fields.dueOn,
  notes: fields.notes,
};

const OUT_OF_DATE = "This form is out of date. Close it and start again.";

function taskIdOf(privateMetadata: string): string | null {
  try {
    return parseTaskMetadata(privateMetadata).taskId;
  } catch {
    return null;
  }
}

export function register(app: App, deps: ServiceDeps): void {
  const logRefusal = (error: unknown, what: string) => {
    if (isAppError(error)) deps.logger.info({ reason: error.userMessage }, `${what}: refused`);
    else deps.logger.error({ err: error }, `${what} failed`);
  };

  app.view<ViewSubmitAction>(ids.view.exitNotNeeded, async ({ ack, body, view, client }) => {
    const block = fields.notNeededReason;
    const parsed = ZNotNeededValues.safeParse(view.state.values);
    if (!parsed.success) {
      await ack({
        response_action: "errors",
        errors: { [block]: `Say why the task is not needed (at most ${NOT_NEEDED_MAX} characters).` },
      });
      return;
    }
    const taskId = taskIdOf(view.private_metadata);
    if (!taskId) {
      await ack({ response_action: "errors", errors: { [block]: OUT_OF_DATE } });
      return;
    }
    let change: Awaited<ReturnType<typeof changeTaskStatus>>;
    try {
      change = await changeTaskStatus(deps, {
        taskId,
        to: "not_needed",
        notNeededReason: parsed.data[block][block],
        actorSlackId: body.user.id,
      });
    } catch (error) {
      logRefusal(error, "marking an exit task not needed");
      await ack({ response_action: "errors", errors: { [block]: userMessageOf(error) } });
      return;
    }
    await ack();
    await announceTaskChange(deps, {
      slack: client,
      change,
      actorSlackId: body.user.id,
      render: exitRenderers,
    }).catch((error: unknown) =>
      deps.logger.error({ err: error, caseId: change.caseId }, "announcing an exit task change failed"),
    );
  });

  app.view<ViewSubmitAction>(ids.view.exitTaskEdit, async ({ ack, body, view, client }) => {
    const parsed = ZTaskEditValues.safeParse(view.state.values);
    if (!parsed.success) {
      await ack({
        response_action: "errors",
        errors: inlineErrors(parsed.error, editFieldErrors, fields.notes),
      });
      return;
    }
    const taskId = taskIdOf(view.private_metadata);
    if (!taskId) {
      await ack({ response_action: "errors", errors: { [fields.notes]: OUT_OF_DATE } });
      return;
    }
    const values = parsed.data;
    let result: Awaited<ReturnType<typeof editTask>>;
    try {
      result = await editTask(deps, {
        taskId,
        edit: {
          ownerSlackId: values[fields.owner][fields.owner].selected_user,
          dueOn: values[fields.dueOn][fields.dueOn].selected_date,
          notes: values[fields.notes][fields.notes],
        },
        actorSlackId: body.user.id,
      });
    } catch (error) {
      logRefusal(error, "editing an exit task");
      await ack({ response_action: "errors", errors: { [fields.notes]: userMessageOf(error) } });
      return;
    }
    if (!result.ok) {
      const errors = Object.fromEntries(
        Object.entries(result.errors).map(([key, message]) => [editBlocks[key as keyof TaskEdit], message]),
      );
      await ack({ response_action: "errors", errors });
      return;
    }
    await ack();
    if (!result.changed) return;
    await refreshExitCase(deps, {
      slack: client,
      caseId: result.caseId,
      update: { actorSlackId: body.user.id, text: result.update },
      render: exitRenderers,
    }).catch((error: unknown) =>
      deps.logger.error({ err: error, caseId: result.caseId }, "announcing an exit task edit failed"),
    );
  });
}
