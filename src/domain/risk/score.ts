// Combines an account's signals (and the BG/NBD model) into one churn risk 0..100, a band, the top reasons
// and the trend since the previous scan.
import { SIGNAL } from "./codes.ts";
import { clamp01, roundStrength } from "./days.ts";
import type { Signal } from "./signal.ts";

export const BAND_ORDER = ["low", "medium", "high", "critical"] as const;
export type Band = (typeof BAND_ORDER)[number];

/**
 * Lowest risk of each band: low < 25 <= medium < 50 <= high < 75 <= critical. Quarters of the scale,
 * read as odds: "high" means the evidence says churn is more likely than not.
 */
export const BAND_FLOOR: Readonly<Record<Band, number>> = { low: 0, medium: 25, high: 50, critical: 75 };

export function bandOf(risk: number): Band {
  if (risk >= BAND_FLOOR.critical) return "critical";
  if (risk >= BAND_FLOOR.high) return "high";
  if (risk >= BAND_FLOOR.medium) return "medium";
  return "low";
}

/** BG/NBD's read of the account (src/domain/bgnbd.ts). */
export type ModelEvidence = {
  pAlive: number;
  expectedOrders13w: number;
  /** False without repeat purchases: BG/NBD then calls every customer alive, which says nothing. */
  informative: boolean;
};

export type RiskInput = {
  signals: readonly Signal[];
  model?: ModelEvidence | null;
  previous?: { risk: number; band: Band } | null;
};

export type RiskTrend = "up" | "down" | "same" | "new";

export type RiskAssessment = {
  /** 0..100 */
  risk: number;
  band: Band;
  /** The signals that weigh most, strongest contribution first (3 to 5 when there are that many). */
  reasons: Signal[];
  trend: RiskTrend;
};

/**
 * Signals that read the same underlying fact. Within a family only the strongest counts in full and
 * the others at FAMILY_ECHO: an account that stopped ordering shows a value drop, a frequency drop,
 * an overdue order and a low P(alive) all at once, and that is one piece of news, not four.
 */
const FAMILY: Readonly<Record<string, string>> = {
  [SIGNAL.orderValueDecline]: "buying",
  [SIGNAL.orderFrequencyDecline]: "buying",
  [SIGNAL.dividedHeart]: "buying",
  [SIGNAL.orderOverdue]: "buying",
  [SIGNAL.noRepeatOrder]: "buying",
  [SIGNAL.lowPAlive]: "buying",
  [SIGNAL.marginDecline]: "profit",
  [SIGNAL.unprofitable]: "profit",
  [SIGNAL.complaintOverdue]: "complaints",
  [SIGNAL.complaintOpen]: "complaints",
  [SIGNAL.complaintsRepeated]: "complaints",
  [SIGNAL.complaintEscalation]: "complaints",
  [SIGNAL.loyaltyDisloyal]: "loyalty",
  [SIGNAL.loyaltyWorsening]: "loyalty",
  [SIGNAL.purchasingContactChanged]: "their_people",
  [SIGNAL.decisionMakerChanged]: "their_people",
  [SIGNAL.contactChanged]: "their_people",
  [SIGNAL.repLeaving]: "our_people",
  [SIGNAL.competitorActivity]: "competition",
  [SIGNAL.strategyChange]: "strategy",
  [SIGNAL.procurementReform]: "strategy",
  [SIGNAL.receivablesOverdue]: "payment",
  [SIGNAL.paymentProblem]: "payment",
};
export const FAMILY_ECHO = 0.35;

/**
 * Each signal's strength already says how strongly it points to churn on its own, so most weights
 * are 1. The exceptions: an unprofitable account is a reason to rethink the deal (§2.2, §4) more than
 * a sign the customer is leaving, and a margin squeeze is only partly the customer's doing (our own
 * costs move margins too); an "other" sign is whatever did not fit a kind, so it is not trusted fully.
 */
const WEIGHT: Readonly<Record<string, number>> = {
  [SIGNAL.unprofitable]: 0.5,
  [SIGNAL.marginDecline]: 0.8,
  [SIGNAL.otherSign]: 0.5,
};

/** Any strong signal lifts the risk at least to the "high" band: alone it deserves a warning. */
export const STRONG_FLOOR = BAND_FLOOR.high;
/** Risk points that count as a move even within a band. */
export const TREND_POINTS = 5;

/**
 * The model as a signal, or null when it has nothing to add. P(alive) of 90% or more is no evidence;
 * below that the evidence grows linearly to 0.9 at P(alive) 10%. An uninformative model (no repeat
 * purchases) is left out entirely: its "alive" must not vouch for a customer the ledger doubts.
 */
export function modelSignal(model: ModelEvidence | null | undefined): Signal | null {
  if (!model?.informative || !Number.isFinite(model.pAlive)) return null;
  const pAlive = clamp01(model.pAlive);
  const strength = roundStrength((0.9 * (0.9 - pAlive)) / 0.8);
  if (strength <= 0) return null;
  const expected = Number.isFinite(model.expectedOrders13w) ? Math.max(0, model.expectedOrders13w) : 0;
  return {
    code: SIGNAL.lowPAlive,
    source: "model",
    strength,
    strong: pAlive < 0.25,
    text: `purchase model: ${Math.round(pAlive * 100)}% likely still active, about ${expected.toFixed(1)} orders expected in the next 13 weeks`,
  };
}

type Weighed = { signal: Signal; contribution: number; index: number };

/**
 * Evidence adds up with diminishing returns: risk = 1 − Π(1 − c) over all signals, where c is
 * weight × strength for the strongest signal of each family and FAMILY_ECHO × that for the rest.
 * Adding a signal or raising a strength never lowers the risk.
 */
function weigh(signals: readonly Signal[]): Weighed[] {
  const values = signals.map(
    (signal) => (WEIGHT[signal.code] ?? 1) * clamp01(Number.isFinite(signal.strength) ? signal.strength : 0),
  );
  const leaderOfFamily = new Map<string, number>();
  signals.forEach((signal, index) => {
    const family = FAMILY[signal.code] ?? `${signal.source}:${signal.code}`;
    const leader = leaderOfFamily.get(family);
    if (leader === undefined || (values[index] ?? 0) > (values[leader] ?? 0))
      leaderOfFamily.set(family, index);
  });
  const leaders = new Set(leaderOfFamily.values());
  return signals.map((signal, index) => {
    const value = values[index] ?? 0;
    return { signal, index, contribution: leaders.has(index) ? value : FAMILY_ECHO * value };
  });
}

function trendOf(risk: number, band: Band, previous: RiskInput["previous"]): RiskTrend {
  if (!previous) return "new";
  const bandMove = BAND_ORDER.indexOf(band) - BAND_ORDER.indexOf(previous.band);
  if (bandMove !== 0) return bandMove > 0 ? "up" : "down";
  if (risk - previous.risk >= TREND_POINTS) return "up";
  if (previous.risk - risk >= TREND_POINTS) return "down";
  return "same";
}

const MAX_REASONS = 5;
const MIN_REASONS = 3;
/** Beyond the first three, a reason must carry at least this contribution to be worth reading. */
const MIN_EXTRA_REASON = 0.15;

export function scoreRisk(input: RiskInput): RiskAssessment {
  const model = modelSignal(input.model);
  const signals = model ? [...input.signals, model] : [...input.signals];
  const weighed = weigh(signals);
  const evidence = 1 - weighed.reduce((rest, w) => rest * (1 - w.contribution), 1);
  let risk = Math.min(100, Math.max(0, Math.round(evidence * 100)));
  if (signals.some((s) => s.strong)) risk = Math.max(risk, STRONG_FLOOR);
  const band = bandOf(risk);
  const reasons = weighed
    .filter((w) => w.contribution > 0)
    .sort(
      (a, b) =>
        b.contribution - a.contribution ||
        Number(b.signal.strong) - Number(a.signal.strong) ||
        a.index - b.index,
    )
    .filter((w, rank) => rank < MIN_REASONS || (rank < MAX_REASONS && w.contribution >= MIN_EXTRA_REASON))
    .map((w) => w.signal);
  return { risk, band, reasons, trend: trendOf(risk, band, input.previous) };
}
