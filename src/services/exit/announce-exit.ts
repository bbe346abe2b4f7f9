// What Slack is told after an exit change is saved: the new case's message (and the warning it came
// from), a task change re-rendered with its line in the thread, the closing line when the last task
// finished. Slack failures are logged, never thrown: the change itself is already saved.

import { slackErrorCode } from "../complaints/complaint-message.ts";
import type { ServiceDeps } from "../deps.ts";
import type { WarningRenderer } from "../warnings/post-pending-warnings.ts";
import { refreshWarningMessage } from "../warnings/respond-to-warning.ts";
import { type ExitRenderers, type ExitSlackClient, postExitCase, refreshExitCase } from "./exit-message.ts";
import { suggestExitReason, suggestionUpdate } from "./suggest-exit-reason.ts";
import type { TaskChangeResult } from "./update-task.ts";

/** Posts one line in the case's thread (without re-rendering the message). */
export async function postExitCaseLine(
  deps: ServiceDeps,
  input: {
    slack: ExitSlackClient;
    caseId: string;
    actorSlackId: string;
    text: string;
    render: ExitRenderers;
  },
): Promise<void> {
  const exitCase = await deps.prisma.exitCase.findUnique({
    where: { id: input.caseId },
    select: { channelId: true, messageTs: true },
  });
  if (!exitCase?.channelId || !exitCase.messageTs) return;
  try {
    await input.slack.chat.postMessage({
      channel: exitCase.channelId,
      thread_ts: exitCase.messageTs,
      ...input.render.update(input.actorSlackId, input.text),
    });
  } catch (error) {
    deps.logger.warn(
      { caseId: input.caseId, slackError: slackErrorCode(error) },
      "posting in an exit case's thread failed",
    );
  }
}

/** After a task change: the message in place, the change in the thread, and the end when it came. */
export async function announceTaskChange(
  deps: ServiceDeps,
  input: {
    slack: ExitSlackClient;
    change: Pick<TaskChangeResult, "caseId" | "update"> & { caseLost?: boolean };
    actorSlackId: string;
    render: ExitRenderers;
  },
): Promise<void> {
  const { caseId, update, caseLost } = input.change;
  await refreshExitCase(deps, {
    slack: input.slack,
    caseId,
    update: { actorSlackId: input.actorSlackId, text: update },
    render: input.render,
  });
  if (!caseLost) return;
  const exitCase = await deps.prisma.exitCase.findUniqueOrThrow({
    where: { id: caseId },
    select: { account: { select: { name: true } } },
  });
  await postExitCaseLine(deps, {
    ...input,
    caseId,
    text: `Every exit task is finished: the case is closed and ${exitCase.account.name} is now marked lost.`,
  });
}

/**
 * After a case is started: posts its message; when it came from a churn warning, the warning counts
 * as answered (no escalation for a customer already in exit handling) and its message says so; then,
 * with an AI assistant and reason texts but no reason picked, the reason is classified.
 */
export async function announceExitStart(
  deps: ServiceDeps,
  input: {
    slack: ExitSlackClient;
    caseId: string;
    actorSlackId: string;
    render: ExitRenderers;
    renderWarning: WarningRenderer;
  },
): Promise<void> {
  await postExitCase(deps, { slack: input.slack, caseId: input.caseId, render: input.render });
  const { warningId } = await deps.prisma.exitCase.findUniqueOrThrow({
    where: { id: input.caseId },
    select: { warningId: true },
  });
  if (warningId) {
    // Acknowledged by whoever started it, unless someone already did (their answer stays).
    const now = deps.now();
    await deps.prisma.churnWarning.updateMany({
      where: { id: warningId, status: { in: ["posted", "snoozed"] } },
      data: {
        status: "acknowledged",
        acknowledgedBy: input.actorSlackId,
        acknowledgedAt: now,
        updatedAt: now,
      },
    });
    await refreshWarningMessage(deps, { slack: input.slack, warningId, render: input.renderWarning });
  }
  await classifyReason(deps, input);
}

/** Classifies the reason from the texts when none was picked, and tells the thread how it went. */
export async function classifyReason(
  deps: ServiceDeps,
  input: { slack: ExitSlackClient; caseId: string; actorSlackId: string; render: ExitRenderers },
): Promise<void> {
  const text = suggestionUpdate(await suggestExitReason(deps, { caseId: input.caseId }));
  if (text === null) return;
  await refreshExitCase(deps, {
    slack: input.slack,
    caseId: input.caseId,
    update: { actorSlackId: input.actorSlackId, text },
    render: input.render,
  });
}
