// §2.4 when an account may be blacklisted or taken off the blacklist. Pure.
import type { AccountStatus } from "./account-card.ts";

/** Why the change cannot be made in this status; null when it can. */
export function blacklistRefusal(
  account: { name: string; status: AccountStatus },
  blacklist: boolean,
): string | null {
  if (!blacklist) return account.status === "blacklisted" ? null : `${account.name} is not blacklisted.`;
  switch (account.status) {
    case "active":
    case "at_risk":
      return null;
    case "blacklisted":
      return `${account.name} is already blacklisted.`;
    case "leaving":
      return `${account.name} is leaving: finish or close its exit handling first.`;
    case "lost":
      return `${account.name} is lost: there is nothing to blacklist.`;
  }
}
