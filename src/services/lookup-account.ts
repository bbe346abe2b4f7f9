// /customer <query>: finds the account(s) a rep means and, for a single match, loads its card.
import type { AccountCard, AccountSummary } from "../domain/account-card.ts";
import { buildMatchIndex, classifyMatch, type MatchIndex, rankAccounts } from "../domain/account-match.ts";
import type { ServiceDeps } from "./deps.ts";
import { getAccountCard } from "./get-account-card.ts";

export type LookupResult =
  | { kind: "one"; card: AccountCard }
  | { kind: "several"; accounts: AccountSummary[] }
  | { kind: "none"; suggestions: AccountSummary[] };

const summarySelect = {
  id: true,
  externalId: true,
  name: true,
  aliases: true,
  ownerSlackId: true,
  channelId: true,
  segment: true,
  region: true,
  status: true,
} as const;

/**
 * The name index is rebuilt only when accounts changed: a count plus the newest update time is a
 * cheap fingerprint, so each lookup costs one small aggregate query instead of reading every name.
 */
let cached: { fingerprint: string; index: MatchIndex } | undefined;

async function matchIndex(deps: ServiceDeps): Promise<MatchIndex> {
  const { rows } = await deps.pool.query<{ count: bigint; newest: Date | null }>(
    "SELECT count(*) AS count, max(updated_at) AS newest FROM account",
  );
  const fingerprint = `${rows[0]?.count}:${rows[0]?.newest?.toISOString()}`;
  if (cached?.fingerprint === fingerprint) return cached.index;
  const accounts = await deps.prisma.account.findMany({ select: { id: true, name: true, aliases: true, externalId: true } });
  const index = buildMatchIndex(accounts);
  cached = { fingerprint, index };
  return index;
}

async function summaries(deps: ServiceDeps, ids: readonly string[]): Promise<AccountSummary[]> {
  const rows = await deps.prisma.account.findMany({ where: { id: { in: [...ids] } }, select: summarySelect });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export async function lookupAccount(deps: ServiceDeps, query: string): Promise<LookupResult> {
  const ranked = rankAccounts(query, await matchIndex(deps));
  const match = classifyMatch(ranked);
  switch (match.kind) {
    case "one":
      return { kind: "one", card: await getAccountCard(deps, match.id) };
    case "several":
      return { kind: "several", accounts: await summaries(deps, match.ids) };
    case "none":
      return { kind: "none", suggestions: await summaries(deps, match.suggestions.map((s) => s.id)) };
    default:
      return match satisfies never;
  }
}
