// Follow-ups (next steps of interactions): a user's open ones, and marking one done.
import { daysBetween } from "../../domain/interactions.ts";
import { calendarDay } from "../../domain/trends.ts";
import type { ServiceDeps } from "../deps.ts";

export type OpenFollowUp = {
  id: string;
  accountId: string;
  accountName: string;
  interactionId: string | null;
  description: string;
  /** YYYY-MM-DD */
  dueOn: string;
  ownerSlackId: string;
  /** Days past due today (in the configured time zone): negative while still ahead, 0 on the day. */
  daysLate: number;
};

const MAX_LIST = 500;

/** A @db.Date column as its calendar day (Prisma reads it as midnight UTC). */
export const isoDay = (date: Date): string => date.toISOString().slice(0, 10);
const dateOnly = (day: string): Date => new Date(`${day}T00:00:00Z`);

/**
 * The owner's follow-ups not done yet and due on or before `dueOnOrBefore` (YYYY-MM-DD), most
 * overdue first; at most `limit` (default 100, at most 500).
 */
export async function listOpenFollowUps(
  deps: ServiceDeps,
  input: { ownerSlackId: string; dueOnOrBefore: string; limit?: number },
): Promise<OpenFollowUp[]> {
  const today = calendarDay(deps.now(), deps.timeZone);
  const rows = await deps.prisma.followUp.findMany({
    where: { ownerSlackId: input.ownerSlackId, doneAt: null, dueOn: { lte: dateOnly(input.dueOnOrBefore) } },
    orderBy: [{ dueOn: "asc" }, { createdAt: "asc" }, { id: "asc" }],
    take: Math.min(Math.max(1, input.limit ?? 100), MAX_LIST),
    select: {
      id: true,
      accountId: true,
      interactionId: true,
      description: true,
      dueOn: true,
      ownerSlackId: true,
      account: { select: { name: true } },
    },
  });
  return rows.map((row) => ({
    id: row.id,
    accountId: row.accountId,
    accountName: row.account.name,
    interactionId: row.interactionId,
    description: row.description,
    dueOn: isoDay(row.dueOn),
    ownerSlackId: row.ownerSlackId,
    daysLate: daysBetween(isoDay(row.dueOn), today),
  }));
}

export type DoneFollowUp = {
  id: string;
  accountName: string;
  description: string;
  dueOn: string;
  ownerSlackId: string;
  doneBy: string;
  doneAt: Date;
};

export type MarkFollowUpDoneResult =
  | { status: "done"; followUp: DoneFollowUp }
  /** Someone had marked it done before: nothing changed, and it says who. */
  | { status: "already_done"; followUp: DoneFollowUp }
  | { status: "not_found" };

/**
 * Marks a follow-up done by `doneBy`. Anyone in the team may (§7: customers belong to the company,
 * not to one rep); who did it is recorded. Idempotent: a second click keeps the first who and when.
 */
export async function markFollowUpDone(
  deps: ServiceDeps,
  input: { followUpId: string; doneBy: string },
): Promise<MarkFollowUpDoneResult> {
  const { count } = await deps.prisma.followUp.updateMany({
    where: { id: input.followUpId, doneAt: null },
    data: { doneAt: deps.now(), doneBy: input.doneBy },
  });
  const row = await deps.prisma.followUp.findUnique({
    where: { id: input.followUpId },
    select: {
      id: true,
      description: true,
      dueOn: true,
      ownerSlackId: true,
      doneAt: true,
      doneBy: true,
      account: { select: { name: true } },
    },
  });
  if (!row?.doneAt) return { status: "not_found" };
  const followUp: DoneFollowUp = {
    id: row.id,
    accountName: row.account.name,
    description: row.description,
    dueOn: isoDay(row.dueOn),
    ownerSlackId: row.ownerSlackId,
    // Set together with doneAt; an older row without it reads as done by its owner.
    doneBy: row.doneBy ?? row.ownerSlackId,
    doneAt: row.doneAt,
  };
  return { status: count === 1 ? "done" : "already_done", followUp };
}
