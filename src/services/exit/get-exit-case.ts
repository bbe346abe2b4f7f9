// One exit case with everything its message, brief and retrospective show: the account, the six tasks,
// the outreach so far, the loss amounts and where its messages are.
import type { AccountStatus } from "../../domain/account-card.ts";
import type { ChurnReason, ExitLosses, ExitTaskNumber, ExitTaskStatus } from "../../domain/exit.ts";
import { calendarDay } from "../../domain/trends.ts";
import { AppError } from "../../errors.ts";
import type { ExitTask } from "../../generated/prisma/client.ts";
import { dayOf } from "../calendar-days.ts";
import type { ServiceDeps } from "../deps.ts";

export type ExitTaskDetails = {
  id: string;
  number: ExitTaskNumber;
  ownerSlackId: string;
  /** YYYY-MM-DD */
  dueOn: string;
  status: ExitTaskStatus;
  notNeededReason: string | null;
  notes: string | null;
};

export type ExitOutreachDetails = {
  taskNumber: 2 | 3;
  accountId: string;
  accountName: string;
  contactedBy: string;
  /** YYYY-MM-DD */
  contactedOn: string;
  outcome: string;
};

export type ExitCaseDetails = {
  id: string;
  status: "open" | "retained" | "lost";
  reason: ChurnReason | null;
  surfaceReason: string | null;
  deepReason: string | null;
  competitorWon: string | null;
  /** YYYY-MM-DD */
  expectedEndOn: string | null;
  startedBy: string;
  /** YYYY-MM-DD in the configured time zone. */
  startedOn: string;
  closedOn: string | null;
  conversationOutcome: "retained" | "leaving_confirmed" | null;
  customerSaid: string | null;
  customerSuggested: string | null;
  companyCommunication: string | null;
  currency: string;
  losses: ExitLosses;
  account: {
    id: string;
    externalId: string;
    name: string;
    channelId: string | null;
    ownerSlackId: string | null;
    status: AccountStatus;
    segment: string | null;
    region: string | null;
  };
  tasks: ExitTaskDetails[];
  outreach: ExitOutreachDetails[];
  /** The six tasks' message, once posted. */
  message: { channelId: string; ts: string } | null;
  /** The retrospective's thread, once opened. */
  retro: { channelId: string; ts: string } | null;
  lessons: number;
  correctiveActions: { open: number; done: number };
};

/** A stored task as the case's message and the task modals show it. */
export function taskDetails(task: ExitTask): ExitTaskDetails {
  return {
    id: task.id,
    number: task.number as ExitTaskNumber,
    ownerSlackId: task.ownerSlackId,
    dueOn: dayOf(task.dueOn),
    status: task.status,
    notNeededReason: task.notNeededReason,
    notes: task.notes,
  };
}

const dayOrNull = (date: Date | null): string | null => (date ? dayOf(date) : null);

export async function getExitCase(deps: ServiceDeps, caseId: string): Promise<ExitCaseDetails> {
  const row = await deps.prisma.exitCase.findUnique({
    where: { id: caseId },
    include: {
      account: true,
      tasks: { orderBy: { number: "asc" } },
      outreach: { orderBy: [{ contactedOn: "asc" }, { createdAt: "asc" }], include: { account: true } },
      _count: { select: { lessons: true } },
      actions: { select: { status: true } },
    },
  });
  if (!row) throw new AppError("not_found", "That exit case no longer exists.");
  const { account } = row;
  return {
    id: row.id,
    status: row.status,
    reason: row.reason,
    surfaceReason: row.surfaceReason,
    deepReason: row.deepReason,
    competitorWon: row.competitorWon,
    expectedEndOn: dayOrNull(row.expectedEndOn),
    startedBy: row.startedBy,
    startedOn: calendarDay(row.createdAt, deps.timeZone),
    closedOn: dayOrNull(row.closedOn),
    conversationOutcome: row.conversationOutcome as ExitCaseDetails["conversationOutcome"],
    customerSaid: row.customerSaid,
    customerSuggested: row.customerSuggested,
    companyCommunication: row.companyCommunication,
    currency: row.currency,
    losses: {
      receivablesOutstanding: row.receivablesOutstanding,
      receivablesRecovered: row.receivablesRecovered,
      compensationClaimed: row.compensationClaimed,
      compensationAgreed: row.compensationAgreed,
      goodsReturned: row.goodsReturned,
      marketGapLoss: row.marketGapLoss,
    },
    account: {
      id: account.id,
      externalId: account.externalId,
      name: account.name,
      channelId: account.channelId,
      ownerSlackId: account.ownerSlackId,
      status: account.status,
      segment: account.segment,
      region: account.region,
    },
    tasks: row.tasks.map(taskDetails),
    outreach: row.outreach.map((entry) => ({
      taskNumber: entry.taskNumber as 2 | 3,
      accountId: entry.accountId,
      accountName: entry.account.name,
      contactedBy: entry.contactedBy,
      contactedOn: dayOf(entry.contactedOn),
      outcome: entry.outcome,
    })),
    message: row.channelId && row.messageTs ? { channelId: row.channelId, ts: row.messageTs } : null,
    retro: row.retroChannelId && row.retroTs ? { channelId: row.retroChannelId, ts: row.retroTs } : null,
    lessons: row._count.lessons,
    correctiveActions: {
      open: row.actions.filter((action) => action.status === "open").length,
      done: row.actions.filter((action) => action.status === "done").length,
    },
  };
}
