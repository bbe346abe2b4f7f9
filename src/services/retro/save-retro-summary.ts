// Saves a retrospective's summary in one transaction: its lessons and corrective actions, the case's
// deep reason and reason, and tasks 5 and 6 done (the last finished task ends the case as lost).
// A second summary for the same case adds its lessons and actions to the first ones.
// Idempotent on the form's view id, claimed in the same transaction: a replay creates nothing.
import { randomUUID } from "node:crypto";
import type { ChurnReason } from "../../domain/exit.ts";
import {
  type CorrectiveActionPlan,
  checkRetroSummary,
  type RetroSummaryDraft,
  type RetroSummaryErrors,
} from "../../domain/retrospective.ts";
import { calendarDay } from "../../domain/trends.ts";
import { AppError } from "../../errors.ts";
import type { SlackMessage } from "../../slack/views/account-card.ts";
import { dateOf } from "../calendar-days.ts";
import { slackErrorCode } from "../complaints/complaint-message.ts";
import type { ServiceDeps } from "../deps.ts";
import { lockCase } from "../exit/close-case.ts";
import { type ExitRenderers, type ExitSlackClient, refreshExitCase } from "../exit/exit-message.ts";
import { finishTasks } from "../exit/update-task.ts";
import { claimSubmission } from "../once.ts";

export type SavedRetroSummary = {
  caseId: string;
  accountName: string;
  deepReason: string | null;
  reason: ChurnReason | null;
  lessons: string[];
  actions: (CorrectiveActionPlan & { id: string })[];
  /** Lines for the case's thread: tasks 5 and 6 done. */
  taskUpdates: string[];
  /** The last task was finished: the case ended and the account is lost. */
  caseLost: boolean;
  retro: { channelId: string; ts: string } | null;
};

export type SaveRetroSummaryResult =
  | { ok: false; errors: RetroSummaryErrors }
  | { ok: true; created: true; saved: SavedRetroSummary }
  /** A replayed or doubled submission: the first one saved everything. */
  | { ok: true; created: false; caseId: string };

export async function saveRetroSummary(
  deps: ServiceDeps,
  input: { caseId: string; draft: RetroSummaryDraft; actorSlackId: string; submissionKey: string },
): Promise<SaveRetroSummaryResult> {
  const today = calendarDay(deps.now(), deps.timeZone);
  const check = checkRetroSummary(input.draft, today);
  if (!check.ok) return { ok: false, errors: check.errors };
  const summary = check.value;

  return deps.prisma.$transaction(async (tx) => {
    const status = await lockCase(tx, input.caseId);
    if (status === null) throw new AppError("not_found", "That exit case no longer exists.");
    // Under the case's lock: a doubled submit waits here for the first, then finds it claimed.
    if (!(await claimSubmission(tx, input.submissionKey)))
      return { ok: true, created: false, caseId: input.caseId };
    const exitCase = await tx.exitCase.findUniqueOrThrow({
      where: { id: input.caseId },
      select: { retroChannelId: true, retroTs: true, account: { select: { name: true } } },
    });
    if (!exitCase.retroChannelId || !exitCase.retroTs)
      throw new AppError(
        "bad_request",
        "This retrospective is not open yet: open it from the exit case's task 5.",
      );

    // A millisecond apart, the first newest: lists newest first keep the form's order.
    const savedAt = deps.now();
    await tx.lesson.createMany({
      data: summary.lessons.map((text, i) => ({
        caseId: input.caseId,
        text,
        createdBy: input.actorSlackId,
        createdAt: new Date(savedAt.getTime() - i),
      })),
    });
    const actions = summary.actions.map((action) => ({ ...action, id: randomUUID() }));
    await tx.correctiveAction.createMany({
      data: actions.map((action) => ({
        id: action.id,
        caseId: input.caseId,
        description: action.description,
        ownerSlackId: action.ownerSlackId,
        dueOn: dateOf(action.dueOn),
        createdBy: input.actorSlackId,
      })),
    });
    await tx.exitCase.update({
      where: { id: input.caseId },
      data: { deepReason: summary.deepReason, reason: summary.reason, retroSummarizedAt: savedAt },
    });
    // A retained or lost case keeps its tasks as they are; the lessons are kept all the same.
    const finished =
      status === "open"
        ? await finishTasks(tx, {
            caseId: input.caseId,
            numbers: [5, 6],
            note: "retrospective summarized",
            today,
            actorSlackId: input.actorSlackId,
          })
        : { updates: [], caseLost: false };
    return {
      ok: true,
      created: true,
      saved: {
        caseId: input.caseId,
        accountName: exitCase.account.name,
        deepReason: summary.deepReason,
        reason: summary.reason,
        lessons: summary.lessons,
        actions,
        taskUpdates: finished.updates,
        caseLost: finished.caseLost,
        retro: { channelId: exitCase.retroChannelId, ts: exitCase.retroTs },
      },
    };
  });
}

export type RetroSummaryRenderers = {
  exit: ExitRenderers;
  /** The saved lessons and actions, posted in the retrospective's thread. */
  saved(saved: SavedRetroSummary, actorSlackId: string): SlackMessage;
};

/**
 * After a save: the case's message shows tasks 5 and 6 done (and the case lost, if it ended) with a
 * line in its thread, and the retrospective's thread gets the lessons and actions. Slack failures are
 * logged, never thrown: the summary is saved.
 */
export async function publishRetroSummary(
  deps: ServiceDeps,
  input: {
    slack: ExitSlackClient;
    saved: SavedRetroSummary;
    actorSlackId: string;
    render: RetroSummaryRenderers;
  },
): Promise<void> {
  const { saved } = input;
  const parts = [
    `Retrospective summarized: ${saved.lessons.length} lesson${saved.lessons.length === 1 ? "" : "s"}, ${saved.actions.length} corrective action${saved.actions.length === 1 ? "" : "s"}`,
    ...saved.taskUpdates,
    ...(saved.caseLost ? [`every task is finished: ${saved.accountName} is lost`] : []),
  ];
  await refreshExitCase(deps, {
    slack: input.slack,
    caseId: saved.caseId,
    update: { actorSlackId: input.actorSlackId, text: parts.join(" · ") },
    render: input.render.exit,
  });
  if (!saved.retro) return;
  try {
    await input.slack.chat.postMessage({
      channel: saved.retro.channelId,
      thread_ts: saved.retro.ts,
      ...input.render.saved(saved, input.actorSlackId),
    });
  } catch (error) {
    deps.logger.warn(
      { caseId: saved.caseId, slackError: slackErrorCode(error) },
      "posting a retrospective's summary in its thread failed",
    );
  }
}
