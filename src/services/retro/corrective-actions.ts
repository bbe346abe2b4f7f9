// §5 task 6: corrective actions tracked to done. Done is a conditional update (a second click finds
// it done); the retrospective's thread hears of each one finished.
import type { SlackMessage } from "../../slack/views/account-card.ts";
import { dayOf } from "../calendar-days.ts";
import { slackErrorCode } from "../complaints/complaint-message.ts";
import type { ServiceDeps } from "../deps.ts";
import type { ExitSlackClient } from "../exit/exit-message.ts";

export type CorrectiveActionDetails = {
  id: string;
  caseId: string;
  accountName: string;
  description: string;
  ownerSlackId: string;
  /** YYYY-MM-DD */
  dueOn: string;
  status: "open" | "done";
  doneBy: string | null;
  doneAt: Date | null;
  retro: { channelId: string; ts: string } | null;
};

export type ActionDoneResult =
  | { status: "done"; action: CorrectiveActionDetails }
  | { status: "already_done"; action: CorrectiveActionDetails }
  | { status: "not_found" };

export async function getCorrectiveAction(
  deps: ServiceDeps,
  actionId: string,
): Promise<CorrectiveActionDetails | null> {
  const row = await deps.prisma.correctiveAction.findUnique({
    where: { id: actionId },
    include: {
      exitCase: { select: { retroChannelId: true, retroTs: true, account: { select: { name: true } } } },
    },
  });
  if (!row) return null;
  const { exitCase } = row;
  return {
    id: row.id,
    caseId: row.caseId,
    accountName: exitCase.account.name,
    description: row.description,
    ownerSlackId: row.ownerSlackId,
    dueOn: dayOf(row.dueOn),
    status: row.status,
    doneBy: row.doneBy,
    doneAt: row.doneAt,
    retro:
      exitCase.retroChannelId && exitCase.retroTs
        ? { channelId: exitCase.retroChannelId, ts: exitCase.retroTs }
        : null,
  };
}

export async function markCorrectiveActionDone(
  deps: ServiceDeps,
  input: { actionId: string; actorSlackId: string },
): Promise<ActionDoneResult> {
  const marked = await deps.prisma.correctiveAction.updateMany({
    where: { id: input.actionId, status: "open" },
    data: { status: "done", doneAt: deps.now(), doneBy: input.actorSlackId },
  });
  const action = await getCorrectiveAction(deps, input.actionId);
  if (!action) return { status: "not_found" };
  return { status: marked.count === 1 ? "done" : "already_done", action };
}

/** Posts `line` in the retrospective's thread of the action's case; failures are logged only. */
export async function postInRetroThread(
  deps: ServiceDeps,
  input: { slack: ExitSlackClient; action: CorrectiveActionDetails; message: SlackMessage },
): Promise<void> {
  const { retro } = input.action;
  if (!retro) return;
  try {
    await input.slack.chat.postMessage({ channel: retro.channelId, thread_ts: retro.ts, ...input.message });
  } catch (error) {
    deps.logger.warn(
      { actionId: input.action.id, slackError: slackErrorCode(error) },
      "posting a corrective action's line in the retrospective failed",
    );
  }
}
