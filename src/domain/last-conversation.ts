// §5 task 1, the last conversation: the facts a rep takes into it, the talking points drafted from them
// (a fixed template, or an AI draft checked here), the prompt that sends the facts to the AI, and the
// outcome recorded afterwards.
import { z } from "zod";
import {
  type CardComplaint,
  type CardContact,
  type CardInteraction,
  type CardRisk,
  contactRoleLabel,
} from "./account-card.ts";
import { categoryLabel, statusLabel as complaintStatusLabel, severityLabel } from "./complaints.ts";
import { type ChurnReason, churnReasonLabel, type ExitTaskStatus, exitTaskStatusLabel } from "./exit.ts";
import { interactionKindLabel } from "./interactions.ts";
import { type LoyaltyTrend, loyaltyLabel } from "./loyalty.ts";
import { formatMoney, formatPercentChange } from "./money.ts";
import { verdictLabel } from "./risk/judgments.ts";
import { isoDayNumber, type MonthValue, type WindowStats } from "./trends.ts";

/** The last 12 months of orders against the 12 before, in one currency. */
export type BriefYear = {
  currency: string;
  /** First and last day of the last 12 months, inclusive. */
  fromDay: string;
  toDay: string;
  current: WindowStats;
  previous: WindowStats;
};

/** Invoices open on a day in one currency, and the overdue part of them. */
export type ReceivableTotals = {
  currency: string;
  /** Minor units of `currency`: every invoice open at the end of the day. */
  outstanding: bigint;
  invoices: number;
  /** The part of `outstanding` past its due day. */
  overdue: bigint;
  overdueInvoices: number;
  /** Days the oldest overdue invoice is past its due day; 0 when none is. */
  maxDaysOverdue: number;
};

/** What the customer praised and complained about at a contact (§7). */
export type BriefFeedback = { occurredOn: string; praised: string | null; complained: string | null };

export type ExitBriefFacts = {
  /** YYYY-MM-DD */
  today: string;
  account: { name: string; segment: string | null; region: string | null };
  /** The day of the first order on record. */
  customerSince: string | null;
  lastOrderDay: string | null;
  typicalGapDays: number | null;
  year: BriefYear | null;
  /** Order value and count by month, oldest first (the last 12 months, in the year's currency). */
  months: MonthValue[];
  contacts: CardContact[];
  loyalty: LoyaltyTrend;
  /** Newest first. */
  feedback: BriefFeedback[];
  /** Newest first. */
  interactions: CardInteraction[];
  openComplaints: CardComplaint[];
  openComplaintCount: number;
  receivables: ReceivableTotals[];
  risk: CardRisk | null;
  reason: {
    reason: ChurnReason | null;
    surfaceReason: string | null;
    deepReason: string | null;
    competitorWon: string | null;
    expectedEndOn: string | null;
  };
};

/** Plain text (no markup): the view escapes it, whoever wrote it. */
export type TalkingPoints = {
  opening: string;
  questions: string[];
  watchOuts: string[];
  leaveDoorOpen: string;
};

export type ExitBrief = {
  facts: ExitBriefFacts;
  talkingPoints: TalkingPoints;
  source: "ai" | "template";
  /** Why the AI draft is missing although an assistant is configured; null otherwise. */
  aiUnavailable: "timeout" | "failed" | "invalid_output" | null;
};

/** The §5 checklist every last conversation covers, whoever drafted its questions. */
export const lastConversationChecklist = [
  "reasons (surface and deep)",
  "their suggestions",
  "leftovers: payments and inventory",
  "claims and compensation",
  "transition plan",
  "termination memo",
  "part on good terms, leave the door open",
] as const;

/** "5 years", "8 months", "a few weeks": whole calendar years, else months, from the first order to today. */
export function relationshipLength(since: string, today: string): string | null {
  const from = isoDayNumber(since);
  const to = isoDayNumber(today);
  if (from === null || to === null || to < from) return null;
  const [fy, fm, fd] = since.split("-").map(Number) as [number, number, number];
  const [ty, tm, td] = today.split("-").map(Number) as [number, number, number];
  const months = (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0);
  const years = Math.floor(months / 12);
  if (years >= 1) return `${years} year${years === 1 ? "" : "s"}`;
  if (months >= 1) return `${months} month${months === 1 ? "" : "s"}`;
  return "a few weeks";
}

const quoted = (text: string): string => `“${text.replace(/\s+/g, " ").trim()}”`;

function reasonQuestion(reason: ExitBriefFacts["reason"]): string {
  if (reason.deepReason)
    return `Check the deep reason recorded so far (${quoted(reason.deepReason)}): is that really what decided it?`;
  if (reason.surfaceReason)
    return `They gave ${quoted(reason.surfaceReason)} as the reason: ask what lies behind it. What would have had to be different?`;
  const recorded = reason.reason
    ? ` (recorded so far: ${churnReasonLabel[reason.reason].toLowerCase()})`
    : "";
  return `Ask why they are leaving${recorded}, and dig past the first answer for the deep reason.`;
}

const retentionQuestion: Record<CardRisk["verdict"], string | null> = {
  fight_hard:
    "Make one real attempt to keep them (their future profit alone is worth the retention cost): what would it take for them to stay?",
  retain:
    "Ask what it would take for them to stay, and offer only what their indirect or long-term value justifies.",
  let_go: null,
  blacklist_candidate: null,
};

function paymentQuestion(receivables: readonly ReceivableTotals[]): string {
  if (receivables.length === 0) return "Confirm that nothing is left to pay on either side.";
  const parts = receivables.map((r) => {
    const open = `${formatMoney(r.outstanding, r.currency)} open (${r.invoices} invoice${r.invoices === 1 ? "" : "s"})`;
    return r.overdueInvoices > 0
      ? `${open}, of which ${formatMoney(r.overdue, r.currency)} overdue for up to ${r.maxDaysOverdue} days`
      : open;
  });
  return `Agree when and how the receivables will be paid: ${parts.join("; ")}.`;
}

/** The talking points without AI: the §5 questions, fitted to what is known about this customer. */
export function templateTalkingPoints(facts: ExitBriefFacts): TalkingPoints {
  const length = facts.customerSince ? relationshipLength(facts.customerSince, facts.today) : null;
  const { reason, risk } = facts;
  const questions: string[] = [reasonQuestion(reason)];
  if (reason.competitorWon)
    questions.push(`Ask what ${quoted(reason.competitorWon)} offers them that we did not.`);
  const retention = risk ? retentionQuestion[risk.verdict] : "Ask whether anything would change their mind.";
  if (retention) questions.push(retention);
  if (facts.openComplaintCount > 0) {
    const count = facts.openComplaintCount;
    questions.push(
      `Go through ${count === 1 ? "the open complaint" : `the ${count} open complaints`}: say what is being done, and ask whether fixing ${count === 1 ? "it" : "them"} would change anything.`,
    );
  }
  questions.push(
    "Ask for their advice: if they could change one thing about working with us, what would it be?",
    paymentQuestion(facts.receivables),
    "Settle leftover inventory: their stock of our goods, reasonable returns, open orders.",
    "Check the contract for claims or compensation on either side (notice period, minimum volumes) and agree them.",
    reason.expectedEndOn
      ? `Agree a transition plan up to ${reason.expectedEndOn}: last orders and deliveries, open orders, who to contact.`
      : "Agree a transition plan: the end date, last orders and deliveries, open orders, who to contact.",
    "Agree a written termination memo of everything settled.",
  );

  const watchOuts: string[] = [];
  if (facts.receivables.some((r) => r.overdueInvoices > 0))
    watchOuts.push(
      "Invoices are overdue: settle them before agreeing anything else, and deliver nothing more on credit.",
    );
  if (facts.openComplaints.some((c) => c.age.overdueDays > 0))
    watchOuts.push("Complaints are past their response target: acknowledge that first, don't defend it.");
  if (facts.loyalty.reads[0] === "disloyal")
    watchOuts.push("Their latest loyalty read was disloyal: listen more than you talk.");
  if (risk?.verdict === "let_go")
    watchOuts.push("Keeping them is not worth what it costs: don't buy them back with discounts.");
  if (risk?.verdict === "blacklist_candidate")
    watchOuts.push("Blacklist candidate: offer nothing to keep them; a manager confirms the blacklisting.");
  if (reason.competitorWon) watchOuts.push(`Don't run down ${quoted(reason.competitorWon)}.`);
  watchOuts.push("Don't argue with their reasons: listen and write them down.");

  return {
    opening: `Thank them for ${length ? `${length} of working together` : "working with us"}; say that you respect the decision and want to understand it, and to part well.`,
    questions,
    watchOuts,
    leaveDoorOpen:
      "Thank them, ask them to keep the news between us for now, say they are welcome back any time, and agree when to check in again.",
  };
}

// ---- the AI draft ----------------------------------------------------------------------------

/** What the AI returns (strict structured output: every field required). */
export const ZTalkingPointsDraft = z.object({
  opening: z.string(),
  questions: z.array(z.string()),
  watchOuts: z.array(z.string()),
  leaveDoorOpen: z.string(),
});

const MAX_QUESTIONS = 12;
const MAX_WATCH_OUTS = 6;
const MAX_POINT_CHARS = 500;

const clean = (text: string): string =>
  Array.from(text.replace(/\s+/g, " ").trim()).slice(0, MAX_POINT_CHARS).join("");

/**
 * An AI draft fit to show: trimmed, capped in count and length; null when it lacks an opening, a
 * question or a parting line (then the template is used instead).
 */
export function usableTalkingPoints(draft: z.infer<typeof ZTalkingPointsDraft>): TalkingPoints | null {
  const list = (items: readonly string[], max: number) => items.map(clean).filter(Boolean).slice(0, max);
  const points = {
    opening: clean(draft.opening),
    questions: list(draft.questions, MAX_QUESTIONS),
    watchOuts: list(draft.watchOuts, MAX_WATCH_OUTS),
    leaveDoorOpen: clean(draft.leaveDoorOpen),
  };
  return points.opening && points.leaveDoorOpen && points.questions.length > 0 ? points : null;
}

export const BRIEF_AI_TASK = "exit_brief_talking_points";

export const briefInstructions = [
  "You help a B2B sales rep prepare the last conversation with a customer who has decided to leave.",
  "From the facts given, draft talking points for the rep:",
  "`opening`: one or two sentences to open the conversation;",
  "`questions`: 5 to 10 questions covering the reasons for leaving (the surface and the deep reason), their suggestions for us,",
  "leftovers (payments and inventory), claims or compensation the contract allows, a transition plan and a written termination memo;",
  "`watchOuts`: up to 5 things to be careful about in this conversation;",
  "`leaveDoorOpen`: how to part on good terms and leave the door open.",
  "Make a real attempt to keep them only when the verdict says they are worth it.",
  "Use only the facts given; never invent figures, names or promises. Plain sentences, no markdown.",
].join(" ");

// Amounts as formatMoney and people write them: "$1,234.50", "CA$12", "-€3", "CHF 1,234.50", "5,000 EUR".
const SYMBOL_AMOUNT = /(?:[A-Z]{1,2})?[$€£¥₩₹₽₺₪฿₫₴₦₱]\s?[-−]?\d[\d,.]*/g;
const CODE_AMOUNT = /\b([A-Z]{3})\s?[-−]?\d[\d,.]*|[-−]?\d[\d,.]*\s?([A-Z]{3})\b/g;
let currencyCodes: Set<string> | undefined;

/** Free text with every money amount replaced by "[amount]", for prompts that must not share money. */
export function withoutMoneyFigures(text: string): string {
  currencyCodes ??= new Set(Intl.supportedValuesOf("currency"));
  const codes = currencyCodes;
  return text
    .replace(SYMBOL_AMOUNT, "[amount]")
    .replace(CODE_AMOUNT, (match, before?: string, after?: string) =>
      codes.has(before ?? after ?? "") ? "[amount]" : match,
    );
}

const pct = (value: number | null): string => (value === null ? "n/a" : `${value.toFixed(1)}%`);

function yearLine(year: BriefYear, shareMoney: boolean): string {
  const { current, previous } = year;
  const parts = [
    `${current.orderCount} orders (previous 12 months: ${previous.orderCount}, ${formatPercentChange(current.orderCount, previous.orderCount)})`,
  ];
  if (shareMoney) {
    const money = (minor: bigint) => formatMoney(minor, year.currency);
    parts.push(
      `order value ${money(current.amount)} (previous ${money(previous.amount)}, ${formatPercentChange(current.amount, previous.amount)})`,
    );
    if (current.profit !== null && previous.profit !== null)
      parts.push(
        `profit ${money(current.profit)} (previous ${money(previous.profit)}, ${formatPercentChange(current.profit, previous.profit)}), margin ${pct(current.marginPct)} (previous ${pct(previous.marginPct)})`,
      );
  }
  return `Last 12 months (${year.fromDay} to ${year.toDay}): ${parts.join("; ")}`;
}

function receivablesLine(receivables: readonly ReceivableTotals[], shareMoney: boolean): string {
  if (receivables.length === 0) return "Receivables: no open invoices.";
  const parts = receivables.map((r) => {
    const overdue =
      r.overdueInvoices === 0
        ? "none overdue"
        : `${r.overdueInvoices} overdue${shareMoney ? ` (${formatMoney(r.overdue, r.currency)})` : ""}, the oldest ${r.maxDaysOverdue} days`;
    return `${r.invoices} open invoices${shareMoney ? ` totalling ${formatMoney(r.outstanding, r.currency)}` : ""}, ${overdue}`;
  });
  return `Receivables: ${parts.join("; ")}.`;
}

/**
 * The facts as the AI gets them: what the talking points need, no contact details or Slack ids.
 * Without `shareMoney`, no money figure is sent: order values, profit and receivable amounts are left
 * out and amounts inside free text are masked.
 */
export function briefPromptInput(facts: ExitBriefFacts, options: { shareMoney: boolean }): string {
  const { shareMoney } = options;
  const free = (text: string) => {
    const line = text.replace(/\s+/g, " ").trim();
    return shareMoney ? line : withoutMoneyFigures(line);
  };
  const lines: string[] = [];
  const where = [
    facts.account.segment && `segment ${facts.account.segment}`,
    facts.account.region && `region ${facts.account.region}`,
  ]
    .filter(Boolean)
    .join(", ");
  lines.push(`Customer: ${free(facts.account.name)}${where ? ` (${free(where)})` : ""}`);
  lines.push(`Today: ${facts.today}`);
  if (!shareMoney) lines.push("Money figures are withheld.");
  const length = facts.customerSince ? relationshipLength(facts.customerSince, facts.today) : null;
  lines.push(
    facts.customerSince
      ? `Customer since: ${facts.customerSince}${length ? ` (${length})` : ""}`
      : "Customer since: no orders on record",
  );
  if (facts.lastOrderDay)
    lines.push(
      `Last order: ${facts.lastOrderDay}${facts.typicalGapDays === null ? "" : `; usual gap between orders ${Math.round(facts.typicalGapDays)} days`}`,
    );
  if (facts.year) lines.push(yearLine(facts.year, shareMoney));
  if (facts.months.length > 0)
    lines.push(`Orders per month, oldest first: ${facts.months.map((m) => m.orderCount).join(", ")}`);
  if (facts.contacts.length > 0)
    lines.push(
      `Their contacts' roles: ${[...new Set(facts.contacts.map((c) => contactRoleLabel[c.role]))].join(", ")}`,
    );
  if (facts.loyalty.reads.length > 0)
    lines.push(
      `Loyalty reads, newest first: ${facts.loyalty.reads.map((read) => loyaltyLabel[read]).join(", ")}${facts.loyalty.direction ? ` (${facts.loyalty.direction})` : ""}`,
    );
  for (const entry of facts.feedback) {
    const said = [
      entry.praised && `praised: ${free(entry.praised)}`,
      entry.complained && `complained: ${free(entry.complained)}`,
    ].filter(Boolean);
    lines.push(`Feedback ${entry.occurredOn}: ${said.join("; ")}`);
  }
  for (const interaction of facts.interactions)
    lines.push(
      `Interaction ${interaction.occurredOn} (${interactionKindLabel[interaction.kind]}): ${free(interaction.summary)}`,
    );
  lines.push(`Open complaints: ${facts.openComplaintCount}`);
  for (const complaint of facts.openComplaints)
    lines.push(
      `Complaint (${severityLabel[complaint.severity]}, ${categoryLabel[complaint.category]}, ${complaintStatusLabel[complaint.status]}, ${complaint.age.ageDays} days old${complaint.age.overdueDays > 0 ? `, ${complaint.age.overdueDays} days past its target` : ""}): ${free(complaint.description)}`,
    );
  lines.push(receivablesLine(facts.receivables, shareMoney));
  if (facts.risk) {
    const { risk } = facts;
    lines.push(`Latest risk assessment (${risk.asOf}): risk ${risk.risk}/100, ${risk.band}`);
    for (const reason of risk.reasons) lines.push(`Risk reason: ${free(reason.text)}`);
    lines.push(`Verdict of the three judgments: ${verdictLabel[risk.verdict]}`);
  } else {
    lines.push("Latest risk assessment: none yet");
  }
  const { reason } = facts;
  lines.push(
    `Reason for leaving recorded so far: ${reason.reason ? churnReasonLabel[reason.reason] : "not recorded"}`,
  );
  if (reason.surfaceReason) lines.push(`Surface reason: ${free(reason.surfaceReason)}`);
  if (reason.deepReason) lines.push(`Deep reason: ${free(reason.deepReason)}`);
  if (reason.competitorWon) lines.push(`Competitor that won them: ${free(reason.competitorWon)}`);
  if (reason.expectedEndOn) lines.push(`Expected end of the relationship: ${reason.expectedEndOn}`);
  return lines.join("\n");
}

// ---- the outcome -----------------------------------------------------------------------------

export const conversationOutcomes = ["retained", "leaving_confirmed"] as const;
export type ConversationOutcome = (typeof conversationOutcomes)[number];

export const conversationOutcomeLabel: Record<ConversationOutcome, string> = {
  retained: "Retained — they stay",
  leaving_confirmed: "Leaving confirmed",
};

/** Why the outcome cannot be recorded now (a closed case, task 1 already finished); null when it can. */
export function outcomeRefusal(input: {
  caseStatus: "open" | "retained" | "lost";
  task1Status: ExitTaskStatus | null;
}): string | null {
  if (input.caseStatus !== "open")
    return `This customer's exit handling is closed (${input.caseStatus}): the conversation's outcome can no longer be recorded.`;
  if (input.task1Status === "done")
    return "The last conversation's outcome is already recorded: task 1 is done.";
  if (input.task1Status === "not_needed")
    return `Task 1 is marked ${exitTaskStatusLabel.not_needed.toLowerCase()}: reopen it to record the conversation's outcome.`;
  return null;
}
