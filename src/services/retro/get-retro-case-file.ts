// The lost customer's case file for its retrospective: the exit case, the orders and profit timeline,
// signs, complaints and how long they took, churn warnings and their answers, what was done after
// the first warning. Dates are calendar days in the configured time zone.
import type { ComplaintCategory, ComplaintStatus, Severity } from "../../domain/complaints.ts";
import type { InteractionKind } from "../../domain/interactions.ts";
import type { LoyaltyRead } from "../../domain/loyalty.ts";
import {
  type ComplaintDuration,
  complaintDuration,
  type RetroTimeline,
  retroTimeline,
  TIMELINE_MONTHS,
} from "../../domain/retrospective.ts";
import type { Band } from "../../domain/risk/score.ts";
import type { SignKind } from "../../domain/signs.ts";
import { calendarDay } from "../../domain/trends.ts";
import { dayOf } from "../calendar-days.ts";
import type { ServiceDeps } from "../deps.ts";
import { type ExitCaseDetails, getExitCase } from "../exit/get-exit-case.ts";

/** Records of each kind loaded (newest first); the file says how many more there were. */
export const CASE_FILE_RECORDS = 40;

export type RetroSign = {
  observedOn: string;
  kind: SignKind;
  details: string;
  competitorName: string | null;
};

export type RetroComplaint = {
  raisedOn: string;
  category: ComplaintCategory;
  severity: Severity;
  status: ComplaintStatus;
  description: string;
  duration: ComplaintDuration;
};

export type RetroWarning = {
  asOf: string;
  band: Band;
  risk: number;
  /** Null while it was never posted. */
  postedOn: string | null;
  acknowledgedBy: string | null;
  acknowledgedOn: string | null;
  /** Whole days from posting to the acknowledgement. */
  acknowledgedAfterDays: number | null;
  snoozedBy: string | null;
  snoozedUntil: string | null;
  escalatedOn: string | null;
};

export type RetroInteraction = {
  occurredOn: string;
  kind: InteractionKind;
  ourParticipants: string[];
  summary: string;
  loyalty: LoyaltyRead | null;
};

/** A list as loaded (newest first, at most CASE_FILE_RECORDS) and how many there are in all. */
export type Counted<T> = { items: T[]; total: number };

export type RetroCaseFile = {
  exitCase: ExitCaseDetails;
  /**
   * Whether the retro channel may read profit (§7 roles): with roles on, only when it is the
   * managers' channel. When false the timeline carries none.
   */
  profitShown: boolean;
  timeline: RetroTimeline | null;
  /** Signs, complaints and warnings from this day on (the timeline's first month). */
  since: string;
  signs: Counted<RetroSign>;
  complaints: Counted<RetroComplaint>;
  warnings: Counted<RetroWarning>;
  /** Interactions logged from the first warning on; `since` null when no warning was ever raised. */
  actionsTaken: Counted<RetroInteraction> & { since: string | null };
};

const MS_PER_DAY = 86_400_000;

export async function getRetroCaseFile(deps: ServiceDeps, caseId: string): Promise<RetroCaseFile> {
  const exitCase = await getExitCase(deps, caseId);
  const accountId = exitCase.account.id;
  const now = deps.now();
  const day = (instant: Date) => calendarDay(instant, deps.timeZone);
  const historyFrom = new Date(now.getTime() - (TIMELINE_MONTHS + 1) * 31 * MS_PER_DAY);
  const orders = await deps.prisma.order.findMany({
    where: { accountId, orderedAt: { gte: historyFrom } },
    select: { orderedAt: true, quantity: true, amount: true, cost: true, currency: true },
  });
  const profitShown = !deps.roles.configured || deps.channels.retro === deps.channels.managers;
  const fullTimeline = retroTimeline(orders, now, deps.timeZone);
  const timeline = profitShown || !fullTimeline ? fullTimeline : withoutProfit(fullTimeline);
  const since = timeline?.months[0] ? `${timeline.months[0].month}-01` : day(historyFrom);
  const sinceDate = new Date(`${since}T00:00:00Z`);

  const signWhere = { accountId, observedOn: { gte: sinceDate } };
  const complaintWhere = { accountId, createdAt: { gte: sinceDate } };
  const warningWhere = { accountId, asOf: { gte: sinceDate } };
  const [signs, signCount, complaints, complaintCount, warnings, warningCount, firstWarning] =
    await Promise.all([
      deps.prisma.warningSign.findMany({
        where: signWhere,
        orderBy: [{ observedOn: "desc" }, { createdAt: "desc" }],
        take: CASE_FILE_RECORDS,
        select: { observedOn: true, kind: true, details: true, competitorName: true },
      }),
      deps.prisma.warningSign.count({ where: signWhere }),
      deps.prisma.complaint.findMany({
        where: complaintWhere,
        orderBy: { createdAt: "desc" },
        take: CASE_FILE_RECORDS,
        select: {
          category: true,
          severity: true,
          status: true,
          description: true,
          createdAt: true,
          events: { select: { toStatus: true, at: true } },
        },
      }),
      deps.prisma.complaint.count({ where: complaintWhere }),
      deps.prisma.churnWarning.findMany({
        where: warningWhere,
        orderBy: [{ asOf: "desc" }, { createdAt: "desc" }],
        take: CASE_FILE_RECORDS,
      }),
      deps.prisma.churnWarning.count({ where: warningWhere }),
      // The first warning ever: what was done after it is what the team did to keep the customer.
      deps.prisma.churnWarning.findFirst({
        where: { accountId },
        orderBy: [{ asOf: "asc" }, { createdAt: "asc" }],
        select: { asOf: true },
      }),
    ]);

  const actionsSince = firstWarning ? dayOf(firstWarning.asOf) : null;
  const interactionWhere = { accountId, occurredOn: { gte: firstWarning?.asOf ?? now } };
  const [interactions, interactionCount] = firstWarning
    ? await Promise.all([
        deps.prisma.interaction.findMany({
          where: interactionWhere,
          orderBy: [{ occurredOn: "desc" }, { createdAt: "desc" }],
          take: CASE_FILE_RECORDS,
          select: { occurredOn: true, kind: true, ourParticipants: true, summary: true, loyalty: true },
        }),
        deps.prisma.interaction.count({ where: interactionWhere }),
      ])
    : [[], 0];

  return {
    exitCase,
    profitShown,
    timeline,
    since,
    signs: {
      items: signs.map((sign) => ({ ...sign, observedOn: dayOf(sign.observedOn) })),
      total: signCount,
    },
    complaints: {
      items: complaints.map((complaint) => ({
        raisedOn: day(complaint.createdAt),
        category: complaint.category,
        severity: complaint.severity,
        status: complaint.status,
        description: complaint.description,
        duration: complaintDuration({ ...complaint, steps: complaint.events }, now, deps.responseTargets),
      })),
      total: complaintCount,
    },
    warnings: {
      items: warnings.map((warning) => ({
        asOf: dayOf(warning.asOf),
        band: warning.band,
        risk: warning.risk,
        postedOn: warning.postedAt ? day(warning.postedAt) : null,
        acknowledgedBy: warning.acknowledgedBy,
        acknowledgedOn: warning.acknowledgedAt ? day(warning.acknowledgedAt) : null,
        acknowledgedAfterDays:
          warning.acknowledgedAt && warning.postedAt
            ? Math.max(
                0,
                Math.floor((warning.acknowledgedAt.getTime() - warning.postedAt.getTime()) / MS_PER_DAY),
              )
            : null,
        snoozedBy: warning.snoozedBy,
        snoozedUntil: warning.snoozedUntil ? day(warning.snoozedUntil) : null,
        escalatedOn: warning.escalatedAt ? day(warning.escalatedAt) : null,
      })),
      total: warningCount,
    },
    actionsTaken: {
      since: actionsSince,
      items: interactions.map((interaction) => ({
        ...interaction,
        occurredOn: dayOf(interaction.occurredOn),
      })),
      total: interactionCount,
    },
  };
}

function withoutProfit(timeline: RetroTimeline): RetroTimeline {
  return {
    ...timeline,
    months: timeline.months.map((month) => ({ ...month, profit: null })),
    trend: { ...timeline.trend, recentProfit: null, earlierProfit: null },
  };
}
