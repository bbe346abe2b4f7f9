// §7 customers belong to the company: what a departing rep leaves behind, their accounts ranked by what
// is at stake. Pure.

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
