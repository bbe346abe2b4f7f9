// Backtest metrics: how well risk scored as of a date foretold who stopped ordering afterwards.

export type BacktestCase = {
  risk: number;
  band: string;
  reasonCodes: readonly string[];
  /** No order within the horizon after the as-of date. */
  churned: boolean;
};

export type GroupMetrics = {
  key: string;
  accounts: number;
  churned: number;
  /** Churned among the accounts in this group (how often a flag here was right). */
  precision: number | null;
  /** Share of all churned accounts that this group caught. */
  recall: number | null;
};

export type BacktestMetrics = {
  accounts: number;
  churned: number;
  churnRate: number | null;
  /** Probability that a churned account scored higher than a retained one (ties count half). */
  auc: number | null;
  byBand: GroupMetrics[];
  byReason: GroupMetrics[];
};

/** Mann–Whitney AUC with average ranks for ties; null when one class is empty. */
export function areaUnderCurve(cases: readonly { risk: number; churned: boolean }[]): number | null {
  const positives = cases.filter((c) => c.churned).length;
  const negatives = cases.length - positives;
  if (positives === 0 || negatives === 0) return null;
  const sorted = [...cases].sort((a, b) => a.risk - b.risk);
  let rankSumPositives = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j]?.risk === sorted[i]?.risk) j++;
    // Ranks i+1 … j share their average.
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (sorted[k]?.churned) rankSumPositives += averageRank;
    i = j;
  }
  return (rankSumPositives - (positives * (positives + 1)) / 2) / (positives * negatives);
}

function group(key: string, members: readonly BacktestCase[], totalChurned: number): GroupMetrics {
  const churned = members.filter((c) => c.churned).length;
  return {
    key,
    accounts: members.length,
    churned,
    precision: members.length > 0 ? churned / members.length : null,
    recall: totalChurned > 0 ? churned / totalChurned : null,
  };
}

export function backtestMetrics(
  cases: readonly BacktestCase[],
  bandOrder: readonly string[],
): BacktestMetrics {
  const churned = cases.filter((c) => c.churned).length;
  const reasonCodes = [...new Set(cases.flatMap((c) => c.reasonCodes))].sort();
  return {
    accounts: cases.length,
    churned,
    churnRate: cases.length > 0 ? churned / cases.length : null,
    auc: areaUnderCurve(cases),
    byBand: bandOrder.map((band) =>
      group(
        band,
        cases.filter((c) => c.band === band),
        churned,
      ),
    ),
    byReason: reasonCodes.map((code) =>
      group(
        code,
        cases.filter((c) => c.reasonCodes.includes(code)),
        churned,
      ),
    ),
  };
}
