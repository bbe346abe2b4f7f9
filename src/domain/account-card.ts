// What the account card shows (§2, §7): the account, current contacts, the order figures and the latest
// records (interactions, loyalty, open complaints, warning signs), as plain data.
import type { KeyCareStanding } from "./cadence.ts";
import { type CardClass, hideClassFigures } from "./classification.ts";
import {
  ageClockStart,
  awaitsResolution,
  type ComplaintAge,
  type ComplaintCategory,
  type ComplaintStatus,
  complaintAge,
  type ResponseTargets,
  type Severity,
} from "./complaints.ts";
import type { InteractionKind } from "./interactions.ts";
import type { LoyaltyTrend } from "./loyalty.ts";
import { SIGNAL } from "./risk/codes.ts";
import type { SignKind } from "./signs.ts";
import {
  compareWindows,
  type DayWindow,
  dominantCurrency,
  type MonthValue,
  monthlyValues,
  type OrderFact,
  type OrderGaps,
  orderGaps,
  type WindowComparison,
  type WindowStats,
} from "./trends.ts";

export const accountStatuses = ["active", "at_risk", "leaving", "lost", "blacklisted"] as const;
export type AccountStatus = (typeof accountStatuses)[number];

export const contactRoles = ["purchasing", "decision_maker", "user", "finance", "other"] as const;
export type ContactRole = (typeof contactRoles)[number];

export const contactRoleLabel: Record<ContactRole, string> = {
  purchasing: "Purchasing",
  decision_maker: "Decision maker",
  user: "User",
  finance: "Finance",
  other: "Other",
};

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

export type CardInteraction = {
  /** YYYY-MM-DD */
  occurredOn: string;
  kind: InteractionKind;
  /** Slack user ids of our people who took part. */
  ourParticipants: string[];
  /** Names of their contacts who took part (ended contacts too: it is history). */
  contactNames: string[];
  summary: string;
};

export type CardComplaint = {
  category: ComplaintCategory;
  severity: Severity;
  status: ComplaintStatus;
  description: string;
  ownerSlackId: string;
  /** The clock restarted when it was reopened. */
  reopened: boolean;
  age: ComplaintAge;
};

export type CardSign = {
  /** YYYY-MM-DD */
  observedOn: string;
  kind: SignKind;
  details: string;
  competitorName: string | null;
};

/** Records logged by the team (§7), newest or most urgent first; each list is cut, with its full count. */
export type CardRecords = {
  /** The latest interactions, newest first (at most CARD_INTERACTIONS). */
  interactions: CardInteraction[];
  /** From the loyalty reads of the latest interactions; `reads` is empty when none was recorded. */
  loyalty: LoyaltyTrend;
  /** Open complaints (not yet confirmed by the customer), most overdue first. */
  openComplaints: CardComplaint[];
  openComplaintCount: number;
  /** Warning signs of the last CARD_SIGN_DAYS days, newest first (at most CARD_SIGNS). */
  signs: CardSign[];
  signCount: number;
};

/** The latest saved risk assessment (daily scan), with the one before it for the trend. */
export type CardRisk = {
  asOf: string;
  risk: number;
  band: "low" | "medium" | "high" | "critical";
  verdict: "fight_hard" | "retain" | "let_go" | "blacklist_candidate";
  reasons: { code: string; text: string }[];
  pAlive: number | null;
  expectedOrders13w: number | null;
  previous: { asOf: string; risk: number; band: CardRisk["band"] } | null;
};

export type AccountCard = {
  account: AccountSummary;
  /** Whether the viewer may see margin and profit (§7 roles); when false the card carries none. */
  marginVisible: boolean;
  /** Null until a scan has assessed the account. */
  risk: CardRisk | null;
  /** §7 class (key, face, relationship, loyalty); null until a scan has classified the account. */
  classification: CardClass | null;
  contacts: CardContact[];
  /** Null when the account has no orders in the loaded history. */
  figures: CardFigures | null;
  /** The newest order ever, even one older than the loaded history. */
  lastOrderDay: string | null;
  records: CardRecords;
  /** §7 contact cadence and key dates ahead; absent or null when the account is not a cared-for key account. */
  keyCare?: KeyCareStanding | null;
};

export const CARD_INTERACTIONS = 3;
export const CARD_LOYALTY_READS = 5;
export const CARD_COMPLAINTS = 5;
/** Open complaints loaded to rank by urgency; an account with more still shows the full count. */
export const CARD_COMPLAINTS_LOADED = 50;
export const CARD_SIGNS = 5;
export const CARD_SIGN_DAYS = 90;

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

/**
 * The open complaints to show: the most overdue first, then those still being worked on by how close
 * they are to their target, then the oldest.
 */
export function rankOpenComplaints(
  complaints: readonly (Omit<CardComplaint, "age" | "reopened"> & {
    createdAt: Date;
    reopenedAt: Date | null;
  })[],
  now: Date,
  targets: ResponseTargets,
): CardComplaint[] {
  return complaints
    .map(({ createdAt, reopenedAt, ...complaint }) => {
      const since = ageClockStart(createdAt, reopenedAt ? [{ toStatus: "reopened", at: reopenedAt }] : []);
      return {
        ...complaint,
        reopened: since === reopenedAt,
        age: complaintAge({ ...complaint, since }, now, targets),
      };
    })
    .sort(
      (a, b) =>
        b.age.overdueDays - a.age.overdueDays ||
        // Resolved ones wait only for the customer's word: after those still being worked on.
        Number(awaitsResolution(b.status)) - Number(awaitsResolution(a.status)) ||
        a.age.targetDays - a.age.ageDays - (b.age.targetDays - b.age.ageDays) ||
        b.age.ageDays - a.age.ageDays,
    );
}

/** Risk reasons that quote margins or profit, and what a viewer who may not see them reads instead. */
const marginReasonText: Record<string, string> = {
  [SIGNAL.marginDecline]: "margin falling (figures for managers)",
  [SIGNAL.unprofitable]: "no profit lately (figures for managers)",
};

/** A risk reason as one who may not see margins reads it: what it is about, without the figures. */
export function withoutMarginFigures<T extends { code: string; text: string }>(reason: T): T {
  const text = marginReasonText[reason.code];
  return text === undefined ? reason : { ...reason, text };
}

/** Window figures without profit, margin or cost, for one who may not see them. */
export function withoutProfit(stats: WindowStats): WindowStats {
  return { ...stats, costKnownAmount: 0n, cost: 0n, profit: null, marginPct: null, costCoverage: null };
}

function windowWithoutProfit(window: DayWindow): DayWindow {
  return { ...window, stats: withoutProfit(window.stats) };
}

/**
 * The card as a viewer who may not see margins gets it (§7 roles): no profit, margin or cost in the
 * figures, and the reasons that quote them say what they are about without the numbers.
 */
export function hideMargin(card: AccountCard): AccountCard {
  const figures = card.figures && {
    ...card.figures,
    comparison: {
      ...card.figures.comparison,
      current: windowWithoutProfit(card.figures.comparison.current),
      previous: windowWithoutProfit(card.figures.comparison.previous),
      yearAgo: windowWithoutProfit(card.figures.comparison.yearAgo),
      vsPrevious: { ...card.figures.comparison.vsPrevious, profitPct: null, marginPts: null },
      vsYearAgo: { ...card.figures.comparison.vsYearAgo, profitPct: null, marginPts: null },
    },
  };
  const risk = card.risk && {
    ...card.risk,
    reasons: card.risk.reasons.map((reason) =>
      withoutMarginFigures({ code: reason.code, text: reason.text }),
    ),
  };
  const classification = card.classification && hideClassFigures(card.classification);
  return { ...card, marginVisible: false, figures, risk, classification };
}
