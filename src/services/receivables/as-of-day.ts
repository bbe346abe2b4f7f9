// The calendar day an "as of" question is asked for: a YYYY-MM-DD string as given, or an instant's day in a zone.
import { calendarDay } from "../../domain/trends.ts";
import { AppError } from "../../errors.ts";

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type AsOf = {
  /** A calendar day "YYYY-MM-DD", or an instant whose day in `timeZone` is meant. */
  asOf: Date | string;
  /** IANA zone for an instant `asOf`; default UTC. Ignored for a day string. */
  timeZone?: string;
};

/** `asOf` as a calendar day "YYYY-MM-DD"; an AppError for a string that is no real date. */
export function asOfDay({ asOf, timeZone = "UTC" }: AsOf): string {
  if (asOf instanceof Date) {
    if (Number.isNaN(asOf.getTime()))
      throw new AppError("bad_request", "The as-of date is not a valid date.");
    return calendarDay(asOf, timeZone);
  }
  const match = DAY.exec(asOf);
  const [year, month, day] = [Number(match?.[1]), Number(match?.[2]), Number(match?.[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (
    !match ||
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day
  ) {
    throw new AppError("bad_request", `"${asOf}" is not a calendar day. Use YYYY-MM-DD.`);
  }
  return asOf;
}

/** Refuses account ids that are not UUIDs before PostgreSQL would, with a message fit to show. */
export function checkAccountIds(accountIds: readonly string[]): void {
  const bad = accountIds.find((id) => !UUID.test(id));
  if (bad !== undefined) throw new AppError("bad_request", `"${bad}" is not an account id.`);
}
