// Task 1's brief: gathers the facts for the last conversation (the account card's data, a year of orders,
// feedback, receivables, the reason so far), drafts the talking points (the AI when configured, else or
// on failure the template) and posts the brief in the case's thread.

import { withoutProfit } from "../../domain/account-card.ts";
import {
  BRIEF_AI_TASK,
  type BriefYear,
  briefInstructions,
  briefPromptInput,
  type ExitBrief,
  type ExitBriefFacts,
  templateTalkingPoints,
  usableTalkingPoints,
  ZTalkingPointsDraft,
} from "../../domain/last-conversation.ts";
import { calendarDay, compareWindows, dominantCurrency } from "../../domain/trends.ts";
import { AppError } from "../../errors.ts";
import type { SlackMessage } from "../../slack/views/account-card.ts";
import { dayOf } from "../calendar-days.ts";
import type { ServiceDeps } from "../deps.ts";
import { getAccountCard } from "../get-account-card.ts";
import { receivableTotals } from "../receivables/receivable-totals.ts";
import type { ExitSlackClient } from "./exit-message.ts";
import { type ExitCaseDetails, getExitCase } from "./get-exit-case.ts";

const MS_PER_DAY = 86_400_000;
const YEAR_DAYS = 365;
const FEEDBACK_ENTRIES = 5;

async function yearOfOrders(
  deps: ServiceDeps,
  accountId: string,
  currency: string | null,
): Promise<BriefYear | null> {
  const now = deps.now();
  // Two years and a day: the last 12 months and the 12 before, whatever the time zone.
  const orders = await deps.prisma.order.findMany({
    where: { accountId, orderedAt: { gte: new Date(now.getTime() - (2 * YEAR_DAYS + 1) * MS_PER_DAY) } },
    select: { orderedAt: true, quantity: true, amount: true, cost: true, currency: true },
  });
  const chosen = currency ?? dominantCurrency(orders);
  if (chosen === null) return null;
  const comparison = compareWindows(orders, now, deps.timeZone, chosen, YEAR_DAYS);
  const { current, previous } = comparison;
  if (current.stats.orderCount === 0 && previous.stats.orderCount === 0) return null;
  return {
    currency: comparison.currency,
    fromDay: current.fromDay,
    toDay: current.toDay,
    current: current.stats,
    previous: previous.stats,
  };
}

/** What the brief shows about the case's account, as of now. */
export async function getExitBriefFacts(
  deps: ServiceDeps,
  exitCase: ExitCaseDetails,
): Promise<ExitBriefFacts> {
  const accountId = exitCase.account.id;
  const today = calendarDay(deps.now(), deps.timeZone);
  // The brief is posted in the case's thread: what the channel may see.
  const card = await getAccountCard(deps, accountId, null);
  const [year, first, feedback, receivables] = await Promise.all([
    yearOfOrders(deps, accountId, card.figures?.currency ?? null),
    deps.prisma.order.findFirst({
      where: { accountId },
      orderBy: { orderedAt: "asc" },
      select: { orderedAt: true },
    }),
    deps.prisma.interaction.findMany({
      where: { accountId, OR: [{ praised: { not: null } }, { complained: { not: null } }] },
      orderBy: [{ occurredOn: "desc" }, { createdAt: "desc" }],
      take: FEEDBACK_ENTRIES,
      select: { occurredOn: true, praised: true, complained: true },
    }),
    receivableTotals(deps, { accountId, asOf: today }),
  ]);
  return {
    today,
    account: { name: card.account.name, segment: card.account.segment, region: card.account.region },
    customerSince: first ? calendarDay(first.orderedAt, deps.timeZone) : null,
    lastOrderDay: card.lastOrderDay,
    typicalGapDays: card.figures?.gaps.typicalGapDays ?? null,
    // The year's profit and margin follow the card's rule for the channel.
    year:
      year && !card.marginVisible
        ? { ...year, current: withoutProfit(year.current), previous: withoutProfit(year.previous) }
        : year,
    months: card.figures?.months ?? [],
    contacts: card.contacts,
    loyalty: card.records.loyalty,
    feedback: feedback.map((entry) => ({
      occurredOn: dayOf(entry.occurredOn),
      praised: entry.praised?.trim() || null,
      complained: entry.complained?.trim() || null,
    })),
    interactions: card.records.interactions,
    openComplaints: card.records.openComplaints,
    openComplaintCount: card.records.openComplaintCount,
    receivables,
    risk: card.risk,
    reason: {
      reason: exitCase.reason,
      surfaceReason: exitCase.surfaceReason,
      deepReason: exitCase.deepReason,
      competitorWon: exitCase.competitorWon,
      expectedEndOn: exitCase.expectedEndOn,
    },
  };
}

/** The talking points: the AI's draft when an assistant is configured and answers usably, else the template. */
export async function draftTalkingPoints(
  deps: ServiceDeps,
  facts: ExitBriefFacts,
): Promise<Omit<ExitBrief, "facts">> {
  const template = { talkingPoints: templateTalkingPoints(facts), source: "template" as const };
  if (!deps.assistant) return { ...template, aiUnavailable: null };
  const outcome = await deps.assistant.ask({
    task: BRIEF_AI_TASK,
    schema: ZTalkingPointsDraft,
    instructions: briefInstructions,
    input: briefPromptInput(facts, { shareMoney: deps.assistant.shareMoney }),
  });
  if (!outcome.ok) return { ...template, aiUnavailable: outcome.reason };
  const points = usableTalkingPoints(outcome.value);
  if (!points) {
    deps.logger.warn({ task: BRIEF_AI_TASK }, "the AI's talking points were empty: the template is used");
    return { ...template, aiUnavailable: "invalid_output" };
  }
  return { talkingPoints: points, source: "ai", aiUnavailable: null };
}

/** Block Kit is the Slack layer's business: the caller passes its builders. */
export type ExitBriefRenderers = {
  brief(brief: ExitBrief, options: { actorSlackId: string }): SlackMessage;
  preparing(actorSlackId: string): SlackMessage;
};

const closedMessage = "This customer's exit handling is closed: there is no last conversation to prepare.";

/**
 * Posts the brief in the case's thread (the clicked message's, while the case's own is not known).
 * With an assistant, a "preparing" line goes up at once and is replaced by the brief when it is ready.
 */
export async function postExitBrief(
  deps: ServiceDeps,
  input: {
    slack: ExitSlackClient;
    caseId: string;
    actorSlackId: string;
    clickedMessage: { channelId: string; ts: string } | null;
    render: ExitBriefRenderers;
  },
): Promise<void> {
  const exitCase = await getExitCase(deps, input.caseId);
  if (exitCase.status !== "open") throw new AppError("bad_request", closedMessage);
  const thread = exitCase.message ?? input.clickedMessage;
  if (!thread) throw new AppError("bad_request", "This exit case has no message to post the brief under.");
  const target = { channel: thread.channelId, thread_ts: thread.ts };
  const facts = await getExitBriefFacts(deps, exitCase);
  const preparing = deps.assistant
    ? await input.slack.chat.postMessage({ ...target, ...input.render.preparing(input.actorSlackId) })
    : null;
  const brief: ExitBrief = { facts, ...(await draftTalkingPoints(deps, facts)) };
  const message = input.render.brief(brief, { actorSlackId: input.actorSlackId });
  if (preparing?.ts) {
    try {
      await input.slack.chat.update({
        channel: preparing.channel ?? thread.channelId,
        ts: preparing.ts,
        ...message,
      });
      return;
    } catch (error) {
      deps.logger.warn(
        { err: error, caseId: exitCase.id },
        "replacing the 'preparing' line failed: posting the brief",
      );
    }
  }
  await input.slack.chat.postMessage({ ...target, ...message });
}
