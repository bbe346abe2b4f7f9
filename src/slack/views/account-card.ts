// Block Kit for the account card (§2, §7): who, the order figures against their own baselines, open
// complaints, warning signs, loyalty and the latest interactions, contacts.
import type { types } from "@slack/bolt";

type KnownBlock = types.KnownBlock;
type Button = types.Button;

import {
  type AccountCard,
  type AccountStatus,
  CARD_COMPLAINTS,
  CARD_SIGN_DAYS,
  type CardComplaint,
  type CardContact,
  type CardFigures,
  type CardInteraction,
  type CardRecords,
  type CardRisk,
  type CardSign,
  contactRoleLabel,
} from "../../domain/account-card.ts";
import {
  categoryLabel,
  statusLabel as complaintStatusLabel,
  severityLabel,
} from "../../domain/complaints.ts";
import { interactionKindLabel } from "../../domain/interactions.ts";
import { type LoyaltyTrend, loyaltyLabel } from "../../domain/loyalty.ts";
import { formatMoney, formatPercentChange } from "../../domain/money.ts";
import { verdictLabel } from "../../domain/risk/judgments.ts";
import { signKindLabel } from "../../domain/signs.ts";
import { sparkline } from "../../domain/sparkline.ts";
import type { WindowStats } from "../../domain/trends.ts";
import { ids } from "../ids.ts";
import { blacklistButtonValue } from "./blacklist-modal.ts";
import { classBlocks } from "./classification.ts";
import { exitStartValue } from "./exit-start-modal.ts";
import { keyCareCardBlocks } from "./key-care.ts";
import {
  channelMention,
  escapeMrkdwn,
  linesWithin,
  oneLine,
  plural,
  truncate,
  userMention,
} from "./mrkdwn.ts";

export type SlackMessage = { text: string; blocks: KnownBlock[] };

export const accountStatusLabel: Record<AccountStatus, string> = {
  active: "Active",
  at_risk: "At risk",
  leaving: "Leaving",
  lost: "Lost",
  blacklisted: "Blacklisted",
};

const MAX_CONTACTS = 8;

export function monthLabel(month: string): string {
  const [year, mm] = month.split("-");
  const name = new Date(Date.UTC(Number(year), Number(mm) - 1, 1)).toLocaleString("en-US", {
    month: "short",
    timeZone: "UTC",
  });
  return `${name} ${year}`;
}

function marginText(stats: WindowStats): string {
  return stats.marginPct === null ? "–" : `${stats.marginPct.toFixed(1)}%`;
}

function pointsChange(current: WindowStats, base: WindowStats): string {
  if (current.marginPct === null || base.marginPct === null) return "–";
  const points = current.marginPct - base.marginPct;
  const rounded = Math.round(points * 10) / 10;
  if (rounded === 0) return "0 pts";
  return `${rounded > 0 ? "+" : "\u2212"}${Math.abs(rounded).toFixed(1)} pts`;
}

/** One metric: this window, then previous and year-ago values with the change against each. */
function metricLine(
  label: string,
  value: (stats: WindowStats) => string,
  change: (current: WindowStats, base: WindowStats) => string,
  figures: CardFigures,
): string {
  const { current, previous, yearAgo } = figures.comparison;
  return (
    `*${label}* ${value(current.stats)}` +
    `  ·  prev ${value(previous.stats)} (${change(current.stats, previous.stats)})` +
    `  ·  year ago ${value(yearAgo.stats)} (${change(current.stats, yearAgo.stats)})`
  );
}

function orderRhythm(card: AccountCard): string {
  if (card.lastOrderDay === null) return "*Orders* none recorded yet";
  const gaps = card.figures?.gaps;
  const parts = [`*Last order* ${card.lastOrderDay}`];
  if (gaps?.lastOrderDay === card.lastOrderDay && gaps.daysSinceLast !== null) {
    parts[0] += ` (${plural(gaps.daysSinceLast, "day")} ago)`;
  }
  if (gaps?.typicalGapDays != null) parts.push(`usual gap ${plural(Math.round(gaps.typicalGapDays), "day")}`);
  if (gaps?.overdueDays) parts.push(`*${plural(Math.round(gaps.overdueDays), "day")} overdue*`);
  return parts.join("  ·  ");
}

function figureBlocks(figures: CardFigures, marginVisible: boolean): KnownBlock[] {
  const { currency, comparison } = figures;
  const money = (minor: bigint) => formatMoney(minor, currency);
  const hasCost = [comparison.current, comparison.previous, comparison.yearAgo].some(
    (w) => w.stats.profit !== null,
  );
  const lines = [
    `*Last ${comparison.days} days* (${comparison.current.fromDay} – ${comparison.current.toDay}) against the ${comparison.days} days before and the same days a year ago`,
    metricLine(
      "Orders",
      (s) => s.orderCount.toLocaleString("en-US"),
      (c, b) => formatPercentChange(c.orderCount, b.orderCount),
      figures,
    ),
    metricLine(
      "Quantity",
      (s) => s.quantity.toLocaleString("en-US"),
      (c, b) => formatPercentChange(c.quantity, b.quantity),
      figures,
    ),
    metricLine(
      "Value",
      (s) => money(s.amount),
      (c, b) => formatPercentChange(c.amount, b.amount),
      figures,
    ),
  ];
  if (hasCost) {
    lines.push(metricLine("Margin", marginText, pointsChange, figures));
    lines.push(
      metricLine(
        "Profit",
        (s) => (s.profit === null ? "–" : money(s.profit)),
        (c, b) => (c.profit === null || b.profit === null ? "–" : formatPercentChange(c.profit, b.profit)),
        figures,
      ),
    );
  }
  const first = figures.months[0];
  const last = figures.months[figures.months.length - 1];
  const peak = figures.months.reduce(
    (best, m) => (m.amount > best.amount ? m : best),
    figures.months[0] ?? { month: "", amount: 0n, orderCount: 0 },
  );
  const trend =
    first && last
      ? `*12-month order value*  \`${sparkline(figures.months.map((m) => m.amount))}\`  ${monthLabel(first.month)} – ${monthLabel(last.month)}` +
        (peak.amount > 0n ? `  ·  peak ${money(peak.amount)} in ${monthLabel(peak.month)}` : "")
      : "";
  const notes = [`Money in ${currency}`];
  if (!marginVisible) notes.push("margin and profit are shown to managers");
  const coverage = comparison.current.stats.costCoverage;
  if (hasCost && coverage !== null && coverage < 0.995) {
    notes.push(
      `margin and profit from orders with known cost (${Math.round(coverage * 100)}% of value in the last ${comparison.days} days)`,
    );
  }
  if (figures.otherCurrencyOrders > 0) {
    notes.push(`${plural(figures.otherCurrencyOrders, "order")} in other currencies not included`);
  }
  return [
    { type: "section", text: { type: "mrkdwn", text: lines.join("\n") } },
    ...(trend ? [{ type: "section", text: { type: "mrkdwn", text: trend } } as KnownBlock] : []),
    { type: "context", elements: [{ type: "mrkdwn", text: notes.join("  ·  ") }] },
  ];
}

function contactLine(contact: CardContact): string {
  const details = [contactRoleLabel[contact.role], contact.email, contact.phone]
    .filter(Boolean)
    .map((d) => escapeMrkdwn(String(d)));
  return `• *${escapeMrkdwn(truncate(contact.name, 80))}* — ${details.join(" · ")}`;
}

/** A mention only for something shaped like a Slack user id; anything else is not ours to render. */
function mention(slackUserId: string): string | null {
  return /^[UW][A-Z0-9]{2,20}$/.test(slackUserId) ? `<@${slackUserId}>` : null;
}

/** "a, b, c +2": at most `max` items. */
function someOf(items: readonly string[], max: number): string {
  const shown = items.slice(0, max).join(", ");
  return items.length > max ? `${shown} +${items.length - max}` : shown;
}

export function interactionLine(interaction: CardInteraction): string {
  const ours = interaction.ourParticipants.flatMap((id) => mention(id) ?? []);
  const theirs = interaction.contactNames.map((name) => escapeMrkdwn(oneLine(name, 40)));
  const who = [ours.length > 0 ? someOf(ours, 5) : "", theirs.length > 0 ? `with ${someOf(theirs, 3)}` : ""]
    .filter(Boolean)
    .join(" ");
  const summary = escapeMrkdwn(oneLine(interaction.summary, 150));
  return (
    [
      `• ${interaction.occurredOn}`,
      `*${interactionKindLabel[interaction.kind]}*`,
      ...(who ? [who] : []),
    ].join(" · ") + (summary ? ` — ${summary}` : "")
  );
}

/** "Average ← Loyal ← Loyal (worsening)": newest first, as read. */
export function loyaltyText(loyalty: LoyaltyTrend): string {
  const reads = loyalty.reads.map((read) => loyaltyLabel[read]).join(" ← ");
  return loyalty.direction ? `${reads} (${loyalty.direction})` : reads;
}

/** Age since raised (or reopened) and the overdue mark against its response target. */
export function complaintTiming(complaint: Pick<CardComplaint, "age" | "reopened" | "status">): string {
  const { ageDays, targetDays, overdueDays } = complaint.age;
  const age = `${plural(ageDays, "day")} ${complaint.reopened ? "since reopened" : "old"}`;
  if (overdueDays > 0)
    return `${age} · :warning: *${plural(overdueDays, "day")} overdue* (target ${plural(targetDays, "day")})`;
  if (complaint.status === "resolved") return age;
  return `${age} · target ${plural(targetDays, "day")}`;
}

export function complaintLine(complaint: CardComplaint): string {
  const owner = mention(complaint.ownerSlackId);
  return (
    `• *${severityLabel[complaint.severity]}* · ${categoryLabel[complaint.category]} · ${complaintStatusLabel[complaint.status]}` +
    ` · ${complaintTiming(complaint)}` +
    (owner ? ` · ${owner}` : "") +
    `\n      ${escapeMrkdwn(oneLine(complaint.description, 120))}`
  );
}

export function signLine(sign: CardSign): string {
  const competitor = sign.competitorName ? ` · ${escapeMrkdwn(oneLine(sign.competitorName, 60))}` : "";
  const details = escapeMrkdwn(oneLine(sign.details, 150));
  return `• ${sign.observedOn} · *${signKindLabel[sign.kind]}*${competitor}${details ? ` — ${details}` : ""}`;
}

function section(text: string): KnownBlock {
  return { type: "section", text: { type: "mrkdwn", text } };
}

/** Only the records there are: no section for what was never recorded. */
function recordBlocks(records: CardRecords): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  const { openComplaints, openComplaintCount, signs, signCount, loyalty, interactions } = records;
  if (openComplaints.length > 0) {
    blocks.push(
      section(
        linesWithin(
          `*Open complaints* (${openComplaintCount.toLocaleString("en-US")})`,
          openComplaints.slice(0, CARD_COMPLAINTS).map(complaintLine),
          Math.max(0, openComplaintCount - Math.min(openComplaints.length, CARD_COMPLAINTS)),
          (n) => `…and ${plural(n, "more open complaint")}`,
        ),
      ),
    );
  }
  if (signs.length > 0) {
    blocks.push(
      section(
        linesWithin(
          `*Warning signs, last ${CARD_SIGN_DAYS} days* (${signCount.toLocaleString("en-US")})`,
          signs.map(signLine),
          Math.max(0, signCount - signs.length),
          (n) => `…and ${plural(n, "more sign")}`,
        ),
      ),
    );
  }
  if (loyalty.reads.length > 0 || interactions.length > 0) {
    const heading = [
      ...(loyalty.reads.length > 0 ? [`*Loyalty* ${loyaltyText(loyalty)}`] : []),
      ...(interactions.length > 0 ? ["*Latest interactions*"] : []),
    ].join("\n");
    blocks.push(
      section(
        linesWithin(
          heading,
          interactions.map(interactionLine),
          0,
          (n) => `…and ${plural(n, "more interaction")}`,
        ),
      ),
    );
  }
  return blocks.length > 0 ? [{ type: "divider" }, ...blocks] : [];
}

export type CardOptions = {
  /** Ephemeral copy for the requester: offer to share it. */
  shareable: boolean;
  /** Shown on a shared copy. */
  sharedBy?: string;
};

const bandLabel: Record<CardRisk["band"], string> = {
  low: "Low",
  medium: "Medium",
  high: "High",
  critical: "Critical",
};

function blacklistButtons(card: AccountCard): Button[] {
  const { account } = card;
  const button = (text: string, blacklisted: boolean): Button => ({
    type: "button",
    action_id: ids.action.blacklist,
    text: { type: "plain_text", text },
    value: blacklistButtonValue({ accountId: account.id, blacklisted }),
  });
  if (account.status === "blacklisted") return [button("Take off blacklist", false)];
  const candidate = card.risk?.verdict === "blacklist_candidate";
  return candidate && (account.status === "active" || account.status === "at_risk")
    ? [button("Blacklist…", true)]
    : [];
}

/** §4: score, band, trend against the scan before, the reasons with their numbers, the verdict. */
export function riskBlocks(risk: CardRisk): KnownBlock[] {
  const trend = risk.previous
    ? risk.risk > risk.previous.risk
      ? ` ↑ from ${risk.previous.risk} on ${risk.previous.asOf}`
      : risk.risk < risk.previous.risk
        ? ` ↓ from ${risk.previous.risk} on ${risk.previous.asOf}`
        : ` (unchanged since ${risk.previous.asOf})`
    : "";
  const model =
    risk.pAlive !== null && risk.expectedOrders13w !== null
      ? `  ·  purchase model: ${Math.round(risk.pAlive * 100)}% likely active, ${risk.expectedOrders13w.toFixed(1)} orders expected in 13 weeks`
      : "";
  const lines = [
    `*Churn risk ${risk.risk}/100 · ${bandLabel[risk.band]}*${trend}`,
    ...risk.reasons.map((reason) => `• ${escapeMrkdwn(oneLine(reason.text, 300))}`),
    `_${verdictLabel[risk.verdict]}_`,
  ];
  return [
    { type: "section", text: { type: "mrkdwn", text: truncate(lines.join("\n"), 3000) } },
    { type: "context", elements: [{ type: "mrkdwn", text: `Scanned ${risk.asOf}${model}` }] },
  ];
}

export function buildAccountCard(card: AccountCard, options: CardOptions): SlackMessage {
  const { account } = card;
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: truncate(account.name, 150), emoji: false } },
    {
      type: "section",
      fields: [
        { type: "mrkdwn", text: `*Owner*\n${userMention(account.ownerSlackId)}` },
        { type: "mrkdwn", text: `*Channel*\n${channelMention(account.channelId)}` },
        { type: "mrkdwn", text: `*Status*\n${accountStatusLabel[account.status]}` },
        {
          type: "mrkdwn",
          text: `*Segment · Region*\n${escapeMrkdwn(truncate(account.segment ?? "–", 80))} · ${escapeMrkdwn(truncate(account.region ?? "–", 80))}`,
        },
      ],
    },
    {
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: truncate(
            `ERP id ${escapeMrkdwn(account.externalId)}` +
              (account.aliases.length > 0
                ? `  ·  also known as ${account.aliases.map(escapeMrkdwn).join(", ")}`
                : ""),
            2000,
          ),
        },
      ],
    },
    ...(card.risk ? riskBlocks(card.risk) : []),
    ...(card.classification ? classBlocks(card.classification, card.marginVisible) : []),
    ...(card.keyCare ? keyCareCardBlocks(card.keyCare) : []),
    { type: "divider" },
    { type: "section", text: { type: "mrkdwn", text: orderRhythm(card) } },
    ...(card.figures ? figureBlocks(card.figures, card.marginVisible) : []),
    ...recordBlocks(card.records),
  ];
  if (card.contacts.length > 0) {
    const shown = card.contacts.slice(0, MAX_CONTACTS).map(contactLine);
    blocks.push(
      { type: "divider" },
      section(
        linesWithin(
          "*Contacts*",
          shown,
          card.contacts.length - shown.length,
          (n) => `…and ${n.toLocaleString("en-US")} more`,
        ),
      ),
    );
  }
  const recordButton = (actionId: string, text: string) => ({
    type: "button" as const,
    action_id: actionId,
    text: { type: "plain_text" as const, text },
    value: account.id,
  });
  blocks.push({
    type: "actions",
    elements: [
      recordButton(ids.action.logInteraction, "Log interaction"),
      recordButton(ids.action.newComplaint, "Complaint"),
      recordButton(ids.action.recordSign, "Record a sign"),
      recordButton(ids.action.classify, "Classification"),
      ...(options.shareable ? [recordButton(ids.action.shareCard, "Share in channel")] : []),
      // §5: once the customer has decided to leave; not again while leaving, nor once lost.
      ...(account.status === "leaving" || account.status === "lost"
        ? []
        : [
            {
              ...recordButton(ids.action.exitStart, "Start exit handling"),
              value: exitStartValue(account.id),
            },
          ]),
      // History is kept: a lost customer who buys again is won back, not created anew.
      ...(account.status === "lost" ? [recordButton(ids.action.winBack, "Won back")] : []),
      // §2.4: a manager confirms a blacklist candidate, or takes a blacklisted account back.
      ...blacklistButtons(card),
    ],
  });
  if (options.sharedBy) {
    blocks.push({
      type: "context",
      elements: [{ type: "mrkdwn", text: `Shared by <@${options.sharedBy}>` }],
    });
  }
  return { text: `Account card: ${account.name}`, blocks };
}
