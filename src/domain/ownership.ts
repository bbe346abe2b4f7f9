// §7 customers belong to the company: who owns an account, handing accounts over, and what a departing
// rep leaves behind (their accounts ranked by what is at stake; the key dates the new owner must know). Pure.

const MS_PER_DAY = 86_400_000;

/** Days ahead a handover brief looks for birthdays and anniversaries. */
export const KEY_DATE_DAYS = 60;

export type KeyDateKind = "birthday" | "founding_anniversary" | "first_order_anniversary";

export type KeyDateSource = {
  kind: KeyDateKind;
  /** Whose day: the contact's name, or the account's. */
  label: string;
  /** The original day, `YYYY-MM-DD` (a birthday, the founding day, the first order's day). */
  day: string;
};

export type KeyDate = KeyDateSource & {
  /** The next occurrence on or after today, `YYYY-MM-DD`. */
  on: string;
  /** Days from today (0 = today). */
  inDays: number;
  /** Years since the original day at that occurrence (a birthday's age is not shown, but it is known). */
  years: number;
};

function dayNumber(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / MS_PER_DAY;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** The month-day of `day` in `year`; 29 February falls on the 28th in other years. */
function inYear(day: string, year: number): string {
  const monthDay = day.slice(5);
  const fitted = monthDay === "02-29" && !isLeap(year) ? "02-28" : monthDay;
  return `${String(year).padStart(4, "0")}-${fitted}`;
}

/**
 * The birthdays and anniversaries that fall within `withinDays` of `today` (today included), soonest
 * first. An anniversary needs at least one whole year (the first order placed today is no anniversary).
 */
export function upcomingKeyDates(
  sources: readonly KeyDateSource[],
  today: string,
  withinDays: number = KEY_DATE_DAYS,
): KeyDate[] {
  const todayYear = Number(today.slice(0, 4));
  const todayNumber = dayNumber(today);
  const found: KeyDate[] = [];
  for (const source of sources) {
    const originYear = Number(source.day.slice(0, 4));
    for (const year of [todayYear, todayYear + 1]) {
      const on = inYear(source.day, year);
      const inDays = dayNumber(on) - todayNumber;
      if (inDays < 0 || inDays > withinDays) continue;
      const years = year - originYear;
      if (years < 1) continue;
      found.push({ ...source, on, inDays, years });
      break;
    }
  }
  return found.sort((a, b) => a.inDays - b.inDays || a.label.localeCompare(b.label));
}

export type AccountAtStake = {
  accountId: string;
  name: string;
  /** Order value of the last twelve months, minor units of `currency` (0 without orders). */
  revenue12m: bigint;
  currency: string | null;
  /** The latest risk assessment; null before the first scan. */
  risk: { band: "low" | "medium" | "high" | "critical"; risk: number } | null;
};

const bandRank = { critical: 0, high: 1, medium: 2, low: 3 } as const;

/**
 * A departing rep's accounts, most at stake first: the riskier band first (unscored last), then the
 * larger twelve-month revenue, then the higher risk score, then by name. Revenues in different
 * currencies are compared as numbers only as a last resort within a band; each line shows its currency.
 */
export function rankAccountsAtStake<T extends AccountAtStake>(accounts: readonly T[]): T[] {
  return [...accounts].sort((a, b) => {
    const bandA = a.risk ? bandRank[a.risk.band] : 4;
    const bandB = b.risk ? bandRank[b.risk.band] : 4;
    if (bandA !== bandB) return bandA - bandB;
    if (a.revenue12m !== b.revenue12m) return a.revenue12m > b.revenue12m ? -1 : 1;
    const riskA = a.risk?.risk ?? -1;
    const riskB = b.risk?.risk ?? -1;
    return riskB - riskA || a.name.localeCompare(b.name) || a.accountId.localeCompare(b.accountId);
  });
}
