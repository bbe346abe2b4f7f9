// §1 / §7 the 80/20 rule: the key accounts are the fewest accounts that together bring in a set share
// (80%) of the revenue. Pure: callers pass each account's revenue over the window they chose.

/** The share of revenue the key accounts make together, in percent. */
export const KEY_REVENUE_SHARE_PERCENT = 80;

export type AccountRevenue = {
  readonly accountId: string;
  /** Minor units of one currency; credit notes may make it negative. */
  readonly revenue: bigint;
};

export type KeyAccountCut = {
  /** The key accounts, largest revenue first (equal revenue: smaller account id first). */
  readonly accounts: readonly AccountRevenue[];
  /** Revenue of all accounts with a positive revenue: the base of the share. */
  readonly totalRevenue: bigint;
  /** Revenue of the key accounts together. */
  readonly keyRevenue: bigint;
};

function byRevenueThenId(a: AccountRevenue, b: AccountRevenue): number {
  if (a.revenue !== b.revenue) return a.revenue > b.revenue ? -1 : 1;
  // Code-unit order, not the locale's: the same cut on every machine.
  return a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0;
}

/**
 * The smallest set of accounts whose revenue reaches `sharePercent` of the total. Several rows of one
 * account are added up. Accounts with no positive revenue are never key and do not count in the total
 * (a net refund is not negative revenue of the business). Where accounts with equal revenue straddle
 * the cut, any of them would make the set equally small: the smaller account id goes first, so the
 * cut is the same on every run. Exact: bigint throughout.
 */
export function keyAccounts(
  revenues: readonly AccountRevenue[],
  sharePercent: number = KEY_REVENUE_SHARE_PERCENT,
): KeyAccountCut {
  if (!Number.isInteger(sharePercent) || sharePercent < 1 || sharePercent > 100) {
    throw new RangeError(`sharePercent must be a whole percent from 1 to 100, not ${sharePercent}`);
  }
  const perAccount = new Map<string, bigint>();
  for (const { accountId, revenue } of revenues) {
    perAccount.set(accountId, (perAccount.get(accountId) ?? 0n) + revenue);
  }
  const ranked = [...perAccount]
    .map(([accountId, revenue]) => ({ accountId, revenue }))
    .filter((account) => account.revenue > 0n)
    .sort(byRevenueThenId);
  const totalRevenue = ranked.reduce((sum, account) => sum + account.revenue, 0n);
  const target = totalRevenue * BigInt(sharePercent);
  const accounts: AccountRevenue[] = [];
  let keyRevenue = 0n;
  for (const account of ranked) {
    if (keyRevenue * 100n >= target) break;
    accounts.push(account);
    keyRevenue += account.revenue;
  }
  return { accounts, totalRevenue, keyRevenue };
}

export type CurrencyRevenue = AccountRevenue & { readonly currency: string };

/**
 * Revenue in several currencies cannot be added without exchange rates, so the cut is made within
 * each currency; an account is key when it is key in any of them. Currencies in alphabetical order.
 */
export function keyAccountsByCurrency(
  revenues: readonly CurrencyRevenue[],
  sharePercent: number = KEY_REVENUE_SHARE_PERCENT,
): { currency: string; cut: KeyAccountCut }[] {
  const byCurrency = new Map<string, CurrencyRevenue[]>();
  for (const row of revenues) {
    const code = row.currency.toUpperCase();
    const rows = byCurrency.get(code);
    if (rows) rows.push(row);
    else byCurrency.set(code, [row]);
  }
  return [...byCurrency.keys()]
    .sort()
    .map((currency) => ({ currency, cut: keyAccounts(byCurrency.get(currency) ?? [], sharePercent) }));
}
