// Block Kit for /customer report: the churn rate next to the previous period, by month, owner and
// segment, why the lost customers left and what it cost, loyalty now and the key accounts at risk.
import type { types } from "@slack/bolt";
import {
  type ChurnRate,
  type ChurnReport,
  controlSentence,
  type DayRange,
  formatShare,
  type KeyAccountRisk,
  loyaltyLine,
  moneyLine,
  type PeriodFigures,
  rateBrief,
  rateSentence,
  reasonLabel,
} from "../../domain/churn-report.ts";
import { isWithinControl } from "../../domain/exit.ts";
import type { SlackMessage } from "./account-card.ts";
import { bandEmoji, bandLabel } from "./churn-warning.ts";
import { escapeMrkdwn, linesWithin, oneLine, plural, truncate, userMention } from "./mrkdwn.ts";

type KnownBlock = types.KnownBlock;

/** Key accounts shown one block each; the rest are counted. */
export const REPORT_KEY_ACCOUNTS_MAX = 10;

const more = (n: number) => `…and ${n} more`;

function section(text: string): KnownBlock {
  return { type: "section", text: { type: "mrkdwn", text } };
}

function monthLabel(month: string): string {
  const date = new Date(`${month}-01T00:00:00Z`);
  return date.toLocaleString("en-US", { month: "short", year: "numeric", timeZone: "UTC" });
}

function rateField(figures: PeriodFigures): types.MrkdwnElement {
  const { period } = figures;
  return {
    type: "mrkdwn",
    text: `*${escapeMrkdwn(period.label)}* (${period.from} – ${period.to})\n${rateSentence(figures.churn, period)}`,
  };
}

type Group = { key: string | null; churn: ChurnRate };

/** One line a group; with the previous period, that group's figure there too. */
function groupLines(
  groups: readonly Group[],
  previous: readonly Group[] | null,
  label: (key: string | null) => string,
  current: DayRange,
  before: PeriodFigures | null,
): string[] {
  return groups.map((group) => {
    const then = previous?.find((other) => other.key === group.key);
    const comparison =
      before && then
        ? ` · ${escapeMrkdwn(before.period.label)}: ${rateBrief(then.churn, before.period)}`
        : "";
    return `• ${label(group.key)}: ${rateBrief(group.churn, current)}${comparison}`;
  });
}

const ownerGroups = (figures: PeriodFigures): Group[] =>
  figures.byOwner.map(({ ownerSlackId, churn }) => ({ key: ownerSlackId, churn }));
const segmentGroups = (figures: PeriodFigures): Group[] =>
  figures.bySegment.map(({ segment, churn }) => ({ key: segment, churn }));

function breakdownBlocks(current: PeriodFigures, previous: PeriodFigures | null): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  const months = current.byMonth.filter((month) => month.churn.customersAtStart > 0);
  if (current.byMonth.length > 1 && months.length > 0) {
    const lines = months.map((month) => `• ${monthLabel(month.month)}: ${rateBrief(month.churn, month)}`);
    blocks.push(section(linesWithin("*By month*", lines, 0, more)));
  }
  const breakdowns = [
    ["*By owner*", ownerGroups, (key: string | null) => userMention(key)],
    [
      "*By segment*",
      segmentGroups,
      (key: string | null) => (key === null ? "no segment" : escapeMrkdwn(oneLine(key, 100))),
    ],
  ] as const;
  for (const [heading, groupsOf, label] of breakdowns) {
    const groups = groupsOf(current);
    if (groups.length === 0) continue;
    const lines = groupLines(groups, previous ? groupsOf(previous) : null, label, current.period, previous);
    blocks.push(section(linesWithin(heading, lines, 0, more)));
  }
  return blocks;
}

function reasonBlocks(current: PeriodFigures, previous: PeriodFigures | null): KnownBlock[] {
  const { reasons, moneyLost } = current;
  if (reasons.lostAccounts === 0) return [];
  const lines = reasons.mix.map(({ reason, accounts }) => {
    const control =
      reason === null ? "" : isWithinControl(reason) ? " · within our control" : " · beyond our control";
    return `• ${reasonLabel(reason)}: ${accounts} (${formatShare(accounts / reasons.lostAccounts)})${control}`;
  });
  const control = controlSentence(reasons);
  const before = previous ? controlSentence(previous.reasons) : null;
  const footer = [
    control,
    previous && before ? `${escapeMrkdwn(previous.period.label)}: ${before}` : null,
  ].filter((line) => line !== null);
  const blocks: KnownBlock[] = [
    section(
      linesWithin(
        `*Why they left* (${plural(reasons.lostAccounts, "lost customer")})`,
        [...lines, ...footer],
        0,
        more,
      ),
    ),
  ];
  if (moneyLost.byCurrency.length > 0) {
    const money = moneyLost.byCurrency.map((loss) => `• ${moneyLine(loss)}`);
    const coverage = `Amounts recorded for ${moneyLost.withAmounts} of ${plural(moneyLost.lostAccounts, "lost customer")}; currencies are never added up.`;
    blocks.push(section(linesWithin("*Money lost* (§5 task 4)", [...money, coverage], 0, more)));
  }
  return blocks;
}

function keyAccountBlock(account: KeyAccountRisk): KnownBlock {
  const heading = `${bandEmoji[account.band]} *${escapeMrkdwn(oneLine(account.name, 150))}* (${escapeMrkdwn(oneLine(account.externalId, 60))}) · ${bandLabel[account.band]} ${account.risk}/100 · ${userMention(account.ownerSlackId)} · scanned ${account.asOf}`;
  const reasons = account.reasons.map((reason) => `• ${escapeMrkdwn(oneLine(reason.text, 300))}`);
  return section(linesWithin(heading, reasons, 0, more));
}

function currentCustomerBlocks(report: ChurnReport): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  const { loyalty, keyAccounts } = report;
  if (loyalty.customers > 0) {
    const heading = `*Loyalty of the ${plural(loyalty.customers, "current customer")}*`;
    blocks.push(
      section(
        loyalty.noRead === loyalty.customers
          ? `${heading}\nNone has a loyalty read yet: record one with \`/customer log\` after a visit or call.`
          : `${heading} (latest read each)\n${loyaltyLine(loyalty)}`,
      ),
    );
  }
  // Without key accounts or any scan of them there is nothing true to say about their risk.
  if (keyAccounts.keyAccounts === 0 || keyAccounts.assessed === 0) return blocks;
  const cut = `the fewest making ${keyAccounts.sharePercent}% of revenue ${keyAccounts.revenueFrom} – ${keyAccounts.revenueTo}`;
  if (keyAccounts.atRisk.length === 0) {
    blocks.push(
      section(
        `*Key accounts at risk now*\nNone of the ${plural(keyAccounts.keyAccounts, "key account")} (${cut}) is at high or critical risk in its latest scan.`,
      ),
    );
    return blocks;
  }
  blocks.push(
    section(
      `*Key accounts at risk now*: ${keyAccounts.atRisk.length} of ${plural(keyAccounts.keyAccounts, "key account")} (${cut}) at high or critical risk`,
    ),
  );
  const shown = keyAccounts.atRisk.slice(0, REPORT_KEY_ACCOUNTS_MAX);
  blocks.push(...shown.map(keyAccountBlock));
  const hidden = keyAccounts.atRisk.length - shown.length;
  if (hidden > 0) {
    blocks.push({
      type: "context",
      elements: [{ type: "mrkdwn", text: `${more(hidden)}: \`churnwatch report --json\` lists them all.` }],
    });
  }
  return blocks;
}

export function buildChurnReport(report: ChurnReport): SlackMessage {
  const { current, previous } = report;
  const rates: KnownBlock = {
    type: "section",
    fields: previous ? [rateField(current), rateField(previous)] : [rateField(current)],
  };
  const periodFigures = [...breakdownBlocks(current, previous), ...reasonBlocks(current, previous)];
  const now = currentCustomerBlocks(report);
  const blocks: KnownBlock[] = [
    {
      type: "header",
      text: {
        type: "plain_text",
        text: truncate(`Churn report: ${current.period.label}`, 150),
        emoji: false,
      },
    },
    rates,
    {
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: `Churn rate = customers lost in the period ÷ customers at its start; annualised for comparison with the 5–10% a year of top-tier companies (§1). Days in ${escapeMrkdwn(report.timeZone)}.`,
        },
      ],
    },
    ...periodFigures,
    ...(now.length > 0 ? [{ type: "divider" } as KnownBlock, ...now] : []),
  ];
  return {
    text: `Churn report, ${current.period.label}: ${rateSentence(current.churn, current.period)}`,
    blocks,
  };
}

/** `/customer report week`: what the period word may be, and how to find a customer called "Report…". */
export function buildUnknownPeriod(command: string, word: string): SlackMessage {
  const shown = escapeMrkdwn(oneLine(word, 100));
  const text = [
    `*${command} report* takes month, quarter or year (the default), not “${shown}”.`,
    "Each is the period to date, shown next to the previous complete one.",
    `Looking for a customer whose name starts with “report”? Use its ERP id or another word of its name.`,
  ].join("\n");
  return { text: `${command} report takes month, quarter or year`, blocks: [section(text)] };
}
