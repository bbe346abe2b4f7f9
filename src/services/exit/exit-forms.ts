// What the exit modals open with (start exit handling, a task's "not needed" reason, a task's edit),
// and whether they may open at all: a leaving or lost account cannot start again, a closed case's
// tasks cannot change, so the clicker is told at once instead of after filling in a form.
import { checkTaskTransition, type ExitTaskStatus } from "../../domain/exit.ts";
import { AppError } from "../../errors.ts";
import type { ServiceDeps } from "../deps.ts";
import { type ExitTaskDetails, taskDetails } from "./get-exit-case.ts";
import { startRefusal } from "./start-exit.ts";
import { closedMessage } from "./update-task.ts";

export type ExitStartForm = {
  account: { id: string; name: string };
  /** The critical warning the case is started from; null from the card or the command. */
  warningId: string | null;
};

export async function getExitStartForm(
  deps: ServiceDeps,
  input: { accountId: string; warningId: string | null },
): Promise<ExitStartForm> {
  const account = await deps.prisma.account.findUnique({
    where: { id: input.accountId },
    select: { id: true, name: true, status: true },
  });
  if (!account) throw new AppError("not_found", "That customer no longer exists.");
  const refusal = startRefusal(account);
  if (refusal) throw new AppError("bad_request", refusal);
  // Only a warning of this very account is linked to the case.
  const warning = input.warningId
    ? await deps.prisma.churnWarning.findFirst({
        where: { id: input.warningId, accountId: account.id },
        select: { id: true },
      })
    : null;
  return { account: { id: account.id, name: account.name }, warningId: warning?.id ?? null };
}

/** The case a modal submission (its view id) already started, if any: a replay changes nothing. */
export async function caseStartedBy(deps: ServiceDeps, submissionKey: string): Promise<string | null> {
  const found = await deps.prisma.exitCase.findUnique({ where: { submissionKey }, select: { id: true } });
  return found?.id ?? null;
}

export type ExitTaskForm = {
  caseId: string;
  caseStatus: "open" | "retained" | "lost";
  accountName: string;
  task: ExitTaskDetails;
};

export async function getExitTaskForm(deps: ServiceDeps, taskId: string): Promise<ExitTaskForm> {
  const task = await deps.prisma.exitTask.findUnique({
    where: { id: taskId },
    include: { exitCase: { select: { status: true, account: { select: { name: true } } } } },
  });
  if (!task) throw new AppError("not_found", "That exit task no longer exists.");
  return {
    caseId: task.caseId,
    caseStatus: task.exitCase.status,
    accountName: task.exitCase.account.name,
    task: taskDetails(task),
  };
}

/**
 * Why a click on a task's button changes nothing (the case closed, the task already in that
 * status, a task finished by another step); null when it may go ahead. The service checks again
 * under the case's lock: this only spares the clicker a form that would be refused.
 */
export function taskRefusal(form: ExitTaskForm, intent: { to: ExitTaskStatus } | "edit"): string | null {
  if (form.caseStatus !== "open") return closedMessage;
  if (intent === "edit") return null;
  const check = checkTaskTransition(form.task.number, form.task.status, intent.to);
  return check.ok ? null : check.message;
}
