// Changes to the six tasks of an open case: status (buttons), owner / due date / notes (edit modal),
// and the tasks finished by another step (task 1 by the conversation's outcome, 5 and 6 by the
// retrospective). Each change is kept as an event; the last finished task ends the case as lost.
import {
  checkTaskTransition,
  type ExitTaskNumber,
  type ExitTaskStatus,
  exitTaskStatusLabel,
  exitTasks,
} from "../../domain/exit.ts";
import { calendarDay, isoDayNumber } from "../../domain/trends.ts";
import { AppError } from "../../errors.ts";
import { dateOf, dayOf } from "../calendar-days.ts";
import type { ServiceDeps } from "../deps.ts";
import { closeIfFinished, lockCase, type Tx } from "./close-case.ts";

export type TaskChangeResult = {
  caseId: string;
  /** A line for the case's thread, e.g. "2. Contain bad news: To do → Done". */
  update: string;
  /** True when this change finished the last task: the case ended and the account is lost. */
  caseLost: boolean;
};

/** Why a task of a closed case cannot change (also told on a stale button). */
export const closedMessage = "This customer's exit handling is closed: its tasks can no longer change.";

async function openTask(tx: Tx, taskId: string) {
  const task = await tx.exitTask.findUnique({ where: { id: taskId } });
  if (!task) throw new AppError("not_found", "That exit task no longer exists.");
  const status = await lockCase(tx, task.caseId);
  if (status !== "open") throw new AppError("bad_request", closedMessage);
  // Read again under the case's lock: a concurrent change may have committed meanwhile.
  return tx.exitTask.findUniqueOrThrow({ where: { id: taskId } });
}

const title = (number: number): string => `${number}. ${exitTasks[number as ExitTaskNumber].title}`;

export async function changeTaskStatus(
  deps: ServiceDeps,
  input: { taskId: string; to: ExitTaskStatus; notNeededReason?: string | null; actorSlackId: string },
): Promise<TaskChangeResult> {
  const reason = input.notNeededReason?.trim() || null;
  if (input.to === "not_needed" && !reason)
    throw new AppError("bad_request", "Say why the task is not needed.");
  const today = calendarDay(deps.now(), deps.timeZone);
  return deps.prisma.$transaction(async (tx) => {
    const task = await openTask(tx, input.taskId);
    const check = checkTaskTransition(task.number as ExitTaskNumber, task.status, input.to);
    if (!check.ok) throw new AppError("bad_request", check.message);
    await tx.exitTask.update({
      where: { id: task.id },
      data: {
        status: input.to,
        notNeededReason: input.to === "not_needed" ? reason : null,
        updatedBy: input.actorSlackId,
      },
    });
    const change = `${exitTaskStatusLabel[task.status]} → ${exitTaskStatusLabel[input.to]}`;
    const update = `${title(task.number)}: ${change}${reason && input.to === "not_needed" ? ` (${reason})` : ""}`;
    await tx.exitTaskEvent.create({
      data: {
        taskId: task.id,
        fromStatus: task.status,
        toStatus: input.to,
        text: update,
        actorSlackId: input.actorSlackId,
      },
    });
    const caseLost = await closeIfFinished(tx, {
      caseId: task.caseId,
      today,
      actorSlackId: input.actorSlackId,
    });
    return { caseId: task.caseId, update, caseLost };
  });
}

export type TaskEdit = { ownerSlackId: string; dueOn: string; notes: string | null };

export type EditTaskResult =
  | ({ ok: true; changed: boolean } & Omit<TaskChangeResult, "caseLost">)
  | { ok: false; errors: Partial<Record<keyof TaskEdit, string>> };

export async function editTask(
  deps: ServiceDeps,
  input: { taskId: string; edit: TaskEdit; actorSlackId: string },
): Promise<EditTaskResult> {
  if (isoDayNumber(input.edit.dueOn) === null) return { ok: false, errors: { dueOn: "Pick a valid date." } };
  const notes = input.edit.notes?.trim() || null;
  return deps.prisma.$transaction(async (tx) => {
    const task = await openTask(tx, input.taskId);
    const number = task.number as ExitTaskNumber;
    const changes: string[] = [];
    if (input.edit.ownerSlackId !== task.ownerSlackId)
      changes.push(`owner <@${task.ownerSlackId}> → <@${input.edit.ownerSlackId}>`);
    if (input.edit.dueOn !== dayOf(task.dueOn))
      changes.push(`due ${dayOf(task.dueOn)} → ${input.edit.dueOn}`);
    if (notes !== task.notes) changes.push(notes ? `notes: ${notes}` : "notes cleared");
    if (changes.length === 0)
      return { ok: true, changed: false, caseId: task.caseId, update: `${title(number)}: no change` };
    await tx.exitTask.update({
      where: { id: task.id },
      data: {
        ownerSlackId: input.edit.ownerSlackId,
        dueOn: dateOf(input.edit.dueOn),
        notes,
        // A new due day earns a new reminder when it passes.
        ...(input.edit.dueOn !== dayOf(task.dueOn) ? { remindedOn: null } : {}),
        updatedBy: input.actorSlackId,
      },
    });
    const update = `${title(number)}: ${changes.join("; ")}`;
    await tx.exitTaskEvent.create({
      data: { taskId: task.id, text: update, actorSlackId: input.actorSlackId },
    });
    return { ok: true, changed: true, caseId: task.caseId, update };
  });
}

/**
 * Marks tasks done from another step, inside its transaction (the case must be locked and open):
 * task 1 when the conversation's outcome is recorded, 5 and 6 when the retrospective is saved.
 * Tasks already finished stay as they are. Returns the thread lines and whether the case ended lost.
 */
export async function finishTasks(
  tx: Tx,
  input: { caseId: string; numbers: ExitTaskNumber[]; note: string; today: string; actorSlackId: string },
): Promise<{ updates: string[]; caseLost: boolean }> {
  const tasks = await tx.exitTask.findMany({
    where: { caseId: input.caseId, number: { in: input.numbers }, status: { in: ["todo", "doing"] } },
  });
  const updates: string[] = [];
  for (const task of tasks) {
    await tx.exitTask.update({
      where: { id: task.id },
      data: { status: "done", updatedBy: input.actorSlackId },
    });
    const update = `${title(task.number)}: ${exitTaskStatusLabel[task.status]} → Done (${input.note})`;
    await tx.exitTaskEvent.create({
      data: {
        taskId: task.id,
        fromStatus: task.status,
        toStatus: "done",
        text: update,
        actorSlackId: input.actorSlackId,
      },
    });
    updates.push(update);
  }
  const caseLost = await closeIfFinished(tx, {
    caseId: input.caseId,
    today: input.today,
    actorSlackId: input.actorSlackId,
  });
  return { updates, caseLost };
}
