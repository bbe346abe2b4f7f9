// Status changes of an account and the end of an exit case, inside the caller's transaction: every
// change is kept as an AccountStatusChange (the churn report counts from them; nothing is deleted).
import type { AccountStatus } from "../../domain/account-card.ts";
import { allTasksFinished } from "../../domain/exit.ts";
import type { Prisma } from "../../generated/prisma/client.ts";
import { dateOf } from "../calendar-days.ts";

export type Tx = Prisma.TransactionClient;

export async function changeAccountStatus(
  tx: Tx,
  input: {
    accountId: string;
    from: AccountStatus;
    to: AccountStatus;
    /** YYYY-MM-DD */
    effectiveOn: string;
    exitCaseId: string | null;
    actorSlackId: string;
    /** Why, when a person decided it. */
    note?: string;
  },
): Promise<void> {
  await tx.account.update({ where: { id: input.accountId }, data: { status: input.to } });
  await tx.accountStatusChange.create({
    data: {
      accountId: input.accountId,
      fromStatus: input.from,
      toStatus: input.to,
      effectiveOn: dateOf(input.effectiveOn),
      exitCaseId: input.exitCaseId,
      note: input.note ?? null,
      actorSlackId: input.actorSlackId,
    },
  });
}

/**
 * Ends an open case: `lost` marks the account lost from `today`; `retained` gives it back the status
 * it had before it was marked leaving. Returns false when the case was not open (nothing changed).
 */
export async function closeCase(
  tx: Tx,
  input: { caseId: string; outcome: "lost" | "retained"; today: string; actorSlackId: string },
): Promise<boolean> {
  const closed = await tx.exitCase.updateMany({
    where: { id: input.caseId, status: "open" },
    data: { status: input.outcome, closedOn: dateOf(input.today) },
  });
  if (closed.count === 0) return false;
  const exitCase = await tx.exitCase.findUniqueOrThrow({
    where: { id: input.caseId },
    select: { accountId: true, previousStatus: true, account: { select: { status: true } } },
  });
  const to: AccountStatus = input.outcome === "lost" ? "lost" : exitCase.previousStatus;
  if (exitCase.account.status !== to)
    await changeAccountStatus(tx, {
      accountId: exitCase.accountId,
      from: exitCase.account.status,
      to,
      effectiveOn: input.today,
      exitCaseId: input.caseId,
      actorSlackId: input.actorSlackId,
    });
  return true;
}

/** After a task change: when all six are done or not needed, the case ends and the account is lost. */
export async function closeIfFinished(
  tx: Tx,
  input: { caseId: string; today: string; actorSlackId: string },
): Promise<boolean> {
  const tasks = await tx.exitTask.findMany({ where: { caseId: input.caseId }, select: { status: true } });
  if (!allTasksFinished(tasks)) return false;
  return closeCase(tx, { ...input, outcome: "lost" });
}

/** Locks the case row for the rest of the transaction and returns its status (null: no such case). */
export async function lockCase(tx: Tx, caseId: string): Promise<"open" | "retained" | "lost" | null> {
  const rows = await tx.$queryRaw<{ status: "open" | "retained" | "lost" }[]>`
    SELECT status::text AS status FROM exit_case WHERE id = ${caseId}::uuid FOR UPDATE`;
  return rows[0]?.status ?? null;
}
