// Tasks 2 and 3: log one-to-one outreach to another customer (once per submission), and in task 3 the
// company-level communication kept on the case. Allowed in any task status while the case is open.
import { checkOutreach, type OutreachDraft, type OutreachField } from "../../domain/exit-outreach.ts";
import { calendarDay } from "../../domain/trends.ts";
import { dateOf } from "../calendar-days.ts";
import type { ServiceDeps } from "../deps.ts";
import { claimSubmission } from "../once.ts";
import { lockOpenCase } from "./open-case.ts";

export type LogOutreachInput = {
  caseId: string;
  task: 2 | 3;
  draft: OutreachDraft;
  actorSlackId: string;
  /** The modal's view id: a replayed submit records nothing more. */
  submissionKey: string;
};

export type LogOutreachResult =
  | {
      ok: true;
      /** False for a replayed submission: nothing was recorded again. */
      created: boolean;
      /** Lines for the case's thread, one per change (empty when nothing changed). */
      updates: string[];
    }
  | { ok: false; errors: Partial<Record<OutreachField, string>> };

class RefusedOutreach extends Error {
  constructor(readonly errors: Partial<Record<OutreachField, string>>) {
    super("outreach refused");
  }
}

export async function logOutreach(deps: ServiceDeps, input: LogOutreachInput): Promise<LogOutreachResult> {
  const today = calendarDay(deps.now(), deps.timeZone);
  try {
    return await deps.prisma.$transaction(async (tx) => {
      await lockOpenCase(tx, input.caseId);
      // A replayed or doubled submit, whatever it held (a company-level note leaves no row of its own).
      if (!(await claimSubmission(tx, input.submissionKey))) return { ok: true, created: false, updates: [] };
      const exitCase = await tx.exitCase.findUniqueOrThrow({
        where: { id: input.caseId },
        select: { accountId: true, companyCommunication: true },
      });
      const check = checkOutreach(input.draft, {
        task: input.task,
        today,
        leavingAccountId: exitCase.accountId,
        currentCommunication: exitCase.companyCommunication,
      });
      // Thrown, so the claim rolls back: the form stays open and its corrected submit is not a replay.
      if (!check.ok) throw new RefusedOutreach(check.errors);
      const { outreach, companyCommunication } = check.value;
      const updates: string[] = [];

      if (outreach) {
        const account = await tx.account.findUnique({
          where: { id: outreach.accountId },
          select: { name: true },
        });
        if (!account) throw new RefusedOutreach({ accountId: "That customer no longer exists." });
        await tx.exitOutreach.create({
          data: {
            caseId: input.caseId,
            taskNumber: input.task,
            accountId: outreach.accountId,
            contactedBy: outreach.contactedBy,
            contactedOn: dateOf(outreach.contactedOn),
            outcome: outreach.outcome,
            submissionKey: input.submissionKey,
          },
        });
        updates.push(
          `Outreach to ${account.name} by <@${outreach.contactedBy}> on ${outreach.contactedOn}: ${outreach.outcome}`,
        );
      }
      if (companyCommunication !== undefined) {
        await tx.exitCase.update({
          where: { id: input.caseId },
          data: { companyCommunication },
        });
        updates.push(
          companyCommunication === null
            ? "Company-level communication cleared"
            : `Company-level communication: ${companyCommunication}`,
        );
      }
      const task = await tx.exitTask.findUnique({
        where: { caseId_number: { caseId: input.caseId, number: input.task } },
        select: { id: true },
      });
      if (task)
        for (const text of updates)
          await tx.exitTaskEvent.create({
            data: { taskId: task.id, text, actorSlackId: input.actorSlackId },
          });
      return { ok: true, created: true, updates };
    });
  } catch (error) {
    if (error instanceof RefusedOutreach) return { ok: false, errors: error.errors };
    throw error;
  }
}
