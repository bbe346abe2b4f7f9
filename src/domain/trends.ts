// Per-account order trends (§2 "keeping the books"): window stats, period comparisons, order gaps, monthly values.

import { percentChange } from "./money.ts";

export interface OrderFact {
  readonly orderedAt: Date;
  readonly quantity: number;
  /** Minor units of `currency`. Negative for credit notes. */
  readonly amount: bigint;
  /** Minor units; null when the cost of the order is not known. */
  readonly cost: bigint | null;
  readonly currency: string;
}

// Mixed currencies: amounts in different currencies cannot be added without an exchange rate
// for each order date, which the domain does not have, and converting silently would invent
// numbers. So every money aggregate is for one currency the caller names (normally the account's
// `dominantCurrency`), and orders in other currencies are left out of it.

export interface WindowStats {
  readonly orderCount: number;
  readonly quantity: number;
  readonly amount: bigint;
  /** Sum of `amount` over orders whose cost is known: the base of profit and margin. */
  readonly costKnownAmount: bigint;
  readonly cost: bigint;
  /** costKnownAmount - cost; null when no order in the window has a known cost. */
  readonly profit: bigint | null;
  /** profit / costKnownAmount in percent; null without known cost or with no positive base. */
  readonly marginPct: number | null;
  /** Share (0..1) of the amount whose cost is known, so a margin over 5% of revenue is not over-trusted. */
  readonly costCoverage: number | null;
}

const MS_PER_DAY = 86_400_000;

function sameCurrency(order: OrderFact, currency: string): boolean {
  return order.currency.toUpperCase() === currency.toUpperCase();
}

// Ratio of two bigints as a float, via a scaled integer division so that values beyond
// 2^53 (or even beyond the float range) do not overflow before dividing.
function ratio(numerator: bigint, denominator: bigint): number {
  return Number((numerator * 1_000_000_000_000n) / denominator) / 1e12;
}

function aggregate(orders: readonly OrderFact[]): WindowStats {
  let orderCount = 0;
  let quantity = 0;
  let amount = 0n;
  let costKnownAmount = 0n;
  let cost = 0n;
  let anyCost = false;
  for (const order of orders) {
    orderCount += 1;
    quantity += order.quantity;
    amount += order.amount;
    if (order.cost !== null) {
      anyCost = true;
      costKnownAmount += order.amount;
      cost += order.cost;
    }
  }
  const profit = anyCost ? costKnownAmount - cost : null;
  return {
    orderCount,
    quantity,
    amount,
    costKnownAmount,
    cost,
    profit,
    marginPct: profit !== null && costKnownAmount > 0n ? ratio(profit * 100n, costKnownAmount) : null,
    costCoverage: amount > 0n ? ratio(costKnownAmount, amount) : null,
  };
}

/** Stats over orders in `currency` placed in the half-open instant range [from, to). */
export function windowStats(
  orders: readonly OrderFact[],
  from: Date,
  to: Date,
  currency: string,
): WindowStats {
  const start = from.getTime();
  const end = to.getTime();
  return aggregate(
    orders.filter((o) => {
      const t = o.orderedAt.getTime();
      return t >= start && t < end && sameCurrency(o, currency);
    }),
  );
}

// ---- calendar days in a time zone --------------------------------------------------------
// A calendar day is handled as a "day number": days since 1970-01-01 of the local date. Day
// arithmetic on those numbers is immune to DST, which shifts instants, not dates.

const dayFormatters = new Map<string, Intl.DateTimeFormat>();

function dayFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = dayFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US-u-ca-gregory-nu-latn", {
      timeZone,
      year: "numeric",
      month: "numeric",
      day: "numeric",
    });
    dayFormatters.set(timeZone, formatter);
  }
  return formatter;
}

interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

function localDate(instant: Date, timeZone: string): LocalDate {
  let year = 0;
  let month = 0;
  let day = 0;
  for (const part of dayFormatter(timeZone).formatToParts(instant)) {
    if (part.type === "year") year = Number(part.value);
    else if (part.type === "month") month = Number(part.value);
    else if (part.type === "day") day = Number(part.value);
  }
  return { year, month, day };
}

function dayNumberOf(date: LocalDate): number {
  return Date.UTC(date.year, date.month - 1, date.day) / MS_PER_DAY;
}

/**
 * Local days of quarter-hour slices of time, per zone. Every offset in use today is a whole number of
 * quarter hours and clocks change on a quarter hour, so a slice whose first and last millisecond fall
 * on the same local day lies on that day entirely; a slice that straddles a change of day (as with
 * Liberia's old offset of −0:44:30) is worked out instant by instant. Formatting a date in a zone is
 * slow, and a scan dates millions of orders that fall in far fewer slices.
 */
const SLICE_MS = 15 * 60 * 1000;
/** Slices remembered per zone before starting afresh (about 28 years of quarter hours). */
const SLICES_KEPT = 1_000_000;
const STRADDLES = Number.NEGATIVE_INFINITY;
const sliceDays = new Map<string, Map<number, number>>();

/** Days since 1970-01-01 of the calendar day `instant` falls on in `timeZone`. */
export function localDayNumber(instant: Date, timeZone: string): number {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) return dayNumberOf(localDate(instant, timeZone));
  let days = sliceDays.get(timeZone);
  if (!days) {
    days = new Map();
    sliceDays.set(timeZone, days);
  }
  const slice = Math.floor(ms / SLICE_MS);
  let day = days.get(slice);
  if (day === undefined) {
    if (days.size >= SLICES_KEPT) days.clear();
    const first = dayNumberOf(localDate(new Date(slice * SLICE_MS), timeZone));
    const last = dayNumberOf(localDate(new Date((slice + 1) * SLICE_MS - 1), timeZone));
    day = first === last ? first : STRADDLES;
    days.set(slice, day);
  }
  return day === STRADDLES ? dayNumberOf(localDate(instant, timeZone)) : day;
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a calendar date "YYYY-MM-DD", or null when it is not a real date. */
export function isoDayNumber(isoDay: string): number | null {
  const match = ISO_DAY.exec(isoDay);
  if (!match) return null;
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  const dayNumber = dayNumberOf(date);
  const back = dayNumberToDate(dayNumber);
  return back.year === date.year && back.month === date.month && back.day === date.day ? dayNumber : null;
}

function dayNumberToDate(dayNumber: number): LocalDate {
  const d = new Date(dayNumber * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function isoDay(dayNumber: number): string {
  const d = dayNumberToDate(dayNumber);
  return `${pad(d.year, 4)}-${pad(d.month, 2)}-${pad(d.day, 2)}`;
}

function monthKey(year: number, month: number): string {
  return `${pad(year, 4)}-${pad(month, 2)}`;
}

/** The calendar date ("2026-11-24") of an instant as seen in `timeZone`. */
export function calendarDay(instant: Date, timeZone: string): string {
  return isoDay(localDayNumber(instant, timeZone));
}

// Same month and day one year earlier; 29 February falls back to the 28th.
function sameDayLastYear(dayNumber: number): number {
  const { year, month, day } = dayNumberToDate(dayNumber);
  const lastDayOfMonth = new Date(Date.UTC(year - 1, month, 0)).getUTCDate();
  return dayNumberOf({ year: year - 1, month, day: Math.min(day, lastDayOfMonth) });
}

// ---- comparing periods --------------------------------------------------------------------

export interface DayWindow {
  /** First and last calendar day of the window, inclusive, in the requested time zone. */
  readonly fromDay: string;
  readonly toDay: string;
  readonly stats: WindowStats;
}

/** Percent changes (null when the base is zero or unknown); margin moves in percentage points. */
export interface MetricChanges {
  readonly orderCountPct: number | null;
  readonly quantityPct: number | null;
  readonly amountPct: number | null;
  readonly profitPct: number | null;
  readonly marginPts: number | null;
}

export interface WindowComparison {
  readonly currency: string;
  readonly days: number;
  readonly current: DayWindow;
  readonly previous: DayWindow;
  readonly yearAgo: DayWindow;
  readonly vsPrevious: MetricChanges;
  readonly vsYearAgo: MetricChanges;
}

function changes(current: WindowStats, base: WindowStats): MetricChanges {
  return {
    orderCountPct: percentChange(current.orderCount, base.orderCount),
    quantityPct: percentChange(current.quantity, base.quantity),
    amountPct: percentChange(current.amount, base.amount),
    profitPct:
      current.profit !== null && base.profit !== null ? percentChange(current.profit, base.profit) : null,
    marginPts:
      current.marginPct !== null && base.marginPct !== null ? current.marginPct - base.marginPct : null,
  };
}

interface DatedOrder {
  readonly order: OrderFact;
  readonly day: number;
}

// Orders after `now` have not happened yet (or carry a wrong date); every view of "so far" skips them.
function datedOrders(
  orders: readonly OrderFact[],
  now: Date,
  timeZone: string,
  currency?: string,
): DatedOrder[] {
  const nowMs = now.getTime();
  const result: DatedOrder[] = [];
  for (const order of orders) {
    if (order.orderedAt.getTime() > nowMs) continue;
    if (currency !== undefined && !sameCurrency(order, currency)) continue;
    result.push({ order, day: localDayNumber(order.orderedAt, timeZone) });
  }
  return result;
}

function dayWindow(dated: readonly DatedOrder[], firstDay: number, lastDay: number): DayWindow {
  return {
    fromDay: isoDay(firstDay),
    toDay: isoDay(lastDay),
    stats: aggregate(dated.filter((d) => d.day >= firstDay && d.day <= lastDay).map((d) => d.order)),
  };
}

function assertPositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
}

/**
 * The last `days` calendar days up to and including today (in `timeZone`), against the `days`
 * before them and against the `days` ending on the same date one year earlier (seasonality).
 */
export function compareWindows(
  orders: readonly OrderFact[],
  now: Date,
  timeZone: string,
  currency: string,
  days = 90,
): WindowComparison {
  assertPositiveInteger("days", days);
  const dated = datedOrders(orders, now, timeZone, currency);
  const today = localDayNumber(now, timeZone);
  const current = dayWindow(dated, today - days + 1, today);
  const previous = dayWindow(dated, today - 2 * days + 1, today - days);
  const yearAgoEnd = sameDayLastYear(today);
  const yearAgo = dayWindow(dated, yearAgoEnd - days + 1, yearAgoEnd);
  return {
    currency: currency.toUpperCase(),
    days,
    current,
    previous,
    yearAgo,
    vsPrevious: changes(current.stats, previous.stats),
    vsYearAgo: changes(current.stats, yearAgo.stats),
  };
}

// ---- order frequency ----------------------------------------------------------------------

export interface OrderGaps {
  /** Distinct calendar days with a purchase: several orders on one day are one purchase. */
  readonly purchaseDays: number;
  readonly firstOrderDay: string | null;
  readonly lastOrderDay: string | null;
  readonly daysSinceLast: number | null;
  /** Days between consecutive purchase days, oldest first. */
  readonly gapDays: readonly number[];
  /** Median of gapDays; null with fewer than two purchase days. */
  readonly typicalGapDays: number | null;
  /** daysSinceLast - typicalGapDays when positive, else 0; null when there is no typical gap. */
  readonly overdueDays: number | null;
}

function median(sorted: readonly number[]): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const mid = Math.floor(n / 2);
  const upper = sorted[mid] ?? 0;
  return n % 2 === 1 ? upper : ((sorted[mid - 1] ?? 0) + upper) / 2;
}

/**
 * Purchase rhythm over all currencies (frequency does not add amounts). Credit notes
 * (negative amount) are not purchases. The median gap resists one odd pause or rush order.
 */
export function orderGaps(orders: readonly OrderFact[], now: Date, timeZone: string): OrderGaps {
  const days = [
    ...new Set(
      datedOrders(
        orders.filter((o) => o.amount >= 0n),
        now,
        timeZone,
      ).map((d) => d.day),
    ),
  ].sort((a, b) => a - b);
  const first = days[0];
  const last = days[days.length - 1];
  if (first === undefined || last === undefined) {
    return {
      purchaseDays: 0,
      firstOrderDay: null,
      lastOrderDay: null,
      daysSinceLast: null,
      gapDays: [],
      typicalGapDays: null,
      overdueDays: null,
    };
  }
  const gapDays: number[] = [];
  for (let i = 1; i < days.length; i++) gapDays.push((days[i] ?? 0) - (days[i - 1] ?? 0));
  const typicalGapDays = median([...gapDays].sort((a, b) => a - b));
  const daysSinceLast = localDayNumber(now, timeZone) - last;
  return {
    purchaseDays: days.length,
    firstOrderDay: isoDay(first),
    lastOrderDay: isoDay(last),
    daysSinceLast,
    gapDays,
    typicalGapDays,
    overdueDays: typicalGapDays === null ? null : Math.max(0, daysSinceLast - typicalGapDays),
  };
}

// ---- monthly series -----------------------------------------------------------------------

export interface MonthValue {
  /** Calendar month in `timeZone`, "2026-11". */
  readonly month: string;
  readonly amount: bigint;
  readonly orderCount: number;
}

/** `months` calendar months ending with the current one, oldest first; empty months are zero. */
export function monthlyValues(
  orders: readonly OrderFact[],
  now: Date,
  timeZone: string,
  currency: string,
  months = 12,
): MonthValue[] {
  assertPositiveInteger("months", months);
  const { year, month } = localDate(now, timeZone);
  const nowIndex = year * 12 + (month - 1);
  const firstIndex = nowIndex - months + 1;
  const amounts: bigint[] = new Array<bigint>(months).fill(0n);
  const counts: number[] = new Array<number>(months).fill(0);
  for (const { order, day } of datedOrders(orders, now, timeZone, currency)) {
    const d = dayNumberToDate(day);
    const slot = d.year * 12 + (d.month - 1) - firstIndex;
    if (slot < 0 || slot >= months) continue;
    amounts[slot] = (amounts[slot] ?? 0n) + order.amount;
    counts[slot] = (counts[slot] ?? 0) + 1;
  }
  return amounts.map((amount, slot) => {
    const index = firstIndex + slot;
    return {
      month: monthKey(Math.floor(index / 12), (index % 12) + 1),
      amount,
      orderCount: counts[slot] ?? 0,
    };
  });
}

/** The account's currency: the one with the most orders, ties broken alphabetically. */
export function dominantCurrency(orders: readonly OrderFact[]): string | null {
  const counts = new Map<string, number>();
  for (const order of orders) {
    const code = order.currency.toUpperCase();
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  let best: string | null = null;
  let bestCount = 0;
  for (const [code, count] of counts) {
    if (count > bestCount || (count === bestCount && best !== null && code < best)) {
      best = code;
      bestCount = count;
    }
  }
  return best;
}

let zoneChecks: Map<string, boolean> | undefined;

/** True when `timeZone` is an IANA zone name this runtime knows ("Europe/Berlin", "UTC"). */
export function isTimeZone(timeZone: string): boolean {
  zoneChecks ??= new Map();
  let known = zoneChecks.get(timeZone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone });
      known = true;
    } catch {
      known = false;
    }
    zoneChecks.set(timeZone, known);
  }
  return known;
}
