// What the Log outreach form of tasks 2 and 3 starts with: the customers at domino risk to pick from,
// the clicker and today as defaults, and task 3's company-level communication so far.
import { calendarDay } from "../../domain/trends.ts";
import type { ServiceDeps } from "../deps.ts";
import { findDominoRisk } from "./domino-risk.ts";

/** A static select holds at most 100 options. */
export const OUTREACH_CHOICES = 100;

export type OutreachForm = {
  caseId: string;
  task: 2 | 3;
  leaving: { id: string; name: string };
  /** The customers at domino risk, most at risk first. */
  choices: { id: string; name: string }[];
  /** Customers at domino risk not among the choices (pick them by name instead). */
  more: number;
  /** The customer the form opens with (the list's Log outreach button), if any. */
  selected: { id: string; name: string } | null;
  companyCommunication: string | null;
  userId: string;
  /** YYYY-MM-DD */
  today: string;
};

export async function getOutreachForm(
  deps: ServiceDeps,
  input: { caseId: string; task: 2 | 3; userId: string; accountId: string | null },
): Promise<OutreachForm> {
  const list = await findDominoRisk(deps, { caseId: input.caseId, limit: OUTREACH_CHOICES });
  const exitCase = await deps.prisma.exitCase.findUniqueOrThrow({
    where: { id: input.caseId },
    select: { companyCommunication: true },
  });
  const selected = input.accountId
    ? await deps.prisma.account.findUnique({
        where: { id: input.accountId },
        select: { id: true, name: true },
      })
    : null;
  return {
    caseId: input.caseId,
    task: input.task,
    leaving: list.leaving,
    choices: list.shown.map((account) => ({ id: account.accountId, name: account.name })),
    more: list.more,
    selected: selected && selected.id !== list.leaving.id ? selected : null,
    companyCommunication: exitCase.companyCommunication,
    userId: input.userId,
    today: calendarDay(deps.now(), deps.timeZone),
  };
}
