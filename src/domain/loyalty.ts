// Loyalty reads (§7) over time: the latest reads and whether they are getting better or worse.

export const loyaltyReads = ["loyal", "average", "disloyal"] as const;
export type LoyaltyRead = (typeof loyaltyReads)[number];

export const loyaltyLabel: Record<LoyaltyRead, string> = {
  loyal: "Loyal",
  average: "Average",
  disloyal: "Disloyal",
};

const rank: Record<LoyaltyRead, number> = { disloyal: 0, average: 1, loyal: 2 };

export type LoyaltyTrend = {
  /** Newest first. */
  reads: LoyaltyRead[];
  direction: "improving" | "worsening" | "steady" | null;
};

/** From reads newest first: compares the newest with the one before it. */
export function loyaltyTrend(readsNewestFirst: readonly LoyaltyRead[], keep = 5): LoyaltyTrend {
  const reads = readsNewestFirst.slice(0, keep);
  const [latest, previous] = reads;
  if (latest === undefined || previous === undefined) return { reads, direction: null };
  const change = rank[latest] - rank[previous];
  return { reads, direction: change > 0 ? "improving" : change < 0 ? "worsening" : "steady" };
}
