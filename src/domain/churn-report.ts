// §1 and §8 questions 1–3 from plain rows: the churn rate of a period (by month, owner and segment)
// against the top-tier range, why the lost customers left and what it cost, how loyal the current
// customers are, and which key accounts are at risk. Days are "YYYY-MM-DD" in the team's time zone.
import type { AccountStatus } from "./account-card.ts";
import {
  type ChurnReason,
  churnReasonLabel,
  churnReasons,
  type ExitLosses,
  isWithinControl,
  lossTotals,
} from "./exit.ts";
import { addDays } from "./home.ts";
import { type LoyaltyRead, loyaltyLabel, loyaltyReads } from "./loyalty.ts";
import { formatMoney } from "./money.ts";
import { dayNumber } from "./risk/days.ts";
import type { Band } from "./risk/score.ts";
import { isoDayNumber } from "./trends.ts";

// ---- periods ------------------------------------------------------------------------------

export const reportPeriodKinds = ["month", "quarter", "year"] as const;
export type ReportPeriodKind = (typeof reportPeriodKinds)[number];

/** Calendar days, both included. */
export type DayRange = { readonly from: string; readonly to: string };
export type ReportPeriod = DayRange & { readonly label: string };

const MS_PER_DAY = 86_400_000;

function isoDate(year: number, month: number, day: number): string {
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
}

function yearMonth(isoDay: string): { year: number; month: number } {
  return { year: Number(isoDay.slice(0, 4)), month: Number(isoDay.slice(5, 7)) };
}

/** A real calendar date written YYYY-MM-DD. */
export function isIsoDay(text: string): boolean {
  return isoDayNumber(text) !== null;
}

/** Calendar days in the range, both ends included. */
export function rangeDays(range: DayRange): number {
  return dayNumber(range.to) - dayNumber(range.from) + 1;
}

/** The range is one calendar year exactly (1 Mar – 28 Feb counts; 29 Feb starts end on 28 Feb). */
export function isWholeYear(range: DayRange): boolean {
  const { year, month } = yearMonth(range.from);
  const day = Number(range.from.slice(8, 10));
  // Date.UTC rolls 29 February over into 1 March of the next year: the year then ends on 28 February.
  return dayNumber(range.to) + 1 === Date.UTC(year + 1, month - 1, day) / MS_PER_DAY;
}

const monthsOf: Record<ReportPeriodKind, number> = { month: 1, quarter: 3, year: 12 };

function monthName(year: number, month: number): string {
  return new Date(Date.UTC(year, month - 1, 1)).toLocaleString("en-US", { month: "long", timeZone: "UTC" });
}

function periodName(kind: ReportPeriodKind, year: number, firstMonth: number): string {
  if (kind === "month") return `${monthName(year, firstMonth)} ${year}`;
  if (kind === "quarter") return `Q${(firstMonth - 1) / 3 + 1} ${year}`;
  return String(year);
}

/** Month index (year × 12 + month − 1) of the first month of the period of `kind` holding `isoDay`. */
function periodStartIndex(kind: ReportPeriodKind, isoDay: string): number {
  const { year, month } = yearMonth(isoDay);
  const size = monthsOf[kind];
  return year * 12 + Math.floor((month - 1) / size) * size;
}

function periodFrom(index: number): { year: number; month: number; from: string } {
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return { year, month, from: isoDate(year, month, 1) };
}

/** The current month, quarter or year up to and including `today`. */
export function periodToDate(kind: ReportPeriodKind, today: string): ReportPeriod {
  const { year, month, from } = periodFrom(periodStartIndex(kind, today));
  return { from, to: today, label: `${periodName(kind, year, month)} to date` };
}

/** The complete month, quarter or year before the one holding `today`. */
export function previousPeriod(kind: ReportPeriodKind, today: string): ReportPeriod {
  const current = periodStartIndex(kind, today);
  const { year, month, from } = periodFrom(current - monthsOf[kind]);
  return { from, to: addDays(periodFrom(current).from, -1), label: periodName(kind, year, month) };
}

/** `report`, `report quarter`: the period word of /customer report (year when none); null when unknown. */
export function parsePeriodKind(word: string): ReportPeriodKind | null {
  const normalized = word.trim().toLowerCase();
  if (normalized === "") return "year";
  return reportPeriodKinds.find((kind) => kind === normalized) ?? null;
}

/** A chosen range of days (the CLI): from 1 January of `to`'s year and up to `today` unless given. */
export function customPeriod(from: string | undefined, to: string | undefined, today: string): ReportPeriod {
  const end = to ?? today;
  const start = from ?? isoDate(yearMonth(end).year, 1, 1);
  return { from: start, to: end, label: `${start} – ${end}` };
}

/** Why a chosen range cannot be reported on, or null when it can. */
export function rangeProblem(range: DayRange): string | null {
  for (const day of [range.from, range.to]) {
    if (!isIsoDay(day)) return `"${day}" is not a calendar date YYYY-MM-DD.`;
  }
  return range.from > range.to ? `The range starts on ${range.from}, after it ends on ${range.to}.` : null;
}

/** The twelve months up to and including `today`: from the day after the same date a year earlier. */
export function trailingTwelveMonths(today: string): DayRange {
  const { year, month } = yearMonth(today);
  // 29 February has no same date a year earlier: the 28th stands in, so the window starts on 1 March.
  const lastDayOfMonth = new Date(Date.UTC(year - 1, month, 0)).getUTCDate();
  const yearEarlier = isoDate(year - 1, month, Math.min(Number(today.slice(8, 10)), lastDayOfMonth));
  return { from: addDays(yearEarlier, 1), to: today };
}

/** The calendar months overlapping the range, each cut to it. */
export function monthsWithin(range: DayRange): (DayRange & { month: string })[] {
  const months: (DayRange & { month: string })[] = [];
  const last = periodStartIndex("month", range.to);
  for (let index = periodStartIndex("month", range.from); index <= last; index++) {
    const { from } = periodFrom(index);
    const to = addDays(periodFrom(index + 1).from, -1);
    months.push({
      month: from.slice(0, 7),
      from: from < range.from ? range.from : from,
      to: to > range.to ? range.to : to,
    });
  }
  return months;
}

// ---- churn rate ---------------------------------------------------------------------------

/** §1: 5–10% of customers lost a year is top-tier. */
export const TOP_TIER_ANNUAL_CHURN = { min: 0.05, max: 0.1 } as const;

export type Benchmark = "below" | "inside" | "above";

export type ChurnRate = {
  readonly customersAtStart: number;
  readonly lost: number;
  /** lost / customersAtStart; null with no customers at the start. */
  readonly rate: number | null;
  /** The rate over a year: the rate itself for a whole calendar year, else 1 − (1 − rate)^(365/days). */
  readonly annualisedRate: number | null;
  /** The annualised rate against the top-tier range (bounds included in it). */
  readonly benchmark: Benchmark | null;
};

export function annualise(rate: number, range: DayRange): number {
  if (isWholeYear(range)) return rate;
  return 1 - (1 - rate) ** (365 / rangeDays(range));
}

export function benchmarkOf(annualRate: number): Benchmark {
  if (annualRate < TOP_TIER_ANNUAL_CHURN.min) return "below";
  return annualRate > TOP_TIER_ANNUAL_CHURN.max ? "above" : "inside";
}

export function churnRate(range: DayRange, customersAtStart: number, lost: number): ChurnRate {
  if (customersAtStart === 0) {
    return { customersAtStart, lost, rate: null, annualisedRate: null, benchmark: null };
  }
  const rate = lost / customersAtStart;
  const annualisedRate = annualise(rate, range);
  return { customersAtStart, lost, rate, annualisedRate, benchmark: benchmarkOf(annualisedRate) };
}

/** "4.2%". */
export function formatRate(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

const benchmarkText: Record<Benchmark, string> = {
  below: "below the 5–10% a year of top-tier companies",
  inside: "inside the 5–10% a year of top-tier companies",
  above: "above the 5–10% a year of top-tier companies",
};

/** One sentence on a period's churn, for people (Slack and the CLI). */
export function rateSentence(churn: ChurnRate, range: DayRange): string {
  if (churn.rate === null || churn.annualisedRate === null || churn.benchmark === null) {
    return `No customers at the start of the period (${range.from}), so there is no churn rate.`;
  }
  const lost = `${churn.lost} of ${churn.customersAtStart} customers at the start lost: ${formatRate(churn.rate)}`;
  const yearly = isWholeYear(range)
    ? " in the year"
    : `, ${formatRate(churn.annualisedRate)} a year over ${rangeDays(range)} days`;
  return `${lost}${yearly}, ${benchmarkText[churn.benchmark]}.`;
}

/** "2 of 30 lost: 6.7% (8.2% a year)", for a line of a breakdown. */
export function rateBrief(churn: ChurnRate, range: DayRange): string {
  if (churn.rate === null || churn.annualisedRate === null) return "no customers at the start";
  const yearly = isWholeYear(range) ? "" : ` (${formatRate(churn.annualisedRate)} a year)`;
  return `${churn.lost} of ${churn.customersAtStart} lost: ${formatRate(churn.rate)}${yearly}`;
}

// ---- who was a customer, who was lost -------------------------------------------------------

export type ChurnAccount = {
  readonly id: string;
  readonly ownerSlackId: string | null;
  readonly segment: string | null;
  /** Its status now. */
  readonly status: AccountStatus;
  readonly createdOn: string;
  readonly firstOrderOn: string | null;
};

/** The exit case a change to lost closed (§5 task 4's amounts in minor units of `currency`). */
export type LostCase = {
  readonly reason: ChurnReason | null;
  readonly currency: string;
  readonly losses: ExitLosses;
};

export type StatusChange = {
  readonly accountId: string;
  readonly fromStatus: AccountStatus;
  readonly toStatus: AccountStatus;
  readonly effectiveOn: string;
  /** When it was recorded: orders changes effective on the same day. */
  readonly recordedAt: Date;
  /** For a change to lost: its exit case, when there is one. */
  readonly exitCase: LostCase | null;
};

/** Accounts with their status history, oldest change first: built once, read for every period. */
export type ChurnHistory = {
  readonly accounts: readonly ChurnAccount[];
  readonly changes: ReadonlyMap<string, readonly StatusChange[]>;
};

export function churnHistory(
  accounts: readonly ChurnAccount[],
  changes: readonly StatusChange[],
): ChurnHistory {
  const byAccount = new Map<string, StatusChange[]>();
  for (const change of changes) {
    const list = byAccount.get(change.accountId);
    if (list) list.push(change);
    else byAccount.set(change.accountId, [change]);
  }
  for (const list of byAccount.values()) {
    list.sort((a, b) =>
      a.effectiveOn === b.effectiveOn
        ? a.recordedAt.getTime() - b.recordedAt.getTime()
        : a.effectiveOn < b.effectiveOn
          ? -1
          : 1,
    );
  }
  return { accounts, changes: byAccount };
}

/**
 * The status at the start of `day`: set by the latest change effective before it. Before its first
 * recorded change an account had that change's "from" status; with no changes at all, its status
 * now (an account imported as lost was not a customer then either).
 */
export function statusAtStartOf(
  account: ChurnAccount,
  changes: readonly StatusChange[],
  day: string,
): AccountStatus {
  let status: AccountStatus | null = null;
  for (const change of changes) {
    if (change.effectiveOn >= day) return status ?? change.fromStatus;
    status = change.toStatus;
  }
  return status ?? account.status;
}

const notCustomer: readonly AccountStatus[] = ["lost", "blacklisted"];

/** A customer at the start of `day`: buying before it (or, never having ordered, known before it) and not lost or blacklisted then. */
export function isCustomerAtStartOf(
  account: ChurnAccount,
  changes: readonly StatusChange[],
  day: string,
): boolean {
  const since = account.firstOrderOn ?? account.createdOn;
  return since < day && !notCustomer.includes(statusAtStartOf(account, changes, day));
}

type Outcome = { account: ChurnAccount; loss: StatusChange | null };

/** The customers at the range's start, each with its latest change to lost within the range. */
function outcomes(history: ChurnHistory, range: DayRange): Outcome[] {
  const result: Outcome[] = [];
  for (const account of history.accounts) {
    const changes = history.changes.get(account.id) ?? [];
    if (!isCustomerAtStartOf(account, changes, range.from)) continue;
    let loss: StatusChange | null = null;
    for (const change of changes) {
      if (change.toStatus === "lost" && change.effectiveOn >= range.from && change.effectiveOn <= range.to)
        loss = change;
    }
    result.push({ account, loss });
  }
  return result;
}

function rateOf(range: DayRange, group: readonly Outcome[]): ChurnRate {
  return churnRate(range, group.length, group.filter((outcome) => outcome.loss !== null).length);
}

function groupRates(
  range: DayRange,
  all: readonly Outcome[],
  keyOf: (account: ChurnAccount) => string | null,
): { key: string | null; churn: ChurnRate }[] {
  const groups = new Map<string | null, Outcome[]>();
  for (const outcome of all) {
    const key = keyOf(outcome.account);
    const list = groups.get(key);
    if (list) list.push(outcome);
    else groups.set(key, [outcome]);
  }
  return [...groups]
    .map(([key, group]) => ({ key, churn: rateOf(range, group) }))
    .sort(
      (a, b) =>
        b.churn.lost - a.churn.lost ||
        b.churn.customersAtStart - a.churn.customersAtStart ||
        (a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    );
}

// ---- why they left, what it cost ----------------------------------------------------------

export type ReasonMix = {
  readonly lostAccounts: number;
  /** Most frequent first, in the taxonomy's order on a tie; not recorded (null) last. */
  readonly mix: readonly { readonly reason: ChurnReason | null; readonly accounts: number }[];
  /** Lost accounts with a reason recorded. */
  readonly recorded: number;
  readonly withinControl: number;
  /** withinControl / recorded; null when no reason is recorded. */
  readonly withinControlShare: number | null;
};

export function reasonMix(reasons: readonly (ChurnReason | null)[]): ReasonMix {
  const counts = new Map<ChurnReason | null, number>();
  for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  const order = (reason: ChurnReason | null) =>
    reason === null ? churnReasons.length : churnReasons.indexOf(reason);
  const mix = [...counts]
    .map(([reason, accounts]) => ({ reason, accounts }))
    .sort((a, b) =>
      a.reason === null || b.reason === null
        ? order(a.reason) - order(b.reason)
        : b.accounts - a.accounts || order(a.reason) - order(b.reason),
    );
  const recorded = reasons.filter((reason) => reason !== null).length;
  const withinControl = reasons.filter((reason) => reason !== null && isWithinControl(reason)).length;
  return {
    lostAccounts: reasons.length,
    mix,
    recorded,
    withinControl,
    withinControlShare: recorded === 0 ? null : withinControl / recorded,
  };
}

export function reasonLabel(reason: ChurnReason | null): string {
  return reason === null ? "Not recorded" : churnReasonLabel[reason];
}

/** "35%": shares of a whole, to the percent. */
export function formatShare(share: number): string {
  return `${Math.round(share * 100)}%`;
}

/** §1: about 70% of churn is our own doing. Null when no lost account has a reason recorded. */
export function controlSentence(mix: ReasonMix): string | null {
  if (mix.withinControlShare === null) return null;
  return `${mix.withinControl} of ${mix.recorded} with a recorded reason left for reasons within our control (${formatShare(mix.withinControlShare)}).`;
}

export type CurrencyLoss = {
  readonly currency: string;
  /** Lost cases with any amount recorded in this currency. */
  readonly cases: number;
  readonly unrecoveredReceivables: bigint;
  readonly compensationAgreed: bigint;
  readonly goodsReturned: bigint;
  readonly marketGapLoss: bigint;
  readonly netLoss: bigint;
};

export type MoneyLost = {
  /** One entry per currency, alphabetical: amounts in different currencies are never added. */
  readonly byCurrency: readonly CurrencyLoss[];
  readonly lostAccounts: number;
  /** Lost accounts whose case has any task-4 amount recorded. */
  readonly withAmounts: number;
};

/** "€57,500.00 net from 2 cases: unrecovered receivables €60.00, goods returned …, less compensation agreed …". */
export function moneyLine(loss: CurrencyLoss): string {
  const money = (amount: bigint) => formatMoney(amount, loss.currency);
  const parts = [
    ["unrecovered receivables", loss.unrecoveredReceivables],
    ["goods returned", loss.goodsReturned],
    ["market-gap loss", loss.marketGapLoss],
  ] as const;
  const items = parts
    .filter(([, amount]) => amount !== 0n)
    .map(([label, amount]) => `${label} ${money(amount)}`);
  if (loss.compensationAgreed !== 0n)
    items.push(`less compensation agreed ${money(loss.compensationAgreed)}`);
  const cases = loss.cases === 1 ? "1 case" : `${loss.cases} cases`;
  return `${money(loss.netLoss)} net from ${cases}${items.length > 0 ? `: ${items.join(", ")}` : ""}`;
}

export function moneyLost(cases: readonly (LostCase | null)[]): MoneyLost {
  const totals = new Map<string, CurrencyLoss>();
  let withAmounts = 0;
  for (const lostCase of cases) {
    if (lostCase === null) continue;
    const loss = lossTotals(lostCase.losses);
    if (!loss.recorded) continue;
    withAmounts += 1;
    const currency = lostCase.currency.trim().toUpperCase();
    const sum = totals.get(currency);
    totals.set(currency, {
      currency,
      cases: (sum?.cases ?? 0) + 1,
      unrecoveredReceivables: (sum?.unrecoveredReceivables ?? 0n) + loss.unrecoveredReceivables,
      compensationAgreed: (sum?.compensationAgreed ?? 0n) + loss.compensationAgreed,
      goodsReturned: (sum?.goodsReturned ?? 0n) + loss.goodsReturned,
      marketGapLoss: (sum?.marketGapLoss ?? 0n) + loss.marketGapLoss,
      netLoss: (sum?.netLoss ?? 0n) + loss.netLoss,
    });
  }
  return {
    byCurrency: [...totals.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1)),
    lostAccounts: cases.length,
    withAmounts,
  };
}

// ---- one period ---------------------------------------------------------------------------

export type PeriodFigures = {
  readonly period: ReportPeriod;
  readonly days: number;
  readonly churn: ChurnRate;
  readonly byMonth: readonly (DayRange & { readonly month: string; readonly churn: ChurnRate })[];
  /** By the account's owner now; null = no owner. Most lost first. */
  readonly byOwner: readonly { readonly ownerSlackId: string | null; readonly churn: ChurnRate }[];
  /** By the account's segment now; null = no segment. Most lost first. */
  readonly bySegment: readonly { readonly segment: string | null; readonly churn: ChurnRate }[];
  /** Of the lost accounts counted in the rate, each with its latest loss in the period. */
  readonly reasons: ReasonMix;
  readonly moneyLost: MoneyLost;
};

/**
 * The churn of one period: lost = customers at its start with a change to lost effective in it (an
 * account lost twice in it counts once, with its latest loss); a customer won in the period is not
 * in the base, so not in the count either.
 */
export function periodFigures(history: ChurnHistory, period: ReportPeriod): PeriodFigures {
  const all = outcomes(history, period);
  const losses = all.flatMap((outcome) => (outcome.loss ? [outcome.loss] : []));
  return {
    period,
    days: rangeDays(period),
    churn: rateOf(period, all),
    byMonth: monthsWithin(period).map((month) => ({
      ...month,
      churn: rateOf(month, outcomes(history, month)),
    })),
    byOwner: groupRates(period, all, (account) => account.ownerSlackId).map(({ key, churn }) => ({
      ownerSlackId: key,
      churn,
    })),
    bySegment: groupRates(period, all, (account) => account.segment).map(({ key, churn }) => ({
      segment: key,
      churn,
    })),
    reasons: reasonMix(losses.map((loss) => loss.exitCase?.reason ?? null)),
    moneyLost: moneyLost(losses.map((loss) => loss.exitCase)),
  };
}

// ---- current customers: loyalty, key accounts at risk ---------------------------------------

export type LoyaltyMix = { readonly customers: number; readonly noRead: number } & Readonly<
  Record<LoyaltyRead, number>
>;

/** From the latest loyalty read of each current customer (null: never read). */
export function loyaltyMix(latestReads: readonly (LoyaltyRead | null)[]): LoyaltyMix {
  const counts = { loyal: 0, average: 0, disloyal: 0 };
  let noRead = 0;
  for (const read of latestReads) {
    if (read === null) noRead += 1;
    else counts[read] += 1;
  }
  return { customers: latestReads.length, noRead, ...counts };
}

/** "Loyal 20 (33%) · Average 10 (17%) · Disloyal 5 (8%) · No read yet 25 (42%)". */
export function loyaltyLine(mix: LoyaltyMix): string {
  const share = (count: number) => (mix.customers === 0 ? "" : ` (${formatShare(count / mix.customers)})`);
  return [
    ...loyaltyReads.map((read) => `${loyaltyLabel[read]} ${mix[read]}${share(mix[read])}`),
    `No read yet ${mix.noRead}${share(mix.noRead)}`,
  ].join(" · ");
}

export const atRiskBands: readonly Band[] = ["high", "critical"];
export const KEY_ACCOUNT_TOP_REASONS = 3;

export type KeyAccountRisk = {
  readonly accountId: string;
  readonly externalId: string;
  readonly name: string;
  readonly ownerSlackId: string | null;
  readonly band: Band;
  readonly risk: number;
  /** The day of the assessment. */
  readonly asOf: string;
  readonly reasons: readonly { readonly code: string; readonly text: string }[];
};

/** Of the key accounts' latest assessments: those high or critical, riskiest first, with their top reasons. */
export function keyAccountsAtRisk(latest: readonly KeyAccountRisk[]): KeyAccountRisk[] {
  return latest
    .filter((account) => atRiskBands.includes(account.band))
    .sort((a, b) => b.risk - a.risk || a.name.localeCompare(b.name) || (a.accountId < b.accountId ? -1 : 1))
    .map((account) => ({ ...account, reasons: account.reasons.slice(0, KEY_ACCOUNT_TOP_REASONS) }));
}

export type KeyAccountsNow = {
  /** The trailing twelve months of revenue the key accounts are cut from. */
  readonly revenueFrom: string;
  readonly revenueTo: string;
  /** The share of revenue the cut makes (KEY_REVENUE_SHARE); managers' designations are key too. */
  readonly sharePercent: number;
  /** Key accounts (of any currency's cut, or designated). */
  readonly keyAccounts: number;
  /** Key accounts with a risk assessment. */
  readonly assessed: number;
  readonly atRisk: readonly KeyAccountRisk[];
};

export type ChurnReport = {
  readonly timeZone: string;
  readonly today: string;
  readonly current: PeriodFigures;
  /** The previous complete period of the same kind (Slack); null for a chosen range. */
  readonly previous: PeriodFigures | null;
  readonly loyalty: LoyaltyMix;
  readonly keyAccounts: KeyAccountsNow;
};
