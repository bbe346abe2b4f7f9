// Calendar-day arithmetic for risk signals: ages of dated records in the team's time zone, and "5 weeks".
import { isoDayNumber, localDayNumber } from "../trends.ts";

/** Days since 1970-01-01 of a calendar date "YYYY-MM-DD" (DST-free: dates, not instants). */
export function dayNumber(isoDay: string): number {
  const day = isoDayNumber(isoDay);
  if (day === null) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${JSON.stringify(isoDay)}`);
  return day;
}

/** Today's day number as seen in `timeZone` at the instant `asOf`. */
export function todayNumber(asOf: Date, timeZone: string): number {
  return localDayNumber(asOf, timeZone);
}

/** Whole calendar days from `isoDay` to `today` (a day number); a date after today counts as 0. */
export function daysBefore(today: number, isoDay: string): number {
  return Math.max(0, today - dayNumber(isoDay));
}

/** "12 days", "5 weeks", "7 months": days up to two weeks, then weeks up to 14 weeks, then months. */
export function formatDuration(days: number): string {
  if (days < 14) return days === 1 ? "1 day" : `${days} days`;
  if (days < 98) return `${Math.round(days / 7)} weeks`;
  const months = Math.round(days / 30.44);
  return months < 24 ? `${months} months` : `${Math.round(days / 365.25)} years`;
}

/** "today", "1 day ago", "45 days ago" (days are precise where they matter), then "9 weeks ago", "7 months ago". */
export function formatAgo(days: number): string {
  if (days === 0) return "today";
  return days < 60 ? `${days === 1 ? "1 day" : `${days} days`} ago` : `${formatDuration(days)} ago`;
}

export function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

/** Strengths are kept to three decimals so texts, tests and stored scans agree on them. */
export function roundStrength(value: number): number {
  return Math.round(clamp01(value) * 1000) / 1000;
}
