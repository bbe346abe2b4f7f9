// The two modals of an exit task: why it is not needed (a task is never dropped without a reason),
// and its owner, due date and notes.
import type { types } from "@slack/bolt";
import { z } from "zod";
import { exitTaskStatusLabel, exitTasks } from "../../domain/exit.ts";
import type { ExitTaskForm } from "../../services/exit/exit-forms.ts";
import { ids } from "../ids.ts";
import { escapeMrkdwn, truncate } from "./mrkdwn.ts";

/** Block ids (and action ids) of the inputs. */
export const exitTaskFields = {
  notNeededReason: "not_needed_reason",
  owner: "task_owner",
  dueOn: "task_due",
  notes: "task_notes",
} as const;

export const NOT_NEEDED_MAX = 1000;
export const NOTES_MAX = 2000;

export const ZTaskMetadata = z.object({ taskId: z.uuid() });

export function parseTaskMetadata(privateMetadata: string): z.infer<typeof ZTaskMetadata> {
  return ZTaskMetadata.parse(JSON.parse(privateMetadata));
}

function taskIntro(form: ExitTaskForm): types.KnownBlock {
  const definition = exitTasks[form.task.number];
  return {
    type: "section",
    text: {
      type: "mrkdwn",
      text:
        `*${form.task.number}. ${definition.title}* · ${escapeMrkdwn(truncate(form.accountName, 150))} · ` +
        `${exitTaskStatusLabel[form.task.status]}\n_${definition.summary}_`,
    },
  };
}

/** A task's modal: the task at the top, its id carried, then the inputs. */
function taskModal(
  form: ExitTaskForm,
  callbackId: string,
  title: string,
  inputs: types.KnownBlock[],
): types.ModalView {
  return {
    type: "modal",
    callback_id: callbackId,
    private_metadata: JSON.stringify({ taskId: form.task.id }),
    title: { type: "plain_text", text: title },
    submit: { type: "plain_text", text: "Save" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [taskIntro(form), ...inputs],
  };
}

export function buildExitNotNeededModal(form: ExitTaskForm): types.ModalView {
  return taskModal(form, ids.view.exitNotNeeded, "Task not needed", [
    {
      type: "input",
      block_id: exitTaskFields.notNeededReason,
      label: { type: "plain_text", text: "Why is it not needed?" },
      hint: { type: "plain_text", text: "Shown on the case's message and kept with the task." },
      element: {
        type: "plain_text_input",
        action_id: exitTaskFields.notNeededReason,
        multiline: true,
        max_length: NOT_NEEDED_MAX,
      },
    },
  ]);
}

export function buildExitTaskEditModal(form: ExitTaskForm): types.ModalView {
  const { task } = form;
  return taskModal(form, ids.view.exitTaskEdit, "Edit exit task", [
    {
      type: "input",
      block_id: exitTaskFields.owner,
      label: { type: "plain_text", text: "Owner" },
      ...(exitTasks[task.number].reassignable
        ? { hint: { type: "plain_text", text: "This task may go to PR or a manager." } }
        : {}),
      element: { type: "users_select", action_id: exitTaskFields.owner, initial_user: task.ownerSlackId },
    },
    {
      type: "input",
      block_id: exitTaskFields.dueOn,
      label: { type: "plain_text", text: "Due" },
      element: { type: "datepicker", action_id: exitTaskFields.dueOn, initial_date: task.dueOn },
    },
    {
      type: "input",
      block_id: exitTaskFields.notes,
      optional: true,
      label: { type: "plain_text", text: "Notes" },
      element: {
        type: "plain_text_input",
        action_id: exitTaskFields.notes,
        multiline: true,
        max_length: NOTES_MAX,
        ...(task.notes ? { initial_value: truncate(task.notes, NOTES_MAX) } : {}),
      },
    },
  ]);
}
