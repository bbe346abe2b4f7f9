// Task 1's brief in the case's thread: the account's history, loyalty and feedback, open complaints,
// receivables, the latest risk assessment, the reason so far, then the talking points (template or a
// marked AI draft) and the §5 checklist.
import type { types } from "@slack/bolt";
import { contactRoleLabel } from "../../domain/account-card.ts";
import { churnReasonLabel } from "../../domain/exit.ts";
import {
  type BriefYear,
  type ExitBrief,
  type ExitBriefFacts,
  lastConversationChecklist,
  type ReceivableTotals,
  relationshipLength,
  type TalkingPoints,
} from "../../domain/last-conversation.ts";
import { formatMoney, formatPercentChange } from "../../domain/money.ts";
import { sparkline } from "../../domain/sparkline.ts";
import type { ExitBriefRenderers } from "../../services/exit/exit-brief.ts";
import {
  complaintLine,
  interactionLine,
  loyaltyText,
  riskBlocks,
  type SlackMessage,
} from "./account-card.ts";
import { escapeMrkdwn, linesWithin, oneLine, plural, truncate, userMention } from "./mrkdwn.ts";

type KnownBlock = types.KnownBlock;

const section = (text: string): KnownBlock => ({
  type: "section",
  text: { type: "mrkdwn", text: truncate(text, 3000) },
});
const context = (text: string): KnownBlock => ({ type: "context", elements: [{ type: "mrkdwn", text }] });
const free = (text: string, max: number): string => escapeMrkdwn(oneLine(text, max));

const MAX_COMPLAINTS = 5;
const MAX_CONTACTS = 3;

function yearLine(year: BriefYear): string {
  const { current, previous } = year;
  const money = (minor: bigint) => formatMoney(minor, year.currency);
  const parts = [
    `${plural(current.orderCount, "order")} (${formatPercentChange(current.orderCount, previous.orderCount)} on the 12 months before)`,
    `value ${money(current.amount)} (${formatPercentChange(current.amount, previous.amount)})`,
  ];
  if (current.profit !== null) {
    const change =
      previous.profit === null ? "" : ` (${formatPercentChange(current.profit, previous.profit)})`;
    const margin = current.marginPct === null ? "" : `, margin ${current.marginPct.toFixed(1)}%`;
    parts.push(`profit ${money(current.profit)}${change}${margin}`);
  }
  return `*Last 12 months* ${parts.join("  ·  ")}`;
}

function historyBlock(facts: ExitBriefFacts): KnownBlock {
  const lines: string[] = [];
  const length = facts.customerSince ? relationshipLength(facts.customerSince, facts.today) : null;
  lines.push(
    facts.customerSince
      ? `*Customer since* ${facts.customerSince}${length ? ` (${length})` : ""}`
      : "*Customer since* no orders on record",
  );
  if (facts.lastOrderDay) {
    const gap =
      facts.typicalGapDays === null
        ? ""
        : `  ·  usual gap ${plural(Math.round(facts.typicalGapDays), "day")}`;
    lines.push(`*Last order* ${facts.lastOrderDay}${gap}`);
  }
  if (facts.year) lines.push(yearLine(facts.year));
  const first = facts.months[0];
  const last = facts.months[facts.months.length - 1];
  if (first && last)
    lines.push(
      `*Order value by month* \`${sparkline(facts.months.map((m) => m.amount))}\` ${first.month} – ${last.month}`,
    );
  if (facts.contacts.length > 0) {
    const who = facts.contacts
      .slice(0, MAX_CONTACTS)
      .map((c) => `${free(c.name, 60)} (${contactRoleLabel[c.role]})`);
    lines.push(`*Talk to* ${who.join(", ")}`);
  }
  return section(`:books: *History*\n${lines.join("\n")}`);
}

function feedbackBlock(facts: ExitBriefFacts): KnownBlock {
  const heading = `:speech_balloon: *Loyalty* ${facts.loyalty.reads.length > 0 ? loyaltyText(facts.loyalty) : "no reads recorded"}`;
  const feedback = facts.feedback.map((entry) => {
    const said = [
      entry.praised ? `praised: ${free(entry.praised, 200)}` : "",
      entry.complained ? `complained: ${free(entry.complained, 200)}` : "",
    ].filter(Boolean);
    return `• ${entry.occurredOn} — ${said.join("; ")}`;
  });
  const interactions = facts.interactions.map(interactionLine);
  const lines = [
    ...(feedback.length > 0 ? ["*What they praised and complained about*", ...feedback] : []),
    ...(interactions.length > 0 ? ["*Latest interactions*", ...interactions] : []),
  ];
  return section(linesWithin(heading, lines, 0, (n) => `…and ${plural(n, "more line")}`));
}

function complaintsBlock(facts: ExitBriefFacts): KnownBlock {
  if (facts.openComplaintCount === 0) return section(":white_check_mark: *Open complaints* none");
  const shown = facts.openComplaints.slice(0, MAX_COMPLAINTS);
  return section(
    linesWithin(
      `:warning: *Open complaints* (${facts.openComplaintCount.toLocaleString("en-US")})`,
      shown.map(complaintLine),
      Math.max(0, facts.openComplaintCount - shown.length),
      (n) => `…and ${plural(n, "more open complaint")}`,
    ),
  );
}

function receivableLine(r: ReceivableTotals): string {
  const open = `${formatMoney(r.outstanding, r.currency)} open in ${plural(r.invoices, "invoice")}`;
  if (r.overdueInvoices === 0) return `• ${open}, none overdue`;
  return `• ${open}, *${formatMoney(r.overdue, r.currency)} overdue* in ${plural(r.overdueInvoices, "invoice")} (oldest ${plural(r.maxDaysOverdue, "day")} past due)`;
}

function receivablesBlock(facts: ExitBriefFacts): KnownBlock {
  if (facts.receivables.length === 0) return section(":moneybag: *Receivables* no open invoices");
  return section([":moneybag: *Receivables*", ...facts.receivables.map(receivableLine)].join("\n"));
}

function reasonBlock(facts: ExitBriefFacts): KnownBlock {
  const { reason } = facts;
  const lines = [`*Reason* ${reason.reason ? churnReasonLabel[reason.reason] : "not recorded yet"}`];
  if (reason.surfaceReason) lines.push(`*Surface reason* ${free(reason.surfaceReason, 500)}`);
  if (reason.deepReason) lines.push(`*Deep reason* ${free(reason.deepReason, 500)}`);
  if (reason.competitorWon) lines.push(`*Competitor won* ${free(reason.competitorWon, 200)}`);
  if (reason.expectedEndOn) lines.push(`*Expected end* ${reason.expectedEndOn}`);
  return section(`:door: *Why they leave, so far*\n${lines.join("\n")}`);
}

function talkingPointBlocks(points: TalkingPoints, source: ExitBrief["source"]): KnownBlock[] {
  const heading =
    source === "ai"
      ? ":robot_face: *Talking points — AI draft* (drafted from the facts above: check before you use it)"
      : ":clipboard: *Talking points*";
  const blocks: KnownBlock[] = [
    section(`${heading}\n*Open with* ${free(points.opening, 600)}`),
    section(
      linesWithin(
        "*Questions to ask*",
        points.questions.map((question, i) => `${i + 1}. ${free(question, 500)}`),
        0,
        (n) => `…and ${plural(n, "more question")}`,
      ),
    ),
  ];
  if (points.watchOuts.length > 0)
    blocks.push(
      section(
        linesWithin(
          "*Watch out*",
          points.watchOuts.map((point) => `• ${free(point, 500)}`),
          0,
          (n) => `…and ${plural(n, "more")}`,
        ),
      ),
    );
  blocks.push(section(`*Leave the door open* ${free(points.leaveDoorOpen, 600)}`));
  return blocks;
}

const unavailableReason: Record<NonNullable<ExitBrief["aiUnavailable"]>, string> = {
  timeout: "it took too long",
  failed: "the AI service failed",
  invalid_output: "its answer could not be used",
};

export function buildExitBrief(brief: ExitBrief, options: { actorSlackId: string }): SlackMessage {
  const { facts } = brief;
  const name = escapeMrkdwn(oneLine(facts.account.name, 150));
  const blocks: KnownBlock[] = [
    section(`:memo: *Last-conversation brief — ${name}*`),
    context(`Prepared for ${userMention(options.actorSlackId)} on ${facts.today}`),
    historyBlock(facts),
    feedbackBlock(facts),
    complaintsBlock(facts),
    receivablesBlock(facts),
    ...(facts.risk ? riskBlocks(facts.risk) : [section("*Churn risk* not assessed yet")]),
    reasonBlock(facts),
    { type: "divider" },
    ...talkingPointBlocks(brief.talkingPoints, brief.source),
    context(`Cover: ${lastConversationChecklist.join(" · ")}`),
  ];
  if (brief.aiUnavailable)
    blocks.push(
      context(
        `:information_source: The AI draft was unavailable (${unavailableReason[brief.aiUnavailable]}): these are the standard talking points.`,
      ),
    );
  return { text: `Last-conversation brief: ${facts.account.name}`, blocks };
}

export function buildBriefPreparing(actorSlackId: string): SlackMessage {
  const text = `:hourglass_flowing_sand: Preparing the last-conversation brief for ${userMention(actorSlackId)}…`;
  return { text, blocks: [section(text)] };
}

export const exitBriefRenderers: ExitBriefRenderers = {
  brief: buildExitBrief,
  preparing: buildBriefPreparing,
};
