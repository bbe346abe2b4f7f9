// The buttons and forms of an open exit case: one refusal for a case that is missing or has since closed.
import { AppError } from "../../errors.ts";
import { dayOf } from "../calendar-days.ts";
import type { ServiceDeps } from "../deps.ts";
import { lockCase, type Tx } from "./close-case.ts";

const notFound = "That exit case no longer exists.";

/** The case's leaving account, if the case is open; a clear refusal otherwise. */
export async function openCaseAccount(
  deps: ServiceDeps,
  caseId: string,
): Promise<{ id: string; name: string }> {
  const row = await deps.prisma.exitCase.findUnique({
    where: { id: caseId },
    select: { status: true, closedOn: true, account: { select: { id: true, name: true } } },
  });
  if (!row) throw new AppError("not_found", notFound);
  if (row.status !== "open") throw new AppError("bad_request", closedCaseMessage(row));
  return row.account;
}

/** Locks the case for the rest of the transaction; refuses a missing or closed one. */
export async function lockOpenCase(tx: Tx, caseId: string): Promise<void> {
  const status = await lockCase(tx, caseId);
  if (status === null) throw new AppError("not_found", notFound);
  if (status === "open") return;
  const row = await tx.exitCase.findUniqueOrThrow({
    where: { id: caseId },
    select: { status: true, closedOn: true, account: { select: { name: true } } },
  });
  throw new AppError("bad_request", closedCaseMessage(row));
}

/** What a stale button or form on a closed case is told. */
export function closedCaseMessage(exitCase: {
  status: "open" | "retained" | "lost";
  closedOn: Date | null;
  account: { name: string };
}): string {
  const when = exitCase.closedOn ? ` on ${dayOf(exitCase.closedOn)}` : "";
  const how = exitCase.status === "retained" ? `was retained${when}` : `was lost${when}`;
  return `${exitCase.account.name} ${how}: its exit handling is closed, so nothing more is recorded on it.`;
}
