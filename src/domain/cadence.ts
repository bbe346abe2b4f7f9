// Contact cadence of key accounts (§7 steady contact): the most days allowed without contact per class,
// and where an account stands against it. Pure: days are YYYY-MM-DD calendar days in the owner's zone.
import { addDays } from "./home.ts";
import { daysBetween } from "./interactions.ts";
import type { Holiday, KeyDate } from "./key-dates.ts";

export const customerFaces = ["red", "white", "black"] as const;
export type CustomerFace = (typeof customerFaces)[number];

/** Most days without contact: `key` for every key account, a face's own value over it. */
export type CadenceDays = Readonly<{ key: number } & Partial<Record<CustomerFace, number>>>;

export const defaultCadenceDays: CadenceDays = Object.freeze({ key: 30 });

const MAX_CADENCE_DAYS = 3650;
const cadenceKeys = ["key", ...customerFaces] as const;

/**
 * Reads CADENCE_DAYS, e.g. "key=30,red=21,white=30,black=45": any subset, `key` being the default
 * of faces not given (30 when not given itself). Every problem is named in one message.
 */
export function parseCadenceDays(text: string): CadenceDays | { error: string } {
  const days: Partial<Record<(typeof cadenceKeys)[number], number>> = {};
  const problems: string[] = [];
  for (const part of text.split(",")) {
    const entry = part.trim();
    if (entry === "") continue;
    const match = /^([a-z]+)\s*=\s*(\d{1,5})$/i.exec(entry);
    const name = match?.[1]?.toLowerCase();
    if (!match || !name) {
      problems.push(`"${entry}" is not class=days (e.g. red=21)`);
      continue;
    }
    if (!(cadenceKeys as readonly string[]).includes(name)) {
      problems.push(`"${name}" is not a class: use key, red, white or black`);
      continue;
    }
    const value = Number(match[2]);
    if (value < 1 || value > MAX_CADENCE_DAYS) {
      problems.push(`${name}=${match[2]}: days must be between 1 and ${MAX_CADENCE_DAYS}`);
      continue;
    }
    if (days[name as keyof typeof days] !== undefined) {
      problems.push(`${name} is given twice`);
      continue;
    }
    days[name as keyof typeof days] = value;
  }
  if (problems.length > 0)
    return { error: `${problems.join("; ")}. Example: key=30,red=21,white=30,black=45` };
  return Object.freeze({ ...days, key: days.key ?? defaultCadenceDays.key });
}

/** The most days a key account of this face may go without contact. */
export function cadenceLimit(days: CadenceDays, face: CustomerFace | null): number {
  return (face ? days[face] : undefined) ?? days.key;
}

export type CadenceInput = {
  /** Day of the newest interaction logged; null when none ever was. */
  lastContactOn: string | null;
  /** Day the account became key (the current run of key classes). */
  keySince: string | null;
  /** Day of the account's first order; null without orders. */
  firstOrderOn: string | null;
  limitDays: number;
  today: string;
};

export type CadenceStatus = {
  lastContactOn: string | null;
  /** The day the clock runs from: the last contact, else when it became key or its first order. */
  since: string;
  limitDays: number;
  /** Days from `since` to today. */
  daysSince: number;
  /** Days past the limit; 0 while within it (on the limit's last day too). */
  overdueDays: number;
  /** Days left until the limit's last day; 0 on that day, negative once overdue. */
  dueInDays: number;
  /** The first overdue day: the cadence reminder's occasion; a new contact starts a new one. */
  overdueOn: string;
};

/**
 * Where a key account stands against its cadence. Without any contact logged the clock starts at the
 * later of the day it became key and its first order: nobody was expected to call before either.
 * Null when there is no day to start from. Exactly `limitDays` after the last contact is still due
 * (today is the last day), the day after is overdue by 1.
 */
export function cadenceStatus(input: CadenceInput): CadenceStatus | null {
  const starts = [input.keySince, input.firstOrderOn].filter((day): day is string => day !== null).sort();
  const since = input.lastContactOn ?? starts.at(-1) ?? null;
  if (since === null) return null;
  const daysSince = Math.max(0, daysBetween(since, input.today));
  const dueInDays = input.limitDays - daysSince;
  return {
    lastContactOn: input.lastContactOn,
    since,
    limitDays: input.limitDays,
    daysSince,
    overdueDays: Math.max(0, -dueInDays),
    dueInDays,
    overdueOn: addDays(since, input.limitDays + 1),
  };
}

/** The settings of cadence and key-date reminders (CADENCE_DAYS, HOLIDAYS, KEY_DATE_NOTICE_DAYS, OWNER_REMINDER_HOUR). */
export type KeyCareSettings = Readonly<{
  cadenceDays: CadenceDays;
  holidays: readonly Holiday[];
  /** Key dates are announced from this many days ahead. */
  noticeDays: number;
  /** Local hour (0–23, in each owner's time zone) at which owners get their reminders. */
  reminderHour: number;
}>;

export const defaultKeyCareSettings: KeyCareSettings = Object.freeze({
  cadenceDays: defaultCadenceDays,
  holidays: Object.freeze([]),
  noticeDays: 3,
  reminderHour: 9,
});

export type LastInteraction = {
  occurredOn: string;
  kind: "visit" | "call" | "email" | "meeting" | "event" | "other";
  summary: string;
};

/** A key account's standing for the card and the Home tab: its cadence and key dates ahead. */
export type KeyCareStanding = {
  accountId: string;
  accountName: string;
  face: CustomerFace | null;
  /** Null when there is no day to count from. */
  cadence: CadenceStatus | null;
  /** From today up to the notice days ahead, soonest first. */
  keyDates: KeyDate[];
};

/** Overdue ones first (longest first), then the soonest due, then those with a key date soonest. */
export function byUrgency(a: KeyCareStanding, b: KeyCareStanding): number {
  const due = (s: KeyCareStanding) => s.cadence?.dueInDays ?? Number.POSITIVE_INFINITY;
  const date = (s: KeyCareStanding) => s.keyDates[0]?.daysAhead ?? Number.POSITIVE_INFINITY;
  return (
    due(a) - due(b) ||
    date(a) - date(b) ||
    a.accountName.localeCompare(b.accountName) ||
    a.accountId.localeCompare(b.accountId)
  );
}
