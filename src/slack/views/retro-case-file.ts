// The retrospective's thread: the case file (top message and one reply, each section cut to Slack's
// limits with "…and N more"), then the questions for the participants with the Summarize button.
import type { types } from "@slack/bolt";
import { categoryLabel, severityLabel } from "../../domain/complaints.ts";
import {
  churnReasonLabel,
  exitTaskStatusLabel,
  exitTasks,
  isWithinControl,
  lossTotals,
} from "../../domain/exit.ts";
import { interactionKindLabel } from "../../domain/interactions.ts";
import { loyaltyLabel } from "../../domain/loyalty.ts";
import { formatMoney, formatPercentChange } from "../../domain/money.ts";
import type { ComplaintDuration, RetroTimeline } from "../../domain/retrospective.ts";
import { signKindLabel } from "../../domain/signs.ts";
import { sparkline } from "../../domain/sparkline.ts";
import type {
  Counted,
  RetroCaseFile,
  RetroComplaint,
  RetroInteraction,
  RetroSign,
  RetroWarning,
} from "../../services/retro/get-retro-case-file.ts";
import { ids } from "../ids.ts";
import { monthLabel, type SlackMessage } from "./account-card.ts";
import { bandLabel } from "./churn-warning.ts";
import { escapeMrkdwn, linesWithin, oneLine, plural, userMention } from "./mrkdwn.ts";

type KnownBlock = types.KnownBlock;

const section = (text: string): KnownBlock => ({ type: "section", text: { type: "mrkdwn", text } });
const context = (text: string): KnownBlock => ({ type: "context", elements: [{ type: "mrkdwn", text }] });
const moreLine = (count: number) => `_…and ${count.toLocaleString("en-US")} more_`;
const safe = (text: string, max: number) => escapeMrkdwn(oneLine(text, max));

/** A heading and its lines within one section; `total` counts records not loaded too. */
function listSection<T>(
  heading: string,
  list: Counted<T>,
  line: (item: T) => string,
  empty: string,
): KnownBlock {
  if (list.total === 0) return section(`${heading}\n${empty}`);
  const notLoaded = Math.max(0, list.total - list.items.length);
  return section(linesWithin(heading, list.items.map(line), notLoaded, moreLine));
}

function headline(file: RetroCaseFile): string {
  const { exitCase } = file;
  const { account } = exitCase;
  const state =
    exitCase.status === "lost"
      ? `Lost on ${exitCase.closedOn}`
      : exitCase.status === "retained"
        ? `Retained on ${exitCase.closedOn}`
        : "Leaving: exit handling under way";
  const where = [account.segment, account.region].filter((part): part is string => Boolean(part));
  const details = [
    state,
    `exit handling started ${exitCase.startedOn} by ${userMention(exitCase.startedBy)}`,
    `account owner ${userMention(account.ownerSlackId)}`,
    ...where.map((part) => safe(part, 100)),
  ];
  return `:mag: *Retrospective: ${safe(account.name, 200)}* (${safe(account.externalId, 60)})\n${details.join(" · ")}`;
}

function reasonSection(file: RetroCaseFile): KnownBlock {
  const c = file.exitCase;
  const lines = [
    c.reason
      ? `*Reason:* ${churnReasonLabel[c.reason]} (${isWithinControl(c.reason) ? "within" : "beyond"} our control)`
      : "*Reason:* not recorded yet",
    `*Surface reason:* ${c.surfaceReason ? safe(c.surfaceReason, 500) : "—"}`,
    `*Deep reason:* ${c.deepReason ? safe(c.deepReason, 500) : "not found yet — the question for this thread"}`,
  ];
  if (c.competitorWon) lines.push(`*Competitor won:* ${safe(c.competitorWon, 200)}`);
  if (c.customerSaid) lines.push(`*The customer said:* ${safe(c.customerSaid, 600)}`);
  if (c.customerSuggested) lines.push(`*The customer suggested:* ${safe(c.customerSuggested, 600)}`);
  return section(linesWithin("*Why they left*", lines, 0, moreLine));
}

function trendLine(timeline: RetroTimeline, profitShown: boolean): string {
  const { trend } = timeline;
  const parts = [`order value ${formatPercentChange(trend.recentAmount, trend.earlierAmount)}`];
  if (profitShown && trend.recentProfit !== null && trend.earlierProfit !== null)
    parts.push(`profit ${formatPercentChange(trend.recentProfit, trend.earlierProfit)}`);
  return `Last ${trend.months} months against the ${trend.months} before: ${parts.join(", ")}`;
}

function timelineSection(timeline: RetroTimeline | null, profitShown: boolean): KnownBlock {
  const title = profitShown ? "Orders and profit" : "Orders";
  if (!timeline) return section(`*${title}*\n_No orders in the last two years._`);
  const money = (minor: bigint) => formatMoney(minor, timeline.currency);
  const first = timeline.months[0];
  const last = timeline.months.at(-1);
  const profitKnown =
    profitShown && timeline.months.some((month) => month.orderCount > 0 && month.profit !== null);
  const heading = [
    `*${title}, ${first ? monthLabel(first.month) : ""} – ${last ? monthLabel(last.month) : ""}* (${timeline.currency})`,
    `Order value \`${sparkline(timeline.months.map((month) => month.amount))}\``,
    ...(profitKnown
      ? [`Profit       \`${sparkline(timeline.months.map((month) => month.profit ?? 0n))}\``]
      : []),
    trendLine(timeline, profitShown),
    ...(timeline.otherCurrencyOrders > 0
      ? [`_${plural(timeline.otherCurrencyOrders, "order")} in other currencies are not counted._`]
      : []),
  ].join("\n");
  const lines = timeline.months.map((month) => {
    const profit =
      month.orderCount === 0 || !profitShown
        ? ""
        : ` · profit ${month.profit === null ? "unknown" : money(month.profit)}`;
    return `\`${monthLabel(month.month)}\` ${plural(month.orderCount, "order")} · ${money(month.amount)}${profit}`;
  });
  return section(linesWithin(heading, lines, 0, moreLine));
}

function lossSection(file: RetroCaseFile): KnownBlock {
  const { losses, currency } = file.exitCase;
  const totals = lossTotals(losses);
  if (!totals.recorded) return section("*Losses* (task 4)\n_Not recorded._");
  const money = (minor: bigint) => formatMoney(minor, currency);
  return section(
    [
      "*Losses* (task 4)",
      `Receivables not recovered: ${money(totals.unrecoveredReceivables)}`,
      `Goods returned: ${money(totals.goodsReturned)}`,
      `Market-gap loss: ${money(totals.marketGapLoss)}`,
      `Compensation agreed: −${money(totals.compensationAgreed)}`,
      `*Net loss: ${money(totals.netLoss)}*`,
    ].join("\n"),
  );
}

function tasksSection(file: RetroCaseFile): KnownBlock {
  const lines = file.exitCase.tasks.map((task) => {
    const why =
      task.status === "not_needed" && task.notNeededReason ? ` (${safe(task.notNeededReason, 200)})` : "";
    return `• ${task.number}. ${exitTasks[task.number].title} — *${exitTaskStatusLabel[task.status]}*${why} · ${userMention(task.ownerSlackId)} · due ${task.dueOn}`;
  });
  return section(linesWithin("*The six exit tasks*", lines, 0, moreLine));
}

function signLine(sign: RetroSign): string {
  const competitor = sign.competitorName ? ` (competitor: ${safe(sign.competitorName, 100)})` : "";
  return `• ${sign.observedOn} · ${signKindLabel[sign.kind]}${competitor} — ${safe(sign.details, 300)}`;
}

function durationText(duration: ComplaintDuration): string {
  switch (duration.kind) {
    case "confirmed":
      return `confirmed fixed by the customer after ${plural(duration.days, "day")}`;
    case "resolved":
      return `resolved after ${plural(duration.days, "day")}, never confirmed by the customer`;
    case "open":
      return duration.overdueDays > 0
        ? `*still open after ${plural(duration.days, "day")}* (target ${duration.targetDays}, ${plural(duration.overdueDays, "day")} overdue)`
        : `still open after ${plural(duration.days, "day")} (target ${duration.targetDays})`;
  }
}

function complaintLine(complaint: RetroComplaint): string {
  return `• ${complaint.raisedOn} · ${categoryLabel[complaint.category]}, ${severityLabel[complaint.severity].toLowerCase()} — ${safe(complaint.description, 250)} · ${durationText(complaint.duration)}`;
}

function warningLine(warning: RetroWarning): string {
  const parts = [`• ${warning.asOf} · ${bandLabel[warning.band]} ${warning.risk}/100`];
  if (warning.postedOn === null) parts.push("never posted");
  else {
    parts.push(`posted ${warning.postedOn}`);
    parts.push(
      warning.acknowledgedBy
        ? `acknowledged by ${userMention(warning.acknowledgedBy)} on ${warning.acknowledgedOn}${warning.acknowledgedAfterDays === null ? "" : ` (after ${plural(warning.acknowledgedAfterDays, "day")})`}`
        : "*never acknowledged*",
    );
  }
  if (warning.snoozedBy)
    parts.push(`snoozed by ${userMention(warning.snoozedBy)} until ${warning.snoozedUntil}`);
  if (warning.escalatedOn) parts.push(`escalated to the managers on ${warning.escalatedOn}`);
  return parts.join(" · ");
}

function interactionLine(interaction: RetroInteraction): string {
  const who = interaction.ourParticipants.map(userMention).join(", ");
  const loyalty = interaction.loyalty ? ` · loyalty: ${loyaltyLabel[interaction.loyalty]}` : "";
  return `• ${interaction.occurredOn} · ${interactionKindLabel[interaction.kind]}${who ? ` · ${who}` : ""} — ${safe(interaction.summary, 300)}${loyalty}`;
}

function actionsTakenSection(file: RetroCaseFile): KnownBlock {
  const { actionsTaken } = file;
  if (actionsTaken.since === null)
    return section(
      "*What we did after the first warning*\n_No churn warning was raised before the customer left._",
    );
  return listSection(
    `*What we did after the first warning (${actionsTaken.since})* — interactions logged`,
    actionsTaken,
    interactionLine,
    "_Nothing was logged after the first warning._",
  );
}

/**
 * The case file: the top message of the thread (who, why, the numbers, the tasks) and one reply
 * (signs, complaints, warnings, what was done). Every section stays within 3,000 characters.
 */
export function buildRetroCaseFile(file: RetroCaseFile): SlackMessage[] {
  const name = file.exitCase.account.name;
  const top: SlackMessage = {
    text: `Retrospective: ${name}`,
    blocks: [
      section(headline(file)),
      reasonSection(file),
      timelineSection(file.timeline, file.profitShown),
      lossSection(file),
      tasksSection(file),
      context("The rest of the case file and the questions for this retrospective follow in the thread."),
    ],
  };
  const records: SlackMessage = {
    text: `Retrospective: ${name} — signs, complaints, warnings and what we did`,
    blocks: [
      listSection(`*Warning signs since ${file.since}*`, file.signs, signLine, "_None recorded._"),
      listSection(`*Complaints since ${file.since}*`, file.complaints, complaintLine, "_None recorded._"),
      listSection(`*Churn warnings since ${file.since}*`, file.warnings, warningLine, "_None raised._"),
      actionsTakenSection(file),
    ],
  };
  return [top, records];
}

/** The questions, posted last in the thread, with the button that turns the answers into a summary. */
export function buildRetroPrompts(caseId: string): SlackMessage {
  const text = [
    "*Over to you.* Everyone who worked with this customer: answer in this thread.",
    "1. *What went well?*",
    "2. *What could we have done* — earlier, differently, at all?",
    "3. *The deep reason* — not the surface reason they gave, the one you find by digging.",
    "4. *Lessons for every rep* — what should each of us do differently from now on?",
    "When the discussion is done, press *Summarize*: the replies become lessons and corrective actions (each with an owner and a due date) for you to check and save.",
  ].join("\n");
  return {
    text: "Retrospective: what went well, what could we have done, the deep reason, lessons",
    blocks: [
      section(text),
      {
        type: "actions",
        block_id: "retro_summarize",
        elements: [
          {
            type: "button",
            action_id: ids.action.retroSummarize,
            text: { type: "plain_text", text: "Summarize" },
            style: "primary",
            value: caseId,
          },
        ],
      },
    ],
  };
}
