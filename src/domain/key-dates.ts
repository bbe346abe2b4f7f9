// Key dates of an account (§7 steady contact): contacts' birthdays, the founding and first-order
// anniversaries and configured holidays, within the notice window. Pure; days are YYYY-MM-DD.
import { addDays } from "./home.ts";
import { daysBetween } from "./interactions.ts";

/** A holiday every year on a month-day, or once on a date. */
export type Holiday = Readonly<
  { name: string } & ({ month: number; day: number; date?: undefined } | { date: string; month?: undefined })
>;

export const keyDateKinds = [
  "birthday",
  "founding_anniversary",
  "first_order_anniversary",
  "holiday",
] as const;
export type KeyDateKind = (typeof keyDateKinds)[number];

export type KeyDate = {
  kind: KeyDateKind;
  /** What it is about: the contact's id for a birthday, the holiday's name; "" when the kind says it all. */
  subject: string;
  /** The contact's or the holiday's name; null for anniversaries. */
  name: string | null;
  /** YYYY-MM-DD: the day itself (in a year without 29 February, a 29 February date falls on the 28th). */
  occasionOn: string;
  /** Days from today: 0 is today. */
  daysAhead: number;
  /** Anniversaries: how many years; null for birthdays (ages are not ours to announce) and holidays. */
  years: number | null;
};

export type KeyDateInput = {
  today: string;
  /** Days ahead the owner is told: 3 means today up to three days from now. */
  noticeDays: number;
  /** Current contacts with a birthday (YYYY-MM-DD; the year is ignored). */
  contacts: readonly { id: string; name: string; birthday: string }[];
  foundedOn: string | null;
  firstOrderOn: string | null;
  holidays: readonly Holiday[];
};

const MONTH_DAY = /^(\d{2})-(\d{2})$/;
const FULL_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MAX_HOLIDAY_NAME = 80;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function iso(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * Reads HOLIDAYS, e.g. "01-01 New Year, 12-25 Christmas, 2027-02-06 Spring Festival": comma-separated,
 * each a month-day (every year) or a full date (once), a space and the holiday's name.
 */
export function parseHolidays(text: string): Holiday[] | { error: string } {
  const holidays: Holiday[] = [];
  const problems: string[] = [];
  for (const part of text.split(",")) {
    const entry = part.trim();
    if (entry === "") continue;
    const space = entry.search(/\s/);
    const when = space === -1 ? entry : entry.slice(0, space);
    const name = space === -1 ? "" : entry.slice(space).trim();
    if (name === "") {
      problems.push(`"${entry}" has no name: write the day, a space and the name (e.g. 12-25 Christmas)`);
      continue;
    }
    if (name.length > MAX_HOLIDAY_NAME) {
      problems.push(`"${name.slice(0, 20)}…" is longer than ${MAX_HOLIDAY_NAME} characters`);
      continue;
    }
    const monthDay = MONTH_DAY.exec(when);
    const full = FULL_DAY.exec(when);
    if (monthDay) {
      const month = Number(monthDay[1]);
      const day = Number(monthDay[2]);
      // 2000 is a leap year: 02-29 is a valid recurring day (observed on the 28th in other years).
      if (month < 1 || month > 12 || day < 1 || day > daysInMonth(2000, month)) {
        problems.push(`"${when}" is not a month-day (MM-DD, e.g. 12-25)`);
        continue;
      }
      holidays.push(Object.freeze({ name, month, day }));
    } else if (full) {
      const [year, month, day] = [Number(full[1]), Number(full[2]), Number(full[3])];
      if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
        problems.push(`"${when}" is not a date (YYYY-MM-DD, e.g. 2027-02-06)`);
        continue;
      }
      holidays.push(Object.freeze({ name, date: when }));
    } else {
      problems.push(`"${when}" is neither MM-DD (every year) nor YYYY-MM-DD (once)`);
    }
  }
  const names = new Set<string>();
  for (const holiday of holidays) {
    const key = `${holiday.date ?? iso(0, holiday.month ?? 0, holiday.day ?? 0)} ${holiday.name}`;
    if (names.has(key)) problems.push(`"${holiday.name}" is given twice for the same day`);
    names.add(key);
  }
  if (problems.length > 0) {
    return {
      error: `${problems.join("; ")}. Example: 01-01 New Year, 12-25 Christmas, 2027-02-06 Spring Festival`,
    };
  }
  return holidays;
}

/** That month-day in `year`; 29 February falls on the 28th in a year without it. */
function inYear(year: number, month: number, day: number): string {
  return iso(year, month, Math.min(day, daysInMonth(year, month)));
}

/** The next day on or after `today` that falls on this month-day, with its year. */
export function nextOccurrence(today: string, month: number, day: number): { on: string; year: number } {
  const year = Number(today.slice(0, 4));
  const thisYear = inYear(year, month, day);
  return thisYear >= today ? { on: thisYear, year } : { on: inYear(year + 1, month, day), year: year + 1 };
}

function partsOf(day: string): { year: number; month: number; day: number } {
  return { year: Number(day.slice(0, 4)), month: Number(day.slice(5, 7)), day: Number(day.slice(8, 10)) };
}

/**
 * The key dates from today up to `noticeDays` ahead, soonest first (then by kind and subject, so the
 * order is stable). Anniversaries count from the year after; a date in the future counts nothing.
 */
export function upcomingKeyDates(input: KeyDateInput): KeyDate[] {
  const { today } = input;
  const last = addDays(today, Math.max(0, input.noticeDays));
  const found: KeyDate[] = [];
  const add = (date: Omit<KeyDate, "daysAhead">) => {
    if (date.occasionOn >= today && date.occasionOn <= last) {
      found.push({ ...date, daysAhead: daysBetween(today, date.occasionOn) });
    }
  };
  for (const contact of input.contacts) {
    const birthday = partsOf(contact.birthday);
    const next = nextOccurrence(today, birthday.month, birthday.day);
    add({ kind: "birthday", subject: contact.id, name: contact.name, occasionOn: next.on, years: null });
  }
  const anniversaries: [KeyDateKind, string | null][] = [
    ["founding_anniversary", input.foundedOn],
    ["first_order_anniversary", input.firstOrderOn],
  ];
  for (const [kind, since] of anniversaries) {
    if (since === null) continue;
    const start = partsOf(since);
    const next = nextOccurrence(today, start.month, start.day);
    const years = next.year - start.year;
    if (years >= 1) add({ kind, subject: "", name: null, occasionOn: next.on, years });
  }
  for (const holiday of input.holidays) {
    const on =
      holiday.date !== undefined ? holiday.date : nextOccurrence(today, holiday.month, holiday.day).on;
    add({ kind: "holiday", subject: holiday.name, name: holiday.name, occasionOn: on, years: null });
  }
  const kindOrder = (kind: KeyDateKind) => keyDateKinds.indexOf(kind);
  return found.sort(
    (a, b) =>
      a.occasionOn.localeCompare(b.occasionOn) ||
      kindOrder(a.kind) - kindOrder(b.kind) ||
      a.subject.localeCompare(b.subject),
  );
}
