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
 * below that the evidence grows linearly to 0.9 at P(alive) 10% and stays there: like the ledger's
 * overdue rule (also capped at 0.9), a reading of order timing alone is never taken as certain, the
 * far tail of P(alive) being the model's least checked extrapolation. An uninformative model (no
 * repeat purchases) gives no signal of its own: its "alive" must not vouch for a customer the ledger
 * doubts (its expected orders still inform `no_repeat_order`, see fitToModel).
 */
export function modelSignal(model: ModelEvidence | null | undefined): Signal | null {
  if (!model?.informative || !Number.isFinite(model.pAlive)) return null;
  const pAlive = clamp01(model.pAlive);
  const strength = roundStrength(Math.min(0.9, (0.9 * (0.9 - pAlive)) / 0.8));
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

/**
 * Ledger rules that read how long the account has not ordered against its usual rhythm. An informative
 * model reads the same fact from the account's whole history (x, tx, T) and the population's spread of
 * purchase rates and drop-out chances, which a gap rule cannot: with only a few gaps (or a customer who
 * buys irregularly) "overdue" fires on accounts the model still rightly expects back. Declines of value
 * or frequency are not here: BG/NBD assumes a steady rate, so a slowing account is news it cannot see.
 */
const READ_BY_MODEL: ReadonlySet<string> = new Set([SIGNAL.orderOverdue, SIGNAL.noRepeatOrder]);

/** How close to 1 a repeat buyer's P(alive) must be to show a model that cannot see drop-outs at all. */
const NO_DROPOUT_EPSILON = 1e-6;

/** A signal kept only to explain another's reading: shown among the reasons, adding nothing to the risk. */
type Explaining = { signal: Signal; explains: boolean };

/**
 * Fits the ledger's timing rules to the model's read of the same account.
 *
 * Informative model (repeat purchases): the model carries the timing. `order_overdue` stays as the
 * explanation in the account's own terms ("5 weeks overdue, usual gap 3 weeks"), but at no more than
 * the model's strength, strong only when the model is, and adding nothing on top of it; when the
 * model sees no evidence (P(alive) 90% or more) the rule is dropped.
 *
 * One-time buyer (model not informative): the model's P(alive) of 1 says nothing, but its expected
 * orders still do: they are what the population's purchase rates leave for a customer silent this
 * long since the first order, granting the model's assumption that the customer is still active. With
 * Poisson arrivals the chance of no order in the next 13 weeks is then at least exp(−expected), so once
 * `no_repeat_order` has fired it is read at no less than that, with the model's number in its text. It
 * can only raise the rule: in a population of frequent buyers the model's "alive" inflates the
 * expectation, and the rule's own strength stands.
 */
function fitToModel(signals: readonly Signal[], model: ModelEvidence | null | undefined): Explaining[] {
  const kept = (signal: Signal): Explaining => ({ signal, explains: false });
  if (!model || !Number.isFinite(model.expectedOrders13w) || !Number.isFinite(model.pAlive)) {
    return signals.map(kept);
  }
  const expected = Math.max(0, model.expectedOrders13w);
  if (!model.informative) {
    const noOrder = roundStrength(Math.exp(-expected));
    return signals.map((signal) =>
      signal.code === SIGNAL.noRepeatOrder && signal.source === "ledger" && noOrder > signal.strength
        ? kept({
            ...signal,
            strength: noOrder,
            text: `${signal.text}; purchase model: about ${expected.toFixed(1)} orders expected in the next 13 weeks`,
          })
        : kept(signal),
    );
  }
  // A fit without drop-outs (a at its lower bound, see bgnbd.ts) calls every account alive however
  // long it has been silent: P(alive) is then 1 to the last digits, and the model cannot tell a stop
  // from a pause. Real fits leave every account some chance of having left (at most 1/(1 + a/(b+x−1))).
  if (model.pAlive > 1 - NO_DROPOUT_EPSILON) return signals.map(kept);
  const read = modelSignal(model);
  return signals.flatMap((signal) => {
    if (!(READ_BY_MODEL.has(signal.code) && signal.source === "ledger")) return [kept(signal)];
    if (!read) return [];
    const strength = Math.min(signal.strength, read.strength);
    return [{ signal: { ...signal, strength, strong: signal.strong && read.strong }, explains: true }];
  });
}

export function scoreRisk(input: RiskInput): RiskAssessment {
  const model = modelSignal(input.model);
  const fitted = fitToModel(input.signals, input.model);
  if (model) fitted.push({ signal: model, explains: false });
  const signals = fitted.filter((f) => !f.explains).map((f) => f.signal);
  const weighed = weigh(signals);
  const evidence = 1 - weighed.reduce((rest, w) => rest * (1 - w.contribution), 1);
  let risk = Math.min(100, Math.max(0, Math.round(evidence * 100)));
  if (signals.some((s) => s.strong)) risk = Math.max(risk, STRONG_FLOOR);
  const band = bandOf(risk);
  // An explanation ranks as an echo of the model's reading, which leads its family.
  const explanations = fitted
    .filter((f) => f.explains)
    .map((f, i) => ({
      signal: f.signal,
      index: signals.length + i,
      contribution: FAMILY_ECHO * f.signal.strength,
    }));
  const reasons = [...weighed, ...explanations]
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
