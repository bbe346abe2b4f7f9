// §3 and §7 from the team's records: complaints, loyalty reads and warning signs, fading with age;
// and §2.4 payment behaviour from receivables.
import type { ContactRole } from "../account-card.ts";
import {
  ageClockStart,
  awaitsResolution,
  type ComplaintCategory,
  type ComplaintStatus,
  categoryLabel,
  complaintAge,
  isOpenComplaint,
  type ResponseTargets,
  type Severity,
  severities,
  severityLabel,
} from "../complaints.ts";
import { type LoyaltyRead, loyaltyTrend } from "../loyalty.ts";
import { formatMoney } from "../money.ts";
import { type CompetitorMove, competitorMoveLabel, type SignKind } from "../signs.ts";
import { SIGNAL, type SignalCode } from "./codes.ts";
import { clamp01, dayNumber, daysBefore, formatAgo, roundStrength, todayNumber } from "./days.ts";
import type { Signal } from "./signal.ts";

const MS_PER_DAY = 86_400_000;

/** How far back each kind of record is read; the scan service loads at least this much. */
export const RECORD_LOOKBACK = {
  /** Complaints raised within this many days count towards "repeated complaints". */
  repeatedComplaintDays: 90,
  signDays: 365,
  loyaltyDays: 365,
} as const;

/** A complaint as the scan loads it: every open one, and every one raised in the last 90 days. */
export type RiskComplaint = {
  category: ComplaintCategory;
  severity: Severity;
  status: ComplaintStatus;
  createdAt: Date;
  /** The latest reopening, if any: the age clock restarts there. */
  reopenedAt: Date | null;
};

export type RiskLoyaltyRead = {
  /** YYYY-MM-DD of the interaction it was read in. */
  occurredOn: string;
  read: LoyaltyRead;
};

/** A warning sign (§3) as recorded. */
export type RiskSign = {
  kind: SignKind;
  /** YYYY-MM-DD */
  observedOn: string;
  details: string;
  competitorName: string | null;
  competitorMoves: readonly CompetitorMove[];
  /** Contact change: the role that changed hands (the new contact's role). */
  changedRole: ContactRole | null;
};

export type RecordSignalsInput = {
  /** The team's time zone: record dates are calendar days there. */
  timeZone: string;
  responseTargets: ResponseTargets;
  complaints: readonly RiskComplaint[];
  loyaltyReads: readonly RiskLoyaltyRead[];
  signs: readonly RiskSign[];
};

// ---- complaints ----------------------------------------------------------------------------

const severityRank: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };
/** Strength of one overdue complaint before its days past target are added. */
const overdueBase: Record<Severity, number> = { low: 0.2, medium: 0.3, high: 0.45, critical: 0.6 };
/** An open complaint within its target is a mild sign; one awaiting only the customer's word counts half. */
const openBase: Record<Severity, number> = { low: 0.1, medium: 0.15, high: 0.25, critical: 0.35 };

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function complaintSignals(input: RecordSignalsInput, asOf: Date): Signal[] {
  const signals: Signal[] = [];
  const open = input.complaints
    .filter((c) => isOpenComplaint(c.status))
    .map((c) => {
      const since = ageClockStart(
        c.createdAt,
        c.reopenedAt ? [{ toStatus: "reopened", at: c.reopenedAt }] : [],
      );
      return { complaint: c, age: complaintAge({ ...c, since }, asOf, input.responseTargets) };
    });

  const overdue = open
    .filter((o) => o.age.overdueDays > 0)
    .sort(
      (a, b) =>
        severityRank[b.complaint.severity] - severityRank[a.complaint.severity] ||
        b.age.overdueDays - a.age.overdueDays,
    );
  const worst = overdue[0];
  if (worst) {
    const { severity, category } = worst.complaint;
    signals.push({
      code: SIGNAL.complaintOverdue,
      source: "records",
      strength: roundStrength(
        Math.min(
          0.9,
          overdueBase[severity] + Math.min(0.3, 0.015 * worst.age.overdueDays) + 0.05 * (overdue.length - 1),
        ),
      ),
      strong: severityRank[severity] >= severityRank.high || worst.age.overdueDays >= 14,
      text:
        `${severityLabel[severity]} complaint (${categoryLabel[category].toLowerCase()}) ` +
        `${plural(worst.age.overdueDays, "day")} past its ${worst.age.targetDays}-day target, ` +
        `open ${plural(worst.age.ageDays, "day")}` +
        (overdue.length > 1 ? `; ${overdue.length} complaints overdue` : ""),
    });
  }

  const withinTarget = open.filter((o) => o.age.overdueDays === 0);
  if (withinTarget.length > 0) {
    const top = Math.max(
      ...withinTarget.map(
        (o) => openBase[o.complaint.severity] * (awaitsResolution(o.complaint.status) ? 1 : 0.5),
      ),
    );
    const mostSevere = severities[Math.max(...withinTarget.map((o) => severityRank[o.complaint.severity]))];
    const oldest = Math.max(...withinTarget.map((o) => o.age.ageDays));
    signals.push({
      code: SIGNAL.complaintOpen,
      source: "records",
      strength: roundStrength(Math.min(0.5, top + 0.05 * (withinTarget.length - 1))),
      strong: false,
      text:
        `${plural(withinTarget.length, "open complaint")} within target ` +
        `(most severe: ${mostSevere}, oldest ${plural(oldest, "day")})`,
    });
  }

  const windowMs = RECORD_LOOKBACK.repeatedComplaintDays * MS_PER_DAY;
  const recent = input.complaints.filter((c) => {
    const age = asOf.getTime() - c.createdAt.getTime();
    return age >= 0 && age < windowMs;
  });
  if (recent.length >= 2) {
    const byCategory = new Map<ComplaintCategory, number>();
    for (const c of recent) byCategory.set(c.category, (byCategory.get(c.category) ?? 0) + 1);
    const categories = [...byCategory]
      .sort((a, b) => b[1] - a[1] || categoryLabel[a[0]].localeCompare(categoryLabel[b[0]]))
      .map(([category, n]) => `${categoryLabel[category]}${n > 1 ? ` \u00d7${n}` : ""}`);
    signals.push({
      code: SIGNAL.complaintsRepeated,
      source: "records",
      strength: roundStrength(Math.min(0.55, 0.25 + 0.1 * (recent.length - 2))),
      strong: recent.length >= 3,
      text: `${recent.length} complaints in the last ${RECORD_LOOKBACK.repeatedComplaintDays} days (${categories.join(", ")})`,
    });
  }
  return signals;
}

// ---- loyalty -------------------------------------------------------------------------------

/** Half of a read's weight is gone after this many days: people's moods move slower than orders. */
const LOYALTY_HALF_LIFE_DAYS = 180;

function decay(ageDays: number, halfLifeDays: number): number {
  return 0.5 ** (ageDays / halfLifeDays);
}

function loyaltySignals(input: RecordSignalsInput, today: number): Signal[] {
  const reads = input.loyaltyReads
    .map((r) => ({ ...r, age: daysBefore(today, r.occurredOn) }))
    .filter((r) => r.age <= RECORD_LOOKBACK.loyaltyDays)
    .sort((a, b) => a.age - b.age);
  const latest = reads[0];
  if (!latest) return [];
  const trend = loyaltyTrend(reads.map((r) => r.read));
  const before = reads[1];
  if (latest.read === "disloyal") {
    const disloyalAgain = reads.slice(1, 3).some((r) => r.read === "disloyal");
    return [
      {
        code: SIGNAL.loyaltyDisloyal,
        source: "records",
        strength: roundStrength(0.55 * decay(latest.age, LOYALTY_HALF_LIFE_DAYS) + (disloyalAgain ? 0.1 : 0)),
        strong: latest.age <= 90,
        text:
          `last loyalty read: disloyal (${formatAgo(latest.age)})` +
          (before ? (disloyalAgain ? ", disloyal before too" : `, ${before.read} before`) : ""),
      },
    ];
  }
  if (trend.direction === "worsening" && before) {
    return [
      {
        code: SIGNAL.loyaltyWorsening,
        source: "records",
        strength: roundStrength(0.25 * decay(latest.age, LOYALTY_HALF_LIFE_DAYS)),
        strong: false,
        text: `loyalty worsening: ${latest.read} ${formatAgo(latest.age)}, ${before.read} before`,
      },
    ];
  }
  return [];
}

// ---- warning signs -------------------------------------------------------------------------

/**
 * How much each kind of sign says on its own when fresh, and how fast it fades. Strategy and
 * procurement changes play out over months; a new contact or our rep leaving matters most in the
 * weeks of the handover; a complaint escalation is acute.
 */
const signRules: Record<SignKind, { base: number; halfLifeDays: number; strong: boolean }> = {
  strategy_change: { base: 0.55, halfLifeDays: 180, strong: true },
  procurement_reform: { base: 0.45, halfLifeDays: 180, strong: false },
  contact_change: { base: 0.5, halfLifeDays: 90, strong: true },
  complaint_escalation: { base: 0.55, halfLifeDays: 60, strong: true },
  competitor_activity: { base: 0.45, halfLifeDays: 90, strong: true },
  rep_leaving: { base: 0.45, halfLifeDays: 60, strong: true },
  payment_problem: { base: 0.35, halfLifeDays: 90, strong: false },
  other: { base: 0.2, halfLifeDays: 90, strong: false },
};
/** A strong kind of sign stays strong (alone worth a warning) for this many days. */
export const STRONG_SIGN_DAYS = 60;
/** A contact change outside purchasing and the decision maker says less. */
const OTHER_CONTACT_BASE = 0.2;
/** Luring the customer away is the most direct competitor move. */
const POACHING_BASE = 0.55;

const signCodeOf: Record<Exclude<SignKind, "contact_change">, SignalCode> = {
  strategy_change: SIGNAL.strategyChange,
  procurement_reform: SIGNAL.procurementReform,
  complaint_escalation: SIGNAL.complaintEscalation,
  competitor_activity: SIGNAL.competitorActivity,
  rep_leaving: SIGNAL.repLeaving,
  payment_problem: SIGNAL.paymentProblem,
  other: SIGNAL.otherSign,
};

function isKeyRole(role: ContactRole | null): boolean {
  return role === "purchasing" || role === "decision_maker";
}

function codeOfSign(sign: RiskSign): SignalCode {
  if (sign.kind !== "contact_change") return signCodeOf[sign.kind];
  if (sign.changedRole === "purchasing") return SIGNAL.purchasingContactChanged;
  if (sign.changedRole === "decision_maker") return SIGNAL.decisionMakerChanged;
  return SIGNAL.contactChanged;
}

function baseOfSign(sign: RiskSign): number {
  if (sign.kind === "contact_change" && !isKeyRole(sign.changedRole)) return OTHER_CONTACT_BASE;
  if (sign.kind === "competitor_activity" && sign.competitorMoves.includes("poaching")) return POACHING_BASE;
  return signRules[sign.kind].base;
}

function snippet(details: string, max = 80): string {
  const text = details.replace(/\s+/g, " ").trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}\u2026` : text;
}

function signText(sign: RiskSign, age: number): string {
  const ago = formatAgo(age);
  const about = sign.details.trim() ? `: ${snippet(sign.details)}` : "";
  switch (sign.kind) {
    case "contact_change":
      if (sign.changedRole === "purchasing") return `purchasing contact changed ${ago}`;
      if (sign.changedRole === "decision_maker") return `decision maker changed ${ago}`;
      return `${sign.changedRole === null ? "a" : sign.changedRole} contact changed ${ago}`;
    case "competitor_activity": {
      const moves = sign.competitorMoves.map((m) => competitorMoveLabel[m].toLowerCase()).join(", ");
      return `competitor activity ${ago}: ${sign.competitorName ?? "unnamed competitor"}${moves ? ` (${moves})` : ""}`;
    }
    case "strategy_change":
      return `customer strategy change ${ago}${about}`;
    case "procurement_reform":
      return `procurement reform ${ago}${about}`;
    case "rep_leaving":
      return `our rep is leaving (noted ${ago})`;
    case "payment_problem":
      return `payment problem ${ago}${about}`;
    case "complaint_escalation":
      return `complaint escalating ${ago}${about}`;
    case "other":
      return `warning sign ${ago}${about}`;
  }
}

/**
 * One signal per code. Each sign fades by half every `halfLifeDays`; several signs of one code add
 * up (1 − Π(1 − s)) but never beyond 1.25 × the strongest one's fresh strength: the same news
 * logged twice is not twice the news.
 */
function signSignals(input: RecordSignalsInput, today: number): Signal[] {
  const byCode = new Map<SignalCode, { sign: RiskSign; age: number; strength: number; base: number }[]>();
  for (const sign of input.signs) {
    const age = daysBefore(today, sign.observedOn);
    if (age > RECORD_LOOKBACK.signDays) continue;
    const base = baseOfSign(sign);
    const entry = { sign, age, base, strength: base * decay(age, signRules[sign.kind].halfLifeDays) };
    const code = codeOfSign(sign);
    byCode.set(code, [...(byCode.get(code) ?? []), entry]);
  }
  const signals: Signal[] = [];
  for (const [code, entries] of byCode) {
    entries.sort((a, b) => b.strength - a.strength || a.age - b.age);
    const top = entries[0];
    if (!top) continue;
    const combined = 1 - entries.reduce((rest, e) => rest * (1 - e.strength), 1);
    const cap = Math.min(0.95, 1.25 * Math.max(...entries.map((e) => e.base)));
    const strongKind =
      signRules[top.sign.kind].strong &&
      (top.sign.kind !== "contact_change" || isKeyRole(top.sign.changedRole));
    signals.push({
      code,
      source: "records",
      strength: roundStrength(Math.min(cap, combined)),
      strong: strongKind && top.age <= STRONG_SIGN_DAYS,
      text:
        signText(top.sign, top.age) +
        (entries.length > 1
          ? ` (${entries.length} such signs in the last ${RECORD_LOOKBACK.signDays} days)`
          : ""),
    });
  }
  return signals;
}

/** Warning signals from the team's records as of `asOf`. */
export function recordSignals(input: RecordSignalsInput, asOf: Date): Signal[] {
  const today = todayNumber(asOf, input.timeZone);
  return [
    ...complaintSignals(input, asOf),
    ...loyaltySignals(input, today),
    ...signSignals(input, today).sort((a, b) => b.strength - a.strength || a.code.localeCompare(b.code)),
  ];
}

// ---- receivables ---------------------------------------------------------------------------

export type Receivable = {
  /** YYYY-MM-DD */
  dueOn: string;
  /** Minor units of `currency`. */
  amount: bigint;
  /** YYYY-MM-DD; null while unpaid. A payment dated after today has not happened yet. */
  paidOn: string | null;
  currency: string;
};

export type OverdueReceivables = {
  currency: string;
  amount: bigint;
  invoices: number;
  maxDaysOverdue: number;
};

/** Days overdue below which an unpaid invoice is not yet a sign (transfers take time, month ends slip). */
export const RECEIVABLE_GRACE_DAYS = 14;

/** Unpaid invoices past their due date, per currency (largest delay first), as of today in `timeZone`. */
export function overdueReceivables(
  receivables: readonly Receivable[],
  asOf: Date,
  timeZone: string,
): OverdueReceivables[] {
  const today = todayNumber(asOf, timeZone);
  const byCurrency = new Map<string, OverdueReceivables>();
  for (const r of receivables) {
    if (r.amount <= 0n) continue;
    if (r.paidOn !== null && dayNumber(r.paidOn) <= today) continue;
    const daysOverdue = today - dayNumber(r.dueOn);
    if (daysOverdue <= 0) continue;
    const currency = r.currency.toUpperCase();
    const sum = byCurrency.get(currency) ?? { currency, amount: 0n, invoices: 0, maxDaysOverdue: 0 };
    byCurrency.set(currency, {
      currency,
      amount: sum.amount + r.amount,
      invoices: sum.invoices + 1,
      maxDaysOverdue: Math.max(sum.maxDaysOverdue, daysOverdue),
    });
  }
  return [...byCurrency.values()].sort(
    (a, b) => b.maxDaysOverdue - a.maxDaysOverdue || a.currency.localeCompare(b.currency),
  );
}

/** §2.4: overdue receivables as a signal, "€12,400.00 overdue by 45 days on 3 invoices". */
export function receivableSignals(
  receivables: readonly Receivable[],
  asOf: Date,
  timeZone: string,
): Signal[] {
  const overdue = overdueReceivables(receivables, asOf, timeZone);
  const maxDays = Math.max(0, ...overdue.map((o) => o.maxDaysOverdue));
  if (maxDays <= RECEIVABLE_GRACE_DAYS) return [];
  const invoices = overdue.reduce((n, o) => n + o.invoices, 0);
  const amounts = overdue.map((o) => formatMoney(o.amount, o.currency)).join(" and ");
  return [
    {
      code: SIGNAL.receivablesOverdue,
      source: "receivables",
      strength: roundStrength(0.2 + 0.4 * clamp01((maxDays - RECEIVABLE_GRACE_DAYS) / 106)),
      strong: maxDays >= 60,
      text: `${amounts} overdue by ${plural(maxDays, "day")} on ${plural(invoices, "invoice")}`,
    },
  ];
}
