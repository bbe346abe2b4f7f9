// /customer <query>: finds the account(s) a rep means and, for a single match, loads its card.
import type { AccountCard, AccountSummary } from "../domain/account-card.ts";
import { buildMatchIndex, classifyMatch, type MatchIndex, rankAccounts } from "../domain/account-match.ts";
import type { ServiceDeps } from "./deps.ts";
import { getAccountCard } from "./get-account-card.ts";

/** A pick list longer than this asks the rep to type more instead. */
export const PICK_LIST_SIZE = 10;

export type LookupResult =
  | { kind: "one"; card: AccountCard }
  /** `more`: other accounts match too; the list holds the closest PICK_LIST_SIZE. */
  | { kind: "several"; accounts: AccountSummary[]; more: boolean }
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
 * The name index is rebuilt only when names changed: a trigger bumps account_name_version on every
 * insert, delete or rename (not on status or owner changes), so each lookup reads one row first.
 */
const cachedIndexes = new WeakMap<ServiceDeps["pool"], { version: bigint; index: MatchIndex }>();

async function matchIndex(deps: ServiceDeps): Promise<MatchIndex> {
  const { rows } = await deps.pool.query<{ version: bigint }>(
    "SELECT version FROM account_name_version WHERE id = 1",
  );
  const version = rows[0]?.version ?? -1n;
  const cached = cachedIndexes.get(deps.pool);
  if (cached?.version === version) return cached.index;
  // Plain pg here: Prisma materialises 100k rows about 20 times slower, and this is on a user's wait.
  const { rows: accounts } = await deps.pool.query<{
    id: string;
    name: string;
    aliases: string[] | null;
    externalId: string;
  }>('SELECT id, name, aliases, external_id AS "externalId" FROM account');
  const index = buildMatchIndex(accounts.map((a) => ({ ...a, aliases: a.aliases ?? [] })));
  cachedIndexes.set(deps.pool, { version, index });
  return index;
}

async function summaries(deps: ServiceDeps, ids: readonly string[]): Promise<AccountSummary[]> {
  const rows = await deps.prisma.account.findMany({ where: { id: { in: [...ids] } }, select: summarySelect });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** The cached name index, for other searches over the accounts (the message shortcut's account picker). */
export function accountMatchIndex(deps: ServiceDeps): Promise<MatchIndex> {
  return matchIndex(deps);
}

/** Builds the name index ahead of the first /customer, so no rep waits for it. */
export async function warmAccountIndex(deps: ServiceDeps): Promise<void> {
  await matchIndex(deps);
}

export async function lookupAccount(
  deps: ServiceDeps,
  query: string,
  viewerSlackId: string,
): Promise<LookupResult> {
  // One more than we show, to know whether the list is cut.
  const ranked = rankAccounts(query, await matchIndex(deps), PICK_LIST_SIZE + 1);
  const match = classifyMatch(ranked);
  switch (match.kind) {
    case "one":
      return { kind: "one", card: await getAccountCard(deps, match.id, viewerSlackId) };
    case "several":
      return {
        kind: "several",
        accounts: await summaries(deps, match.ids.slice(0, PICK_LIST_SIZE)),
        more: match.ids.length > PICK_LIST_SIZE,
      };
    case "none":
      return {
        kind: "none",
        suggestions: await summaries(
          deps,
          match.suggestions.map((s) => s.id),
        ),
      };
    default:
      return match satisfies never;
  }
}
