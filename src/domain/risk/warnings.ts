// When a churn warning is due (issue 4 point 6), and what a warning says: pure rules, no clock, no storage.
import type { Verdict } from "./judgments.ts";
import { BAND_ORDER, type Band } from "./score.ts";

/** What a scan found for one account, as far as warnings care. */
export type WarningCandidate = {
  accountId: string;
  band: Band;
  reasons: readonly { code: string; strong: boolean }[];
};

/** The account's assessment before this scan day; null when it has none. */
export type PreviousAssessment = { band: Band; reasonCodes: readonly string[] } | null;

/** An active snooze: the highest band among the account's warnings snoozed past now. */
export type ActiveSnooze = { band: Band } | null;

/** Days within which re-entering a band already warned about does not warn again. */
export const REWARN_AFTER_DAYS = 14;

/** The highest band the account was warned about in the last REWARN_AFTER_DAYS days. */
export type RecentWarning = { band: Band } | null;

export type WarningTrigger = {
  /** Set when the account entered a higher band than its previous assessment's. */
  enteredBand: Band | null;
  /** Strong signal codes the previous assessment did not have, sorted. */
  newSignalCodes: string[];
  /** One warning per account, trigger and scan day: unique in storage, so reruns add nothing. */
  dedupeKey: string;
};

const rank = (band: Band): number => BAND_ORDER.indexOf(band);

/** Bands that warn without a previous assessment: the evidence already says churn is more likely than not. */
const FIRST_WARNING_FLOOR: Band = "high";

/**
 * A warning is due when the account enters a higher band than before (a first assessment counts
 * only from "high"), or shows a strong signal its previous assessment did not have. An account
 * bouncing between bands is not warned again for a band it was warned about recently. While snoozed,
 * only entering a band above the snoozed warning's band breaks through.
 */
export function warningTrigger(
  candidate: WarningCandidate,
  previous: PreviousAssessment,
  snooze: ActiveSnooze,
  asOfDay: string,
  recent: RecentWarning = null,
): WarningTrigger | null {
  const entered =
    (previous
      ? rank(candidate.band) > rank(previous.band)
      : rank(candidate.band) >= rank(FIRST_WARNING_FLOOR)) &&
    (recent === null || rank(candidate.band) > rank(recent.band));
  const before = new Set(previous?.reasonCodes ?? []);
  const newSignalCodes = previous
    ? [...new Set(candidate.reasons.filter((r) => r.strong && !before.has(r.code)).map((r) => r.code))].sort()
    : [];
  const enteredBand = entered ? candidate.band : null;
  if (snooze) {
    if (enteredBand === null || rank(enteredBand) <= rank(snooze.band)) return null;
    return {
      enteredBand,
      newSignalCodes,
      dedupeKey: `${candidate.accountId}:band:${enteredBand}:${asOfDay}`,
    };
  }
  if (enteredBand !== null)
    return {
      enteredBand,
      newSignalCodes,
      dedupeKey: `${candidate.accountId}:band:${enteredBand}:${asOfDay}`,
    };
  if (newSignalCodes.length > 0)
    return {
      enteredBand: null,
      newSignalCodes,
      dedupeKey: `${candidate.accountId}:signal:${newSignalCodes.join("+")}:${asOfDay}`,
    };
  return null;
}

export const warningStatuses = ["pending", "posted", "acknowledged", "snoozed"] as const;
export type WarningStatus = (typeof warningStatuses)[number];

/** Snooze lengths offered on a warning, in days. */
export const SNOOZE_DAYS = [7, 30] as const;
export type SnoozeDays = (typeof SNOOZE_DAYS)[number];

/** Everything a warning's message shows; stored with the warning so it reads the same when updated. */
export type WarningDetails = {
  id: string;
  account: { id: string; name: string; externalId: string };
  asOf: string;
  risk: number;
  band: Band;
  previousBand: Band | null;
  newSignalCodes: string[];
  reasons: { code: string; text: string; strong: boolean }[];
  verdict: Verdict;
  verdictHeadline: string;
  actions: { action: string; text: string }[];
  status: WarningStatus;
  acknowledgedBy: string | null;
  acknowledgedAt: Date | null;
  snoozedBy: string | null;
  snoozedUntil: Date | null;
  /** Set when it went to the default channel: where it should have gone and why not. */
  misrouted: { intendedChannelId: string; error: string } | null;
  /** Exit handling started from this warning: by whom, when (YYYY-MM-DD), where its tasks are. */
  exitStarted?: { startedBy: string; startedOn: string; channelId: string | null } | null;
};

/** What a failed channel post means: the bot must be invited, or the channel is gone. */
export const CHANNEL_UNREACHABLE_ERRORS: ReadonlySet<string> = new Set([
  "not_in_channel",
  "channel_not_found",
  "is_archived",
]);
