// §2 "keeping the books": warning signals from an account's own orders (volume, rhythm, profit), each
// judged against the account's own past, so that one quiet month or a seasonal dip raises no alarm.
import { formatMoney, formatPercentChange, percentChange } from "../money.ts";
import {
  compareWindows,
  dominantCurrency,
  localDayNumber,
  type OrderFact,
  type OrderGaps,
  orderGaps,
  type WindowComparison,
  type WindowStats,
  windowStats,
} from "../trends.ts";
import { SIGNAL } from "./codes.ts";
import { dayNumber, formatAgo, formatDuration, roundStrength, todayNumber } from "./days.ts";
import type { Signal } from "./signal.ts";

/**
 * The rules, in one place. A volume decline (value, orders, per-order quantity or value) counts only
 * when ALL of these hold:
 * - it is at least `minDeclinePct` down on the previous 90 days;
 * - when a year of history exists, it is also that much down on the same 90 days a year earlier
 *   (a dip that happened last year too is the season, not a warning);
 * - it survives setting aside the quietest 30 days of each window (`quietStretchDays`): the best 60
 *   of the last 90 days against the best 60 of the 90 before. One quiet month is forgiven; a lower
 *   level across the window is not. A stop that is still going on is `order_overdue`'s job, and so
 *   is a last 90 days with no order at all: that is the stop itself, read against the account's
 *   rhythm (and, in the score, by the purchase model), not a lower level of buying;
 * - it is beyond the account's own variation: a robust z-score (median and MAD of its past 90-day
 *   windows) at or below `zThreshold`; with fewer than `minBaselineWindows` past windows there is
 *   no variation to measure, and only a drop of `largeDeclinePct` (or twice the count noise) counts.
 *   The spread is never taken below `minRelativeSpread` of the usual value, nor below the noise of
 *   counting few orders: `countNoise` / √(usual orders per window) of it, half of what random
 *   (Poisson) arrivals would give, since B2B orders are more regular than that. An account with two
 *   orders a quarter cannot show a trend by missing one. That regularity is only granted once the
 *   account has shown it: without `minBaselineWindows` past windows the count noise is taken at
 *   Poisson's, 1 / √(orders), so a young account going from 3 orders to 1 is not yet a decline.
 */
export const LEDGER_RULES = {
  windowDays: 90,
  minDeclinePct: 20,
  largeDeclinePct: 40,
  strongDeclinePct: 35,
  /** An earlier quarter counts as "falling" when at least this much below the one before it. */
  fallingQuarterPct: 10,
  zThreshold: -2,
  minBaselineWindows: 3,
  /** Past 90-day windows looked at for the account's variation: about two years. */
  baselineWindows: 7,
  /** The variation never counts as less than this share of the usual value, so a very flat account is not alarmed by a trivial dip. */
  minRelativeSpread: 0.1,
  countNoise: 0.5,
  quietStretchDays: 30,
  /** Granularity of the quiet stretch that is set aside. */
  blockDays: 10,
  minMarginDropPts: 5,
  largeMarginDropPts: 8,
  strongMarginDropPts: 10,
  minMarginSpreadPts: 2,
  /** Margin is only read where the cost of at least this share of the revenue is known. */
  minCostCoverage: 0.5,
  /** Overdue when the time since the last order reaches the largest of: gap × ratio, gap + minDays, gap + 2 × spread. */
  overdueMinRatio: 1.5,
  overdueMinDays: 7,
  noRepeatAfterDays: 120,
} as const;

const R = LEDGER_RULES;
const ALL_TIME_FROM = new Date(-8.64e15);
const ALL_TIME_TO = new Date(8.64e15);

/** The additive part of window stats: what blocks of days can be summed and subtracted. */
type Totals = { orderCount: number; quantity: number; amount: bigint };

type Metric = (t: Totals) => number | null;

const orderValue: Metric = (t) => Number(t.amount);
const orderCount: Metric = (t) => t.orderCount;
const quantityPerOrder: Metric = (t) => (t.orderCount > 0 ? t.quantity / t.orderCount : null);
const valuePerOrder: Metric = (t) => (t.orderCount > 0 ? Number(t.amount) / t.orderCount : null);

// Orders of one currency by age in local calendar days (0 = the day of asOf), so that any run of days
// can be aggregated with windowStats without recomputing each order's local date.
type AgeIndex = { currency: string; byAge: Map<number, OrderFact[]>; oldestAge: number };

function indexByAge(orders: readonly OrderFact[], asOf: Date, timeZone: string, currency: string): AgeIndex {
  const today = todayNumber(asOf, timeZone);
  const byAge = new Map<number, OrderFact[]>();
  let oldestAge = -1;
  for (const order of orders) {
    if (order.orderedAt.getTime() > asOf.getTime()) continue;
    if (order.currency.toUpperCase() !== currency) continue;
    const age = today - localDayNumber(order.orderedAt, timeZone);
    const list = byAge.get(age);
    if (list) list.push(order);
    else byAge.set(age, [order]);
    oldestAge = Math.max(oldestAge, age);
  }
  return { currency, byAge, oldestAge };
}

/** Stats of the orders aged youngest..oldest days, inclusive. */
function statsByAge(index: AgeIndex, youngest: number, oldest: number): WindowStats {
  const orders: OrderFact[] = [];
  for (let age = youngest; age <= oldest; age++) orders.push(...(index.byAge.get(age) ?? []));
  return windowStats(orders, ALL_TIME_FROM, ALL_TIME_TO, index.currency);
}

function add(a: Totals, b: Totals): Totals {
  return {
    orderCount: a.orderCount + b.orderCount,
    quantity: a.quantity + b.quantity,
    amount: a.amount + b.amount,
  };
}

function subtract(a: Totals, b: Totals): Totals {
  return {
    orderCount: a.orderCount - b.orderCount,
    quantity: a.quantity - b.quantity,
    amount: a.amount - b.amount,
  };
}

const ZERO: Totals = { orderCount: 0, quantity: 0, amount: 0n };

/** The most favourable reading of a window once any one quiet stretch (3 consecutive blocks) is set aside. */
function trimmedValue(blocks: readonly Totals[], metric: Metric): number | null {
  const stretch = R.quietStretchDays / R.blockDays;
  const total = blocks.reduce(add, ZERO);
  let best: number | null = null;
  for (let start = 0; start + stretch <= blocks.length; start++) {
    const quiet = blocks.slice(start, start + stretch).reduce(add, ZERO);
    const value = metric(subtract(total, quiet));
    if (value !== null && (best === null || value > best)) best = value;
  }
  return best;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Robust z-score of `value` against `baseline` (median, 1.4826 × MAD), with a floor on the spread. */
function robustZ(value: number, baseline: readonly number[], minSpread: number): number | null {
  const center = median(baseline);
  const mad = median(baseline.map((v) => Math.abs(v - center)));
  const spread = Math.max(1.4826 * mad, minSpread);
  return spread > 0 ? (value - center) / spread : null;
}

/** Everything about the account's windows that the rules read. */
type Ledger = {
  currency: string;
  comparison: WindowComparison;
  /** 90-day windows newest first: [0] the last 90 days, [1] the 90 before, ... */
  windows: WindowStats[];
  /** Whether each window lies entirely after the account's first order. */
  covered: boolean[];
  yearAgoCovered: boolean;
  /** 10-day blocks of the current and the previous window, newest first. */
  currentBlocks: WindowStats[];
  previousBlocks: WindowStats[];
};

function readLedger(orders: readonly OrderFact[], asOf: Date, timeZone: string, currency: string): Ledger {
  const index = indexByAge(orders, asOf, timeZone, currency);
  const comparison = compareWindows(orders, asOf, timeZone, currency, R.windowDays);
  // The last two windows are compareWindows' own, so the texts and the rules read the same numbers.
  const windows: WindowStats[] = [comparison.current.stats, comparison.previous.stats];
  const covered: boolean[] = [];
  for (let j = 0; j <= R.baselineWindows; j++) {
    const oldest = j * R.windowDays + R.windowDays - 1;
    if (j >= windows.length) windows.push(statsByAge(index, j * R.windowDays, oldest));
    covered.push(index.oldestAge >= oldest);
  }
  const blocks = (offset: number) =>
    Array.from({ length: R.windowDays / R.blockDays }, (_, b) =>
      statsByAge(index, offset + b * R.blockDays, offset + b * R.blockDays + R.blockDays - 1),
    );
  const yearAgoAge = todayNumber(asOf, timeZone) - dayNumber(comparison.yearAgo.fromDay);
  return {
    currency,
    comparison,
    windows,
    covered,
    yearAgoCovered: index.oldestAge >= yearAgoAge,
    currentBlocks: blocks(0),
    previousBlocks: blocks(R.windowDays),
  };
}

type Decline = {
  vsPreviousPct: number;
  /** Null when there is no year of history to compare with. */
  vsYearAgoPct: number | null;
  /** The mildest of the measured drops, as a positive percent: how much it fell by every measure. */
  dropPct: number;
  /** Consecutive 90-day windows, newest first, each lower than the one before it (1 = only the last). */
  quarters: number;
};

/** Relative noise of counting n random (Poisson) arrivals; never below the minimum relative spread. */
function poissonNoise(orders: number): number {
  return Math.max(R.minRelativeSpread, 1 / Math.sqrt(Math.max(1, orders)));
}

function detectDecline(ledger: Ledger, metric: Metric): Decline | null {
  const { comparison, windows, covered } = ledger;
  const current = metric(comparison.current.stats);
  const previous = metric(comparison.previous.stats);
  if (current === null || previous === null) return null;
  const vsPreviousPct = percentChange(current, previous);
  if (vsPreviousPct === null || vsPreviousPct > -R.minDeclinePct) return null;

  let vsYearAgoPct: number | null = null;
  if (ledger.yearAgoCovered) {
    const yearAgo = metric(comparison.yearAgo.stats);
    vsYearAgoPct = yearAgo === null ? null : percentChange(current, yearAgo);
    // Nothing (or no less) a year ago in the same season: no decline to speak of.
    if (vsYearAgoPct === null || vsYearAgoPct > -R.minDeclinePct) return null;
  }

  const trimmedCurrent = trimmedValue(ledger.currentBlocks, metric);
  const trimmedPrevious = trimmedValue(ledger.previousBlocks, metric);
  const trimmedPct =
    trimmedCurrent === null || trimmedPrevious === null
      ? null
      : percentChange(trimmedCurrent, trimmedPrevious);
  if (trimmedPct === null || trimmedPct > -R.minDeclinePct) return null;

  const baselineWindows = windows.filter((w, j) => j > 0 && covered[j] && metric(w) !== null);
  const baseline = baselineWindows.map((w) => metric(w) ?? 0);
  const usualOrders =
    baseline.length >= R.minBaselineWindows
      ? median(baselineWindows.map((w) => w.orderCount))
      : comparison.previous.stats.orderCount;
  const relativeNoise = Math.max(R.minRelativeSpread, R.countNoise / Math.sqrt(Math.max(1, usualOrders)));
  if (baseline.length >= R.minBaselineWindows) {
    const z = robustZ(current, baseline, relativeNoise * Math.abs(median(baseline)));
    if (z === null || z > R.zThreshold) return null;
  } else if (vsPreviousPct > -Math.max(R.largeDeclinePct, 2 * poissonNoise(usualOrders) * 100)) {
    return null;
  }

  let quarters = 1;
  for (let j = 1; j + 1 < windows.length && covered[j + 1]; j++) {
    const newer = metric(windows[j] as WindowStats);
    const older = metric(windows[j + 1] as WindowStats);
    if (newer === null || older === null || newer > older * (1 - R.fallingQuarterPct / 100)) break;
    quarters += 1;
  }

  const drops = [vsPreviousPct, trimmedPct, ...(vsYearAgoPct === null ? [] : [vsYearAgoPct])];
  return { vsPreviousPct, vsYearAgoPct, dropPct: Math.min(...drops.map((d) => -d)), quarters };
}

/** `base` plus up to `span` as the drop grows to 60%, plus 0.075 for each further falling quarter (at most two). */
function declineStrength(decline: Decline, base: number, span: number): number {
  const magnitude = Math.min(1, decline.dropPct / 60);
  const persistence = 0.075 * (Math.min(decline.quarters, 3) - 1);
  return roundStrength(base + span * magnitude + persistence);
}

function changesText(
  current: bigint | number,
  previous: bigint | number,
  yearAgo: bigint | number | null,
): string {
  const vsPrevious = `${formatPercentChange(current, previous)} vs previous 90 days`;
  return yearAgo === null
    ? vsPrevious
    : `${vsPrevious}, ${formatPercentChange(current, yearAgo)} vs a year ago`;
}

function quartersText(decline: Decline): string {
  return decline.quarters >= 2 ? `; falling ${decline.quarters} quarters in a row` : "";
}

function volumeSignals(ledger: Ledger): Signal[] {
  const { comparison, currency } = ledger;
  const current = comparison.current.stats;
  const previous = comparison.previous.stats;
  const yearAgo = ledger.yearAgoCovered ? comparison.yearAgo.stats : null;
  const signals: Signal[] = [];
  // No order at all in the last 90 days: the stop itself, which order_overdue reads (see LEDGER_RULES).
  if (current.orderCount === 0) return signals;

  const value = detectDecline(ledger, orderValue);
  if (value) {
    signals.push({
      code: SIGNAL.orderValueDecline,
      source: "ledger",
      strength: declineStrength(value, 0.3, 0.5),
      strong: value.dropPct >= R.strongDeclinePct,
      text:
        `order value ${changesText(current.amount, previous.amount, yearAgo?.amount ?? null)} ` +
        `(${formatMoney(current.amount, currency)} in the last 90 days vs ${formatMoney(previous.amount, currency)})` +
        quartersText(value),
    });
  }

  const frequency = detectDecline(ledger, orderCount);
  if (frequency) {
    signals.push({
      code: SIGNAL.orderFrequencyDecline,
      source: "ledger",
      strength: declineStrength(frequency, 0.3, 0.5),
      strong: frequency.dropPct >= R.strongDeclinePct,
      text:
        `orders ${changesText(current.orderCount, previous.orderCount, yearAgo?.orderCount ?? null)} ` +
        `(${current.orderCount} in the last 90 days vs ${previous.orderCount})` +
        quartersText(frequency),
    });
  }

  // Divided heart (§2.1): they still order as often, but less each time; part of the volume goes elsewhere.
  const countChange = percentChange(current.orderCount, previous.orderCount);
  const frequencyHolds = frequency === null && countChange !== null && countChange > -R.minDeclinePct;
  if (frequencyHolds) {
    const perOrder = [
      { label: "quantity per order", metric: quantityPerOrder },
      { label: "value per order", metric: valuePerOrder },
    ]
      .map((candidate) => ({ ...candidate, decline: detectDecline(ledger, candidate.metric) }))
      .filter((candidate) => candidate.decline !== null)
      .sort((a, b) => (b.decline?.dropPct ?? 0) - (a.decline?.dropPct ?? 0))[0];
    if (perOrder?.decline) {
      const m = perOrder.metric;
      const yearAgoValue = yearAgo === null ? null : m(yearAgo);
      signals.push({
        code: SIGNAL.dividedHeart,
        source: "ledger",
        strength: declineStrength(perOrder.decline, 0.25, 0.45),
        strong: perOrder.decline.dropPct >= R.strongDeclinePct,
        text:
          `${perOrder.label} ${changesText(m(current) ?? 0, m(previous) ?? 0, yearAgoValue)} ` +
          `while orders hold (${current.orderCount} vs ${previous.orderCount}): part of their volume may go elsewhere`,
      });
    }
  }
  return signals;
}

function marginOf(stats: WindowStats): number | null {
  return stats.marginPct !== null && (stats.costCoverage ?? 0) >= R.minCostCoverage ? stats.marginPct : null;
}

function pct1(value: number): string {
  return `${value.toFixed(1).replace("-", "\u2212")}%`;
}

function pts1(value: number): string {
  const abs = Math.abs(value).toFixed(1);
  return `${value < 0 ? "\u2212" : "+"}${abs} pts`;
}

function marginSignal(ledger: Ledger): Signal | null {
  const { comparison, windows, covered } = ledger;
  const current = marginOf(comparison.current.stats);
  const previous = marginOf(comparison.previous.stats);
  if (current === null || previous === null) return null;
  const vsPrevious = current - previous;
  if (vsPrevious > -R.minMarginDropPts) return null;
  // Seasonality, as for volume: where last year's margin in the same season is known, it must be down on that too.
  const yearAgo = ledger.yearAgoCovered ? marginOf(comparison.yearAgo.stats) : null;
  if (yearAgo !== null && current - yearAgo > -R.minMarginDropPts) return null;

  const baseline: number[] = [];
  for (let j = 1; j < windows.length; j++) {
    const margin = covered[j] ? marginOf(windows[j] as WindowStats) : null;
    if (margin !== null) baseline.push(margin);
  }
  if (baseline.length >= R.minBaselineWindows) {
    const z = robustZ(current, baseline, R.minMarginSpreadPts);
    if (z === null || z > R.zThreshold) return null;
  } else if (vsPrevious > -R.largeMarginDropPts) {
    return null;
  }

  const drop = -Math.max(vsPrevious, yearAgo === null ? vsPrevious : current - yearAgo);
  const currentProfit = comparison.current.stats.profit;
  const previousProfit = comparison.previous.stats.profit;
  const profitPct =
    currentProfit !== null && previousProfit !== null ? percentChange(currentProfit, previousProfit) : null;
  const profitText =
    currentProfit !== null && previousProfit !== null && previousProfit !== 0n
      ? `; profit ${formatPercentChange(currentProfit, previousProfit)} (${formatMoney(currentProfit, ledger.currency)})`
      : "";
  return {
    code: SIGNAL.marginDecline,
    source: "ledger",
    strength: roundStrength(
      0.2 + 0.3 * Math.min(1, drop / 15) + (profitPct !== null && profitPct <= -20 ? 0.1 : 0),
    ),
    strong: drop >= R.strongMarginDropPts || (current <= 0 && previous > 0),
    text:
      `margin ${pct1(current)} in the last 90 days vs ${pct1(previous)} before (${pts1(vsPrevious)})` +
      (yearAgo === null ? "" : `, ${pct1(yearAgo)} a year ago`) +
      profitText,
  };
}

// §2.2 "never-positive profit": no profit now, nor in any earlier window whose cost is known.
function unprofitableSignal(ledger: Ledger): Signal | null {
  const known = ledger.windows.filter((w) => marginOf(w) !== null);
  const current = ledger.windows[0];
  if (current === undefined || marginOf(current) === null || current.profit === null || current.profit > 0n) {
    return null;
  }
  if (known.some((w) => w.profit !== null && w.profit > 0n)) return null;
  const earlier = known.length - 1;
  return {
    code: SIGNAL.unprofitable,
    source: "ledger",
    strength: roundStrength(Math.min(0.35, 0.2 + 0.05 * earlier)),
    strong: false,
    text:
      `no profit in the last 90 days (${formatMoney(current.profit, ledger.currency)} on ` +
      `${formatMoney(current.costKnownAmount, ledger.currency)} of orders with known cost)` +
      (earlier > 0 ? `, nor in any of the ${earlier} earlier quarters with known cost` : ""),
  };
}

function overdueSignal(gaps: OrderGaps): Signal | null {
  const { typicalGapDays, daysSinceLast, lastOrderDay, purchaseDays } = gaps;
  if (purchaseDays === 1 && daysSinceLast !== null && daysSinceLast >= R.noRepeatAfterDays) {
    // BG/NBD says little about a customer who never came back; the ledger says it plainly.
    return {
      code: SIGNAL.noRepeatOrder,
      source: "ledger",
      strength: roundStrength(0.25 + 0.25 * Math.min(1, (daysSinceLast - R.noRepeatAfterDays) / 245)),
      strong: false,
      text: `one order only, ${formatAgo(daysSinceLast)} (${lastOrderDay}): no repeat purchase yet`,
    };
  }
  if (typicalGapDays === null || daysSinceLast === null || typicalGapDays <= 0) return null;
  const gapCount = gaps.gapDays.length;
  const spread = 1.4826 * median(gaps.gapDays.map((g) => Math.abs(g - typicalGapDays)));
  const threshold = Math.max(
    typicalGapDays * R.overdueMinRatio,
    typicalGapDays + R.overdueMinDays,
    typicalGapDays + 2 * spread,
  );
  if (daysSinceLast < threshold) return null;
  const ratio = daysSinceLast / typicalGapDays;
  // One or two gaps are a thin rhythm to hold a customer to.
  const reliability = Math.min(1, 0.4 + 0.15 * gapCount);
  return {
    code: SIGNAL.orderOverdue,
    source: "ledger",
    strength: roundStrength(reliability * Math.min(0.9, 0.3 + 0.2 * (ratio - R.overdueMinRatio))),
    strong: ratio >= 3 && gapCount >= 3,
    text:
      `next order ${formatDuration(Math.round(daysSinceLast - typicalGapDays))} overdue ` +
      `(usual gap ${formatDuration(Math.round(typicalGapDays))}, last order ${lastOrderDay})`,
  };
}

/**
 * The ledger's warning signals for one account as of `asOf`, with calendar days in `timeZone`. Money
 * figures are in the account's dominant currency; the order rhythm counts every currency.
 */
export function ledgerSignals(orders: readonly OrderFact[], asOf: Date, timeZone: string): Signal[] {
  const signals: Signal[] = [];
  const currency = dominantCurrency(orders.filter((o) => o.orderedAt.getTime() <= asOf.getTime()));
  if (currency !== null) {
    const ledger = readLedger(orders, asOf, timeZone, currency);
    signals.push(...volumeSignals(ledger));
    const margin = marginSignal(ledger);
    if (margin) signals.push(margin);
    const unprofitable = unprofitableSignal(ledger);
    if (unprofitable) signals.push(unprofitable);
  }
  const overdue = overdueSignal(orderGaps(orders, asOf, timeZone));
  if (overdue) signals.push(overdue);
  return signals;
}
