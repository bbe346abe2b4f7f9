// What a rep's App Home tab shows (§7 steady contact, listen to complaints): their accounts, open
// complaints, follow-ups due this week and recent signs, as plain data, one page per section.
import type { AccountStatus, CardComplaint } from "./account-card.ts";
import type { KeyCareStanding } from "./cadence.ts";
import type { ClassFields } from "./classification.ts";
import type { SignKind } from "./signs.ts";

export const homeSections = ["accounts", "complaints", "followUps", "signs"] as const;
export type HomeSection = (typeof homeSections)[number];

/** The page shown of each section, 0 first. */
export type HomePages = Record<HomeSection, number>;

export const firstPages: HomePages = { accounts: 0, complaints: 0, followUps: 0, signs: 0 };

/** Rows per page. The view's block budget (src/slack/views/home.ts) is derived from these. */
export const HOME_PAGE_SIZE: Readonly<Record<HomeSection, number>> = {
  accounts: 20,
  complaints: 10,
  followUps: 10,
  signs: 10,
};

/** Signs on the Home tab: those observed in the last this many days. */
export const HOME_SIGN_DAYS = 30;

export type HomePage<T> = {
  items: T[];
  /** The page shown, after clamping to the pages there are. */
  page: number;
  pageSize: number;
  /** Rows in the whole section, not only this page. */
  total: number;
};

export type HomeAccount = {
  id: string;
  name: string;
  status: AccountStatus;
  /** Day of the latest interaction logged; null when none ever was. */
  lastContactOn: string | null;
  daysSinceContact: number | null;
  /** §7 its newest class; null until a scan has classified it. */
  classification: ClassFields | null;
};

export type HomeComplaint = CardComplaint & { id: string; accountName: string };

export type HomeFollowUp = {
  id: string;
  accountName: string;
  description: string;
  dueOn: string;
  /** Days past due: positive when overdue, 0 when due today, negative when still ahead. */
  daysLate: number;
};

export type HomeSign = {
  accountName: string;
  observedOn: string;
  kind: SignKind;
  details: string;
  competitorName: string | null;
};

export type HomeData = {
  userId: string;
  today: string;
  /** Last day (Sunday) of the current week: follow-ups due up to it are listed. */
  weekEndsOn: string;
  accounts: HomePage<HomeAccount>;
  complaints: HomePage<HomeComplaint> & { overdue: number };
  followUps: HomePage<HomeFollowUp> & { overdue: number };
  signs: HomePage<HomeSign>;
  /** §7 the user's key accounts by urgency of contact, with key dates ahead (at most HOME_KEY_CARE_ROWS). */
  keyCare?: { items: KeyCareStanding[]; total: number; overdue: number };
};

/** Key accounts listed on the Home tab's cadence section; the rest are counted. */
export const HOME_KEY_CARE_ROWS = 15;

/** Nothing to show: the tab welcomes the user instead. */
export function isEmptyHome(data: HomeData): boolean {
  return homeSections.every((section) => data[section].total === 0);
}

/** The page to show: the one asked for, or the last one when the list has since become shorter. */
export function clampPage(page: number, total: number, pageSize: number): number {
  const lastPage = Math.max(0, Math.ceil(total / pageSize) - 1);
  return Math.min(Math.max(0, Math.trunc(page)), lastPage);
}

const MS_PER_DAY = 86_400_000;

/** Calendar arithmetic on YYYY-MM-DD days (no time zone: they already are local days). */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The Sunday ending the (Monday-first, ISO) week that holds `day`. */
export function endOfWeek(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, weekday === 0 ? 0 : 7 - weekday);
}
