// Type-ahead over the accounts (the message shortcut's customer picker): the /customer matcher, best first.
import { normalizeName, rankAccounts } from "../domain/account-match.ts";
import type { ServiceDeps } from "./deps.ts";
import { accountMatchIndex } from "./lookup-account.ts";

export type AccountChoice = {
  id: string;
  name: string;
  externalId: string;
  /** The alias the query matched, when it matched an alias that the name does not already contain. */
  matchedAlias: string | null;
};

/** Slack shows at most 100 options; a short list of the closest reads better while typing. */
export const ACCOUNT_CHOICES = 20;

export async function searchAccounts(
  deps: ServiceDeps,
  query: string,
  limit: number = ACCOUNT_CHOICES,
): Promise<AccountChoice[]> {
  if (query.trim() === "") return [];
  const ranked = rankAccounts(query, await accountMatchIndex(deps), limit);
  if (ranked.length === 0) return [];
  const rows = await deps.prisma.account.findMany({
    where: { id: { in: ranked.map((r) => r.id) } },
    select: { id: true, name: true, externalId: true },
  });
  const byId = new Map(rows.map((row) => [row.id, row]));
  // An account deleted since the index was built is simply left out.
  return ranked.flatMap((r) => {
    const row = byId.get(r.id);
    if (!row) return [];
    // "Huawei" explains why 华为技术有限公司 is offered; "Acme" next to "ACME Corporation" explains nothing.
    const aliasTellsWhy =
      r.matchedOn === "alias" && !normalizeName(row.name).includes(normalizeName(r.matchedText));
    return [{ ...row, matchedAlias: aliasTellsWhy ? r.matchedText : null }];
  });
}
