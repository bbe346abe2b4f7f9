// §4 the three judgments: is this customer worth what keeping them costs? And §2.4: should they be let
// go on purpose (blacklist)?
import { formatMoney } from "../money.ts";

export const verdicts = ["fight_hard", "retain", "let_go", "blacklist_candidate"] as const;
export type Verdict = (typeof verdicts)[number];

/** What each verdict means for the team, in one line. */
export const verdictLabel: Record<Verdict, string> = {
  fight_hard: "Fight hard: its future profit alone is worth the retention cost",
  retain: "Retain: its indirect or long-term value is worth the cost",
  let_go: "Let go gracefully: no value above the retention cost",
  blacklist_candidate: "Blacklist candidate: a manager must confirm",
};

export type RetentionInput = {
  /** Expected profit of the next 12 months in minor units; null when it cannot be estimated. */
  expectedProfit12m: bigint | null;
  /** What keeping the customer would cost (discounts, visits, service), minor units. */
  retentionCost: bigint;
  /** Referrals and help keeping other customers, as the team values it; null when not assessed. */
  indirectValue: bigint | null;
  /** A manager's judgement that the customer can grow into a flagship or reference customer. */
  longTermValue: { flagged: boolean; note: string | null };
  overdueReceivables: { amount: bigint; maxDaysOverdue: number } | null;
  badFaith: boolean;
  /** E.g. dumping goods into other dealers' regions (窜货). */
  marketDisruption: boolean;
  /** Receivables overdue for more days than this make a blacklist candidate. */
  blacklistOverdueDays: number;
  currency: string;
};

export type Judgment = {
  verdict: Verdict;
  /** One sentence: the verdict and why. */
  headline: string;
  /** The three judgments, in order: direct, indirect, long-term value. */
  lines: [string, string, string];
  /** Why it is a blacklist candidate; empty otherwise. */
  blacklistReasons: string[];
};

function above(value: bigint, cost: bigint): boolean {
  return value > cost;
}

function comparison(value: bigint, cost: bigint): string {
  return above(value, cost) ? "above the cost" : "not above the cost";
}

/**
 * The verdict: a blacklist candidate first (bad debt, bad faith or market disruption); otherwise
 * "fight_hard" when the direct value alone beats the cost, "retain" when the indirect or long-term
 * value does, and "let_go" (gracefully) when none does. Equal to the cost is not above it.
 */
export function judgeRetention(input: RetentionInput): Judgment {
  const money = (minor: bigint) => formatMoney(minor, input.currency);
  const cost = money(input.retentionCost);

  const direct =
    input.expectedProfit12m === null
      ? "Direct value: no estimate of future profit (too little order history)."
      : `Direct value: expected profit in the next 12 months ${money(input.expectedProfit12m)} vs retention cost ${cost}: ${comparison(input.expectedProfit12m, input.retentionCost)}.`;
  const indirect =
    input.indirectValue === null
      ? "Indirect value: not assessed."
      : `Indirect value: ${money(input.indirectValue)} (referrals, influence on other customers) vs retention cost ${cost}: ${comparison(input.indirectValue, input.retentionCost)}.`;
  const note = input.longTermValue.note?.trim();
  const longTerm = input.longTermValue.flagged
    ? `Long-term value: flagged as worth more than the cost${note ? ` (${note})` : ""}.`
    : "Long-term value: not flagged.";
  const lines: [string, string, string] = [direct, indirect, longTerm];

  const blacklistReasons: string[] = [];
  const overdue = input.overdueReceivables;
  if (overdue && overdue.maxDaysOverdue > input.blacklistOverdueDays) {
    blacklistReasons.push(
      `${money(overdue.amount)} overdue for ${overdue.maxDaysOverdue} days (limit ${input.blacklistOverdueDays} days)`,
    );
  }
  if (input.badFaith) blacklistReasons.push("bad faith recorded");
  if (input.marketDisruption) blacklistReasons.push("market disruption recorded");
  if (blacklistReasons.length > 0) {
    return {
      verdict: "blacklist_candidate",
      headline: `Blacklist candidate: ${blacklistReasons.join("; ")}. Blacklisting needs a manager's confirmation.`,
      lines,
      blacklistReasons,
    };
  }

  if (input.expectedProfit12m !== null && above(input.expectedProfit12m, input.retentionCost)) {
    return {
      verdict: "fight_hard",
      headline: `Fight hard: the expected profit of the next 12 months (${money(input.expectedProfit12m)}) is above the retention cost (${cost}).`,
      lines,
      blacklistReasons,
    };
  }
  const indirectAbove = input.indirectValue !== null && above(input.indirectValue, input.retentionCost);
  if (indirectAbove || input.longTermValue.flagged) {
    const why = indirectAbove ? "its indirect value" : "its long-term value";
    return {
      verdict: "retain",
      headline: `Retain: ${why} is above the retention cost (${cost}), though its direct profit is not.`,
      lines,
      blacklistReasons,
    };
  }
  return {
    verdict: "let_go",
    headline: `Let go gracefully: none of the three values is above the retention cost (${cost}). Part on good terms and leave the door open.`,
    lines,
    blacklistReasons,
  };
}

const ORDER_SCALE = 1_000_000n;
const MARGIN_SCALE = 10_000n;

function scaled(value: number, scale: bigint, name: string): bigint {
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite number`);
  return BigInt(Math.round(value * Number(scale)));
}

/**
 * Expected profit of the next 12 months in minor units: expected orders × average order value ×
 * margin. The two floats are first fixed to integers (orders to 1e-6, margin to 1e-4 of a percent
 * point), then everything is integer arithmetic, rounded once, half away from zero, to the minor unit.
 * A negative margin gives a negative profit.
 */
export function expectedProfit12m(
  expectedOrders52w: number,
  averageOrderValue: bigint,
  marginPct: number,
): bigint {
  const orders = scaled(Math.max(0, expectedOrders52w), ORDER_SCALE, "expectedOrders52w");
  const margin = scaled(marginPct, MARGIN_SCALE, "marginPct");
  const numerator = averageOrderValue * orders * margin;
  const denominator = ORDER_SCALE * MARGIN_SCALE * 100n;
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  const rounded = (abs * 2n + denominator) / (denominator * 2n);
  return negative ? -rounded : rounded;
}
