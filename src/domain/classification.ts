// §7 classification of customers: key or not (80/20 of trailing revenue, or a manager's word), face
// (red, white, black), relationship type and loyalty, each with the rule, inputs and thresholds behind it.
import { z } from "zod";
import { keyAccountsByCurrency } from "./key-accounts.ts";
import { type LoyaltyRead, loyaltyTrend } from "./loyalty.ts";

export type CustomerFace = "red" | "white" | "black";
export type RelationshipType = "transactional" | "partnership";
export type KeyBasis = "revenue" | "designated";
export type LoyaltyDirection = "improving" | "steady" | "worsening";

export const faceLabel: Record<CustomerFace, string> = {
  red: "Red face",
  white: "White face",
  black: "Black face",
};

export const relationshipLabel: Record<RelationshipType, string> = {
  transactional: "Transactional",
  partnership: "Partnership",
};

export type ClassificationSettings = {
  /** Key accounts: the fewest that together make this share of trailing revenue, in percent. */
  keyRevenueSharePercent: number;
  /**
   * Face thresholds as a percentile of the accounts in the same currency: red needs a profit per order
   * at or above it, white a revenue at or above it and a margin at or below the mirror percentile.
   */
  facePercentile: number;
  /** Orders are irregular when the coefficient of variation of the gaps between order days reaches this. */
  irregularGapCv: number;
};

export const defaultClassificationSettings: ClassificationSettings = {
  keyRevenueSharePercent: 80,
  facePercentile: 75,
  irregularGapCv: 0.5,
};

/** Order days needed to judge regularity: three days give two gaps. */
export const MIN_ORDER_DAYS_FOR_REGULARITY = 3;
/** Switching-cost facts that alone make a partnership; one fact does with regular orders. */
export const PARTNERSHIP_FACTS = 2;

export type SwitchingCostFacts = { investedInUs: boolean; integrated: boolean; trained: boolean };

export type Designations = {
  /** Slack id of the manager who marked the account key; null = not marked. */
  keyDesignatedBy: string | null;
  blackFaceBy: string | null;
  blackFaceReason: string | null;
  facts: SwitchingCostFacts;
  relationshipOverride: RelationshipType | null;
};

/** What the scan knows of one account over the trailing 365 days, in its main currency. */
export type AccountFacts = {
  accountId: string;
  /** The currency with the most revenue in the window; null when it had no orders. */
  currency: string | null;
  /** Net order value in minor units of `currency` (credit notes included). */
  revenue: bigint;
  /** Orders with a positive amount in `currency`. */
  orderCount: number;
  /** Of those, the ones whose cost is known, with their value and cost. */
  costKnownOrders: number;
  costKnownRevenue: bigint;
  costKnownCost: bigint;
  /** Distinct days with an order (any currency) and the coefficient of variation of the gaps between them. */
  orderDays: number;
  gapCv: number | null;
  designations: Designations;
  /** Newest first. */
  loyaltyReads: readonly LoyaltyRead[];
};

/** Money travels as decimal strings of minor units: JSON has no bigint. */
type Minor = string;

export type KeyWhy = {
  sharePercent: number;
  currency: string | null;
  revenue: Minor;
  /** Revenue of all accounts in that currency with a positive revenue. */
  totalRevenue: Minor;
  keyAccounts: number;
  /** Whether the 80/20 cut holds it, with its rank and the cumulative share up to and including it. */
  byRevenue: boolean;
  rank: number | null;
  cumulativeSharePercent: number | null;
  designatedBy: string | null;
};

export type FaceWhy = {
  /** What decided the face. */
  rule: "black_designated" | "red" | "white" | "none" | "no_orders";
  /** The face the figures give, whatever a designation says. */
  computed: "red" | "white" | null;
  percentile: number;
  inputs: {
    profitPerOrder: Minor | null;
    marginPercent: number | null;
    revenue: Minor;
    orderDays: number;
    gapCv: number | null;
  };
  thresholds: {
    /** Red: profit per order at or above this (the percentile of the accounts in that currency). */
    profitPerOrderMin: Minor | null;
    irregularGapCv: number;
    /** White: revenue at or above, margin at or below. */
    revenueMin: Minor | null;
    marginPercentMax: number | null;
  };
  blackFaceBy: string | null;
  blackFaceReason: string | null;
};

export type RelationshipWhy = {
  rule: "override" | "facts" | "facts_and_regular" | "too_few_facts";
  computed: RelationshipType;
  facts: SwitchingCostFacts;
  /** True regular, false irregular, null too few order days to tell. */
  regular: boolean | null;
  gapCv: number | null;
};

export type ClassWhy = {
  asOf: string;
  settings: ClassificationSettings;
  key: KeyWhy;
  face: FaceWhy;
  relationship: RelationshipWhy;
  loyaltyReads: LoyaltyRead[];
};

export type AccountClassification = {
  accountId: string;
  keyBasis: KeyBasis | null;
  trailingRevenue: bigint;
  currency: string | null;
  face: CustomerFace | null;
  relationship: RelationshipType;
  loyalty: LoyaltyRead | null;
  loyaltyDirection: LoyaltyDirection | null;
  why: ClassWhy;
};

/** Nearest-rank percentile of ascending values (none: null). */
function percentileOf<T>(sorted: readonly T[], percent: number): T | null {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((percent / 100) * sorted.length) - 1));
  return sorted[index] ?? null;
}

const ascendingBigint = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

export function profitPerOrder(facts: AccountFacts): bigint | null {
  if (facts.costKnownOrders === 0) return null;
  return (facts.costKnownRevenue - facts.costKnownCost) / BigInt(facts.costKnownOrders);
}

export function marginPercent(facts: AccountFacts): number | null {
  if (facts.costKnownRevenue <= 0n) return null;
  // Basis points in bigint first, so huge sums keep their precision.
  const basisPoints = ((facts.costKnownRevenue - facts.costKnownCost) * 10_000n) / facts.costKnownRevenue;
  return Number(basisPoints) / 100;
}

export type FaceThresholds = FaceWhy["thresholds"];

/** The face thresholds of each currency's population of accounts. */
export function faceThresholds(
  population: readonly AccountFacts[],
  settings: ClassificationSettings,
): Map<string, FaceThresholds> {
  const byCurrency = new Map<string, AccountFacts[]>();
  for (const facts of population) {
    if (facts.currency === null) continue;
    const list = byCurrency.get(facts.currency);
    if (list) list.push(facts);
    else byCurrency.set(facts.currency, [facts]);
  }
  const thresholds = new Map<string, FaceThresholds>();
  for (const [currency, accounts] of byCurrency) {
    const profits = accounts.flatMap((a) => profitPerOrder(a) ?? []).sort(ascendingBigint);
    const revenues = accounts.flatMap((a) => (a.revenue > 0n ? [a.revenue] : [])).sort(ascendingBigint);
    const margins = accounts.flatMap((a) => marginPercent(a) ?? []).sort((a, b) => a - b);
    const profitMin = percentileOf(profits, settings.facePercentile);
    const revenueMin = percentileOf(revenues, settings.facePercentile);
    thresholds.set(currency, {
      profitPerOrderMin: profitMin === null ? null : profitMin.toString(),
      irregularGapCv: settings.irregularGapCv,
      revenueMin: revenueMin === null ? null : revenueMin.toString(),
      marginPercentMax: percentileOf(margins, 100 - settings.facePercentile),
    });
  }
  return thresholds;
}

function regularity(
  facts: Pick<AccountFacts, "orderDays" | "gapCv">,
  settings: ClassificationSettings,
): boolean | null {
  if (facts.orderDays < MIN_ORDER_DAYS_FOR_REGULARITY || facts.gapCv === null) return null;
  return facts.gapCv < settings.irregularGapCv;
}

/** The face the figures give (red before white: an irregular buyer is not the stable volume of a white face). */
export function computedFace(
  facts: AccountFacts,
  thresholds: FaceThresholds | undefined,
  settings: ClassificationSettings,
): { face: "red" | "white" | null; rule: FaceWhy["rule"] } {
  if (facts.currency === null || facts.orderCount === 0 || !thresholds)
    return { face: null, rule: "no_orders" };
  const profit = profitPerOrder(facts);
  const margin = marginPercent(facts);
  const irregular = regularity(facts, settings) === false;
  if (
    profit !== null &&
    profit > 0n &&
    thresholds.profitPerOrderMin !== null &&
    profit >= BigInt(thresholds.profitPerOrderMin) &&
    irregular
  ) {
    return { face: "red", rule: "red" };
  }
  if (
    facts.revenue > 0n &&
    thresholds.revenueMin !== null &&
    facts.revenue >= BigInt(thresholds.revenueMin) &&
    margin !== null &&
    thresholds.marginPercentMax !== null &&
    margin <= thresholds.marginPercentMax
  ) {
    return { face: "white", rule: "white" };
  }
  return { face: null, rule: "none" };
}

export function computedRelationship(
  facts: Pick<AccountFacts, "orderDays" | "gapCv">,
  switching: SwitchingCostFacts,
  settings: ClassificationSettings,
): Omit<RelationshipWhy, "rule"> & { rule: Exclude<RelationshipWhy["rule"], "override"> } {
  const count = [switching.investedInUs, switching.integrated, switching.trained].filter(Boolean).length;
  const regular = regularity(facts, settings);
  const base = { facts: { ...switching }, regular, gapCv: facts.gapCv };
  if (count >= PARTNERSHIP_FACTS) return { ...base, rule: "facts", computed: "partnership" };
  if (count >= 1 && regular === true) return { ...base, rule: "facts_and_regular", computed: "partnership" };
  return { ...base, rule: "too_few_facts", computed: "transactional" };
}

/**
 * Applies what people decided (key and black-face designations, the relationship override, the
 * switching-cost facts) and the latest loyalty reads to what the figures gave. Used by the scan and,
 * with the figures kept in the newest class's `why`, right after a designation changes.
 */
export function finishClassification(
  accountId: string,
  figures: Pick<ClassWhy, "asOf" | "settings"> & {
    key: Omit<KeyWhy, "designatedBy">;
    face: Pick<FaceWhy, "computed" | "rule" | "percentile" | "inputs" | "thresholds">;
  },
  designations: Designations,
  loyaltyReads: readonly LoyaltyRead[],
): AccountClassification {
  const key: KeyWhy = { ...figures.key, designatedBy: designations.keyDesignatedBy };
  const keyBasis: KeyBasis | null = key.byRevenue ? "revenue" : key.designatedBy ? "designated" : null;
  const black = designations.blackFaceBy !== null && designations.blackFaceReason !== null;
  const computedRule =
    figures.face.rule === "black_designated" ? ruleOfFace(figures.face) : figures.face.rule;
  const face: FaceWhy = {
    ...figures.face,
    rule: black ? "black_designated" : computedRule,
    blackFaceBy: black ? designations.blackFaceBy : null,
    blackFaceReason: black ? designations.blackFaceReason : null,
  };
  const computed = computedRelationship(
    { orderDays: figures.face.inputs.orderDays, gapCv: figures.face.inputs.gapCv },
    designations.facts,
    figures.settings,
  );
  const relationship: RelationshipWhy = designations.relationshipOverride
    ? { ...computed, rule: "override" }
    : computed;
  const trend = loyaltyTrend(loyaltyReads);
  return {
    accountId,
    keyBasis,
    // A net refund is not negative revenue of the business (as in the Pareto cut).
    trailingRevenue: BigInt(key.revenue) > 0n ? BigInt(key.revenue) : 0n,
    currency: key.currency,
    face: black ? "black" : face.computed,
    relationship: designations.relationshipOverride ?? computed.computed,
    loyalty: trend.reads[0] ?? null,
    loyaltyDirection: trend.direction,
    why: {
      asOf: figures.asOf,
      settings: figures.settings,
      key,
      face,
      relationship,
      loyaltyReads: trend.reads,
    },
  };
}

function ruleOfFace(face: Pick<FaceWhy, "computed" | "inputs">): FaceWhy["rule"] {
  if (face.computed) return face.computed;
  return face.inputs.revenue === "0" && face.inputs.orderDays === 0 ? "no_orders" : "none";
}

/**
 * Classifies every account of the population as of `asOf`: the 80/20 cut within each currency (the
 * accounts' main currencies), the face thresholds from the same population, then each account's class.
 */
export function classifyAccounts(
  population: readonly AccountFacts[],
  settings: ClassificationSettings,
  asOf: string,
): AccountClassification[] {
  const cuts = keyAccountsByCurrency(
    population.flatMap((f) =>
      f.currency === null ? [] : [{ accountId: f.accountId, currency: f.currency, revenue: f.revenue }],
    ),
    settings.keyRevenueSharePercent,
  );
  const cutOf = new Map(cuts.map(({ currency, cut }) => [currency, cut]));
  const ranks = new Map<string, { rank: number; cumulative: bigint }>();
  for (const { cut } of cuts) {
    let cumulative = 0n;
    cut.accounts.forEach((account, index) => {
      cumulative += account.revenue;
      ranks.set(account.accountId, { rank: index + 1, cumulative });
    });
  }
  const thresholds = faceThresholds(population, settings);
  return population.map((facts) => {
    const cut = facts.currency === null ? undefined : cutOf.get(facts.currency);
    const ranked = ranks.get(facts.accountId);
    const total = cut?.totalRevenue ?? 0n;
    const key: Omit<KeyWhy, "designatedBy"> = {
      sharePercent: settings.keyRevenueSharePercent,
      currency: facts.currency,
      revenue: facts.revenue.toString(),
      totalRevenue: total.toString(),
      keyAccounts: cut?.accounts.length ?? 0,
      byRevenue: ranked !== undefined,
      rank: ranked?.rank ?? null,
      cumulativeSharePercent:
        ranked && total > 0n ? Number((ranked.cumulative * 10_000n) / total) / 100 : null,
    };
    const currencyThresholds = facts.currency === null ? undefined : thresholds.get(facts.currency);
    const face = computedFace(facts, currencyThresholds, settings);
    const profit = profitPerOrder(facts);
    return finishClassification(
      facts.accountId,
      {
        asOf,
        settings,
        key,
        face: {
          computed: face.face,
          rule: face.rule,
          percentile: settings.facePercentile,
          inputs: {
            profitPerOrder: profit === null ? null : profit.toString(),
            marginPercent: marginPercent(facts),
            revenue: facts.revenue.toString(),
            orderDays: facts.orderDays,
            gapCv: facts.gapCv,
          },
          thresholds: currencyThresholds ?? {
            profitPerOrderMin: null,
            irregularGapCv: settings.irregularGapCv,
            revenueMin: null,
            marginPercentMax: null,
          },
        },
      },
      facts.designations,
      facts.loyaltyReads,
    );
  });
}

export type ClassFields = Pick<
  AccountClassification,
  "keyBasis" | "face" | "relationship" | "loyalty" | "loyaltyDirection"
>;

/** Whether the class differs from the newest saved one (figures alone moving is not a new class). */
export function classChanged(previous: ClassFields | null, next: ClassFields): boolean {
  if (previous === null) return true;
  return (
    previous.keyBasis !== next.keyBasis ||
    previous.face !== next.face ||
    previous.relationship !== next.relationship ||
    previous.loyalty !== next.loyalty ||
    previous.loyaltyDirection !== next.loyaltyDirection
  );
}

/** A class-change note goes to the channel of an account that is key now or was key before. */
export function needsChangeNote(previous: ClassFields | null, next: ClassFields): boolean {
  if (previous === null) return false;
  return classChanged(previous, next) && (previous.keyBasis !== null || next.keyBasis !== null);
}

/**
 * Coefficient of variation (population standard deviation / mean) of the gaps between sorted order
 * days (day numbers); null below MIN_ORDER_DAYS_FOR_REGULARITY days. The scan computes the same in SQL.
 */
export function gapCoefficientOfVariation(sortedDays: readonly number[]): number | null {
  if (sortedDays.length < MIN_ORDER_DAYS_FOR_REGULARITY) return null;
  const gaps: number[] = [];
  for (let i = 1; i < sortedDays.length; i++) gaps.push((sortedDays[i] ?? 0) - (sortedDays[i - 1] ?? 0));
  const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length;
  if (mean <= 0) return null;
  const variance = gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / gaps.length;
  return Math.sqrt(variance) / mean;
}

const ZMinor = z.string().regex(/^-?\d+$/);
const ZFacts = z.object({ investedInUs: z.boolean(), integrated: z.boolean(), trained: z.boolean() });

/** A saved `why` read back (rows are written by this module; anything else is treated as no why). */
export const ZClassWhy = z.object({
  asOf: z.string(),
  settings: z.object({
    keyRevenueSharePercent: z.number(),
    facePercentile: z.number(),
    irregularGapCv: z.number(),
  }),
  key: z.object({
    sharePercent: z.number(),
    currency: z.string().nullable(),
    revenue: ZMinor,
    totalRevenue: ZMinor,
    keyAccounts: z.number(),
    byRevenue: z.boolean(),
    rank: z.number().nullable(),
    cumulativeSharePercent: z.number().nullable(),
    designatedBy: z.string().nullable(),
  }),
  face: z.object({
    rule: z.enum(["black_designated", "red", "white", "none", "no_orders"]),
    computed: z.enum(["red", "white"]).nullable(),
    percentile: z.number(),
    inputs: z.object({
      profitPerOrder: ZMinor.nullable(),
      marginPercent: z.number().nullable(),
      revenue: ZMinor,
      orderDays: z.number(),
      gapCv: z.number().nullable(),
    }),
    thresholds: z.object({
      profitPerOrderMin: ZMinor.nullable(),
      irregularGapCv: z.number(),
      revenueMin: ZMinor.nullable(),
      marginPercentMax: z.number().nullable(),
    }),
    blackFaceBy: z.string().nullable(),
    blackFaceReason: z.string().nullable(),
  }),
  relationship: z.object({
    rule: z.enum(["override", "facts", "facts_and_regular", "too_few_facts"]),
    computed: z.enum(["transactional", "partnership"]),
    facts: ZFacts,
    regular: z.boolean().nullable(),
    gapCv: z.number().nullable(),
  }),
  loyaltyReads: z.array(z.enum(["loyal", "average", "disloyal"])),
}) satisfies z.ZodType<ClassWhy>;

/** An account's class as its card shows it: the newest class with its why, and the one before it. */
export type CardClass = {
  current: ClassFields & { fromDay: string; why: ClassWhy | null };
  previous: (ClassFields & { fromDay: string }) | null;
};

/** The class without profit and margin figures, for a viewer who may not see them (§7 roles). */
export function hideClassFigures(cardClass: CardClass): CardClass {
  const why = cardClass.current.why;
  if (!why) return cardClass;
  return {
    ...cardClass,
    current: {
      ...cardClass.current,
      why: {
        ...why,
        face: {
          ...why.face,
          inputs: { ...why.face.inputs, profitPerOrder: null, marginPercent: null },
          thresholds: { ...why.face.thresholds, profitPerOrderMin: null, marginPercentMax: null },
        },
      },
    },
  };
}
