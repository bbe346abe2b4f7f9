// What the account card shows (§2): the account, current contacts and the order figures, as plain data.
import {
  compareWindows,
  dominantCurrency,
  type MonthValue,
  monthlyValues,
  type OrderFact,
  type OrderGaps,
  orderGaps,
  type WindowComparison,
} from "./trends.ts";

export const accountStatuses = ["active", "at_risk", "leaving", "lost", "blacklisted"] as const;
export type AccountStatus = (typeof accountStatuses)[number];

export const contactRoles = ["purchasing", "decision_maker", "user", "finance", "other"] as const;
export type ContactRole = (typeof contactRoles)[number];

export type AccountSummary = {
  id: string;
  externalId: string;
  name: string;
  aliases: string[];
  ownerSlackId: string | null;
  channelId: string | null;
  segment: string | null;
  region: string | null;
  status: AccountStatus;
};

export type CardContact = {
  name: string;
  role: ContactRole;
  email: string | null;
  phone: string | null;
};

export type CardFigures = {
  currency: string;
  comparison: WindowComparison;
  gaps: OrderGaps;
  months: MonthValue[];
  /** Orders in the loaded history that are in another currency and so not in the money figures. */
  otherCurrencyOrders: number;
};

export type AccountCard = {
  account: AccountSummary;
  contacts: CardContact[];
  /** Null when the account has no orders in the loaded history. */
  figures: CardFigures | null;
  /** The newest order ever, even one older than the loaded history. */
  lastOrderDay: string | null;
};

/** Days of order history the card needs: 90 + 90 days, the same 90 a year ago, 12 months, and gap history. */
export const CARD_HISTORY_DAYS = 800;

const roleOrder: Record<ContactRole, number> = {
  purchasing: 0,
  decision_maker: 1,
  finance: 2,
  user: 3,
  other: 4,
};

/** Purchasing contact first (§3: the person whose change is the first warning sign), then by influence. */
export function sortContacts<T extends { role: ContactRole; name: string }>(contacts: readonly T[]): T[] {
  return [...contacts].sort((a, b) => roleOrder[a.role] - roleOrder[b.role] || a.name.localeCompare(b.name));
}

export function buildCardFigures(
  orders: readonly OrderFact[],
  now: Date,
  timeZone: string,
): CardFigures | null {
  const currency = dominantCurrency(orders);
  if (currency === null) return null;
  return {
    currency,
    comparison: compareWindows(orders, now, timeZone, currency, 90),
    gaps: orderGaps(orders, now, timeZone),
    months: monthlyValues(orders, now, timeZone, currency, 12),
    otherCurrencyOrders: orders.filter((order) => order.currency.toUpperCase() !== currency).length,
  };
}
