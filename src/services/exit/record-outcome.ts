// Task 1's outcome: what the customer said and suggested, and whether they stay. Retained ends the case
// and gives the account back its status from before; leaving confirmed finishes task 1 and the other
// tasks go on. One transaction under the case's lock; a replayed submit changes nothing.
import type { AccountStatus } from "../../domain/account-card.ts";
import {
  type ConversationOutcome,
  conversationOutcomeLabel,
  outcomeRefusal,
} from "../../domain/last-conversation.ts";
import { calendarDay } from "../../domain/trends.ts";
import { AppError } from "../../errors.ts";
import type { ServiceDeps } from "../deps.ts";
import { claimSubmission } from "../once.ts";
import { closeCase, lockCase } from "./close-case.ts";
import { finishTasks } from "./update-task.ts";

export type OutcomeDraft = {
  outcome: ConversationOutcome;
  customerSaid: string;
  customerSuggested: string | null;
  /** Learnt in the conversation; null keeps what was recorded before. */
  surfaceReason: string | null;
  deepReason: string | null;
};

export type RecordOutcomeResult = {
  caseId: string;
  /** The same outcome was already recorded (a replayed or doubled submit): nothing changed. */
  replayed: boolean;
  /** A line for the case's thread. */
  update: string;
  /** How the case ended with this outcome, if it did. */
  closed: "retained" | "lost" | null;
};

const text = (value: string | null): string | null => value?.trim() || null;

const statusWords = (status: AccountStatus): string => status.replace("_", " ");

const snippet = (value: string): string => {
  const chars = Array.from(value.replace(/\s+/g, " "));
  return `“${chars.length > 300 ? `${chars.slice(0, 299).join("")}…` : chars.join("")}”`;
};

export async function recordConversationOutcome(
  deps: ServiceDeps,
  input: {
    caseId: string;
    draft: OutcomeDraft;
    actorSlackId: string;
    /** The modal's view id: a replayed submit changes nothing. */
    submissionKey: string;
  },
): Promise<RecordOutcomeResult> {
  const customerSaid = text(input.draft.customerSaid);
  if (!customerSaid) throw new AppError("bad_request", "Say what the customer said.");
  const draft = {
    ...input.draft,
    customerSaid,
    customerSuggested: text(input.draft.customerSuggested),
    surfaceReason: text(input.draft.surfaceReason),
    deepReason: text(input.draft.deepReason),
  };
  const today = calendarDay(deps.now(), deps.timeZone);
  return deps.prisma.$transaction(async (tx) => {
    const caseStatus = await lockCase(tx, input.caseId);
    if (caseStatus === null) throw new AppError("not_found", "That exit case no longer exists.");
    const result = { caseId: input.caseId, closed: null, replayed: false };
    // Slack may deliver a submit twice, and a user may double-click: the first one recorded it.
    if (!(await claimSubmission(tx, input.submissionKey))) return { ...result, replayed: true, update: "" };
    const row = await tx.exitCase.findUniqueOrThrow({
      where: { id: input.caseId },
      select: {
        conversationOutcome: true,
        customerSaid: true,
        customerSuggested: true,
        surfaceReason: true,
        deepReason: true,
        account: { select: { id: true, name: true } },
        tasks: { where: { number: 1 }, select: { status: true } },
      },
    });
    const refusal = outcomeRefusal({ caseStatus, task1Status: row.tasks[0]?.status ?? null });
    if (refusal) throw new AppError("bad_request", refusal);

    await tx.exitCase.update({
      where: { id: input.caseId },
      data: {
        conversationOutcome: draft.outcome,
        customerSaid: draft.customerSaid,
        customerSuggested: draft.customerSuggested,
        ...(draft.surfaceReason ? { surfaceReason: draft.surfaceReason } : {}),
        ...(draft.deepReason ? { deepReason: draft.deepReason } : {}),
      },
    });
    const parts = [`Last conversation: ${conversationOutcomeLabel[draft.outcome].toLowerCase()}.`];
    parts.push(`They said: ${snippet(draft.customerSaid)}.`);
    if (draft.customerSuggested) parts.push(`They suggested: ${snippet(draft.customerSuggested)}.`);
    if (draft.surfaceReason && draft.surfaceReason !== row.surfaceReason)
      parts.push(`Surface reason: ${snippet(draft.surfaceReason)}.`);
    if (draft.deepReason && draft.deepReason !== row.deepReason)
      parts.push(`Deep reason: ${snippet(draft.deepReason)}.`);
    const finish = {
      caseId: input.caseId,
      numbers: [1 as const],
      note: `outcome: ${conversationOutcomeLabel[draft.outcome].toLowerCase()}`,
      today,
      actorSlackId: input.actorSlackId,
    };

    if (draft.outcome === "retained") {
      // Closed first: finishing task 1 on a case whose other tasks are all finished would end it as lost.
      await closeCase(tx, {
        caseId: input.caseId,
        outcome: "retained",
        today,
        actorSlackId: input.actorSlackId,
      });
      await finishTasks(tx, finish);
      const { status } = await tx.account.findUniqueOrThrow({
        where: { id: row.account.id },
        select: { status: true },
      });
      parts.push(`Exit handling closed: ${row.account.name} is ${statusWords(status)} again.`);
      return { ...result, closed: "retained", update: parts.join(" ") };
    }

    const { caseLost } = await finishTasks(tx, finish);
    parts.push(caseLost ? `Every task is finished: ${row.account.name} is lost.` : "Task 1 is done.");
    return { ...result, closed: caseLost ? "lost" : null, update: parts.join(" ") };
  });
}
