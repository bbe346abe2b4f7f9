// §5 tasks 5 and 6, the lost-customer retrospective: the order timeline its case file shows, how long
// complaints took, the summary's rules (lessons and corrective actions), and the lessons search words.
import {
  ageClockStart,
  awaitsResolution,
  type ComplaintStatus,
  type ResponseTargets,
  resolvedAt,
  type Severity,
} from "./complaints.ts";
import { type ChurnReason, churnReasonLabel, churnReasons } from "./exit.ts";
import { daysBetween } from "./interactions.ts";
import { dominantCurrency, isoDayNumber, type MonthValue, monthlyValues, type OrderFact } from "./trends.ts";

// ---- the orders and profit timeline -----------------------------------------------------------

export type RetroMonth = {
  /** "2026-11" */
  month: string;
  orderCount: number;
  /** Minor units of the timeline's currency. */
  amount: bigint;
  /** Profit of the month's orders whose cost is known; null when the month has orders but no cost. */
  profit: bigint | null;
};

export type RetroTrend = {
  /** Months in each of the two periods compared (the latest ones against those just before). */
  months: number;
  recentAmount: bigint;
  earlierAmount: bigint;
  /** Null when a period has orders without any known cost. */
  recentProfit: bigint | null;
  earlierProfit: bigint | null;
};

export type RetroTimeline = {
  currency: string;
  /** Oldest first, ending with the current month: 24 months, or 12 when the older year is empty. */
  months: RetroMonth[];
  trend: RetroTrend;
  /** Orders in other currencies, left out of the money figures. */
  otherCurrencyOrders: number;
};

export const TIMELINE_MONTHS = 24;
const TREND_MONTHS = 6;

function sumProfit(months: readonly RetroMonth[]): bigint | null {
  let total = 0n;
  for (const month of months) {
    if (month.profit === null) return null;
    total += month.profit;
  }
  return total;
}

/**
 * Monthly order value and profit of the account's main currency, from monthlyValues: profit is the
 * monthly value of the same orders counted at their margin (amount − cost), cost-known orders only.
 */
export function retroTimeline(
  orders: readonly OrderFact[],
  now: Date,
  timeZone: string,
): RetroTimeline | null {
  const currency = dominantCurrency(orders);
  if (currency === null) return null;
  const values = monthlyValues(orders, now, timeZone, currency, TIMELINE_MONTHS);
  const margins = monthlyValues(
    orders.flatMap((order) => (order.cost === null ? [] : [{ ...order, amount: order.amount - order.cost }])),
    now,
    timeZone,
    currency,
    TIMELINE_MONTHS,
  );
  const all = values.map((value: MonthValue, i): RetroMonth => {
    const margin = margins[i];
    const profit = margin && margin.orderCount > 0 ? margin.amount : value.orderCount === 0 ? 0n : null;
    return { month: value.month, orderCount: value.orderCount, amount: value.amount, profit };
  });
  const olderYearEmpty = all.slice(0, TIMELINE_MONTHS - 12).every((month) => month.orderCount === 0);
  const months = olderYearEmpty ? all.slice(TIMELINE_MONTHS - 12) : all;
  const recent = months.slice(-TREND_MONTHS);
  const earlier = months.slice(-2 * TREND_MONTHS, -TREND_MONTHS);
  const total = (list: readonly RetroMonth[]) => list.reduce((sum, month) => sum + month.amount, 0n);
  return {
    currency,
    months,
    trend: {
      months: TREND_MONTHS,
      recentAmount: total(recent),
      earlierAmount: total(earlier),
      recentProfit: sumProfit(recent),
      earlierProfit: sumProfit(earlier),
    },
    otherCurrencyOrders: orders.filter((order) => order.currency.toUpperCase() !== currency).length,
  };
}

// ---- how long a complaint took ------------------------------------------------------------------

export type ComplaintDuration =
  | { kind: "confirmed"; days: number }
  | { kind: "resolved"; days: number }
  | { kind: "open"; days: number; targetDays: number; overdueDays: number };

const MS_PER_DAY = 86_400_000;
const wholeDays = (from: Date, to: Date): number =>
  Math.max(0, Math.floor((to.getTime() - from.getTime()) / MS_PER_DAY));

/**
 * Confirmed by the customer N days after it was raised; resolved after N days and still awaiting
 * confirmation; or open for N days against its response target (counted from the last reopening).
 */
export function complaintDuration(
  complaint: {
    severity: Severity;
    status: ComplaintStatus;
    createdAt: Date;
    steps: readonly { toStatus: ComplaintStatus; at: Date }[];
  },
  now: Date,
  targets: ResponseTargets,
): ComplaintDuration {
  if (complaint.status === "confirmed") {
    const confirmed = complaint.steps
      .filter((step) => step.toStatus === "confirmed")
      .reduce<Date | null>((latest, step) => (latest === null || step.at > latest ? step.at : latest), null);
    return { kind: "confirmed", days: wholeDays(complaint.createdAt, confirmed ?? now) };
  }
  const resolved = resolvedAt(complaint.status, complaint.steps);
  if (resolved && !awaitsResolution(complaint.status))
    return { kind: "resolved", days: wholeDays(complaint.createdAt, resolved) };
  const since = ageClockStart(complaint.createdAt, complaint.steps);
  const days = wholeDays(since, now);
  const targetDays = targets[complaint.severity];
  return { kind: "open", days, targetDays, overdueDays: Math.max(0, days - targetDays) };
}

// ---- the summary: lessons and corrective actions -------------------------------------------------

export const RETRO_LIMITS = {
  lessons: 5,
  actions: 5,
  lessonText: 1000,
  actionText: 500,
  deepReason: 2000,
  /** Corrective actions are due within a year. */
  dueWithinDays: 365,
} as const;

export type RetroActionDraft = {
  description: string | null;
  ownerSlackId: string | null;
  /** YYYY-MM-DD */
  dueOn: string | null;
};

/** The summary form as filled in (or prefilled): lessons and actions by their place in the form. */
export type RetroSummaryDraft = {
  deepReason: string | null;
  reason: ChurnReason | null;
  lessons: (string | null)[];
  actions: RetroActionDraft[];
};

export type CorrectiveActionPlan = { description: string; ownerSlackId: string; dueOn: string };

export type RetroSummary = {
  deepReason: string | null;
  reason: ChurnReason | null;
  lessons: string[];
  actions: CorrectiveActionPlan[];
};

/** `deepReason`, `lesson.<i>`, `action.<i>.description|owner|dueOn` → message. */
export type RetroSummaryErrors = Record<string, string>;

export type RetroSummaryCheck = { ok: true; value: RetroSummary } | { ok: false; errors: RetroSummaryErrors };

const filled = (value: string | null | undefined): string | null => {
  const trimmed = value?.trim() ?? "";
  return trimmed === "" ? null : trimmed;
};

/**
 * The rules of a saved summary: at least one lesson; a corrective action needs a description, an
 * owner and a due date, and is not due in the past (nor more than a year ahead); empty rows are
 * left out. Errors name the field in the form, one message each.
 */
export function checkRetroSummary(draft: RetroSummaryDraft, today: string): RetroSummaryCheck {
  const errors: RetroSummaryErrors = {};
  const deepReason = filled(draft.deepReason);
  if (deepReason && deepReason.length > RETRO_LIMITS.deepReason)
    errors.deepReason = `Keep it under ${RETRO_LIMITS.deepReason} characters.`;

  const lessons: string[] = [];
  draft.lessons.slice(0, RETRO_LIMITS.lessons).forEach((text, i) => {
    const lesson = filled(text);
    if (lesson === null) return;
    if (lesson.length > RETRO_LIMITS.lessonText)
      errors[`lesson.${i}`] = `Keep a lesson under ${RETRO_LIMITS.lessonText} characters.`;
    else lessons.push(lesson);
  });
  if (lessons.length === 0 && !Object.keys(errors).some((key) => key.startsWith("lesson.")))
    errors["lesson.0"] = "Write at least one lesson: what should every rep do differently?";

  const actions: CorrectiveActionPlan[] = [];
  draft.actions.slice(0, RETRO_LIMITS.actions).forEach((action, i) => {
    const description = filled(action.description);
    const ownerSlackId = filled(action.ownerSlackId);
    const dueOn = filled(action.dueOn);
    if (description === null && ownerSlackId === null && dueOn === null) return;
    const at = (field: string, message: string) => {
      errors[`action.${i}.${field}`] = message;
    };
    if (description === null)
      at("description", "Say what will change (or clear this action's owner and date).");
    else if (description.length > RETRO_LIMITS.actionText)
      at("description", `Keep it under ${RETRO_LIMITS.actionText} characters.`);
    if (ownerSlackId === null) at("owner", "An action needs an owner.");
    if (dueOn === null) at("dueOn", "An action needs a due date.");
    else if (isoDayNumber(dueOn) === null) at("dueOn", "Pick a valid date.");
    else if (dueOn < today) at("dueOn", "The due date cannot be in the past.");
    else if (daysBetween(today, dueOn) > RETRO_LIMITS.dueWithinDays)
      at("dueOn", "Pick a date within the next year.");
    if (
      description &&
      ownerSlackId &&
      dueOn &&
      !errors[`action.${i}.description`] &&
      !errors[`action.${i}.dueOn`]
    )
      actions.push({ description, ownerSlackId, dueOn });
  });

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { deepReason, reason: draft.reason, lessons, actions } };
}

// ---- the lessons library ------------------------------------------------------------------------

export const LESSON_SEARCH_WORDS = 8;

/** The words of `/customer lessons <words>`: lower case, each once, at most LESSON_SEARCH_WORDS. */
export function lessonSearchWords(text: string): string[] {
  const words = text
    .toLowerCase()
    .split(/\s+/)
    .map((word) => word.trim())
    .filter((word) => word !== "");
  return [...new Set(words)].slice(0, LESSON_SEARCH_WORDS);
}

/** Churn reasons a search word names, by code ("price_too_high", "price") or label ("service"). */
export function reasonsMatching(word: string): ChurnReason[] {
  const needle = word.toLowerCase();
  if (needle === "") return [];
  return churnReasons.filter(
    (reason) =>
      reason.includes(needle.replaceAll(" ", "_")) || churnReasonLabel[reason].toLowerCase().includes(needle),
  );
}

// ---- what the AI may see ------------------------------------------------------------------------

// A number with a currency sign or code on either side ("$12,000", "12.5k EUR", "RMB 30万", "3000元").
const CURRENCY_CODES = "usd|eur|gbp|cny|rmb|jpy|chf|hkd|sgd|aud|cad|inr|krw";
const CURRENCY_WORDS = "dollars?|euros?|pounds?|yuan|bucks";
const NUMBER = "\\d[\\d.,\\s']*\\d|\\d";
const SCALE = "(?:\\s?(?:(?:k|m|bn|mn|million|billion|thousand)\\b|万|千|亿))?";
const MONEY_PATTERNS = [
  new RegExp(`[$€£¥₹₩]\\s?(?:${NUMBER})${SCALE}`, "giu"),
  new RegExp(`\\b(?:${CURRENCY_CODES})\\s?(?:${NUMBER})${SCALE}`, "giu"),
  new RegExp(`(?:${NUMBER})${SCALE}\\s?(?:(?:${CURRENCY_CODES}|${CURRENCY_WORDS})\\b|元|块)`, "giu"),
];

/**
 * Money figures in free text replaced by "[amount]", for prompts when AI_SHARE_MONEY is false. Plain
 * numbers (dates, counts) stay; a figure without any currency mark is not recognised as money.
 */
export function redactMoney(text: string): string {
  return MONEY_PATTERNS.reduce((result, pattern) => result.replace(pattern, "[amount]"), text);
}
