// §2.4 blacklisting is a manager's decision: an account the engine calls a blacklist candidate (bad
// faith, market disruption, receivables long overdue) is blacklisted only when a manager confirms it
// with a reason, and only a manager takes it back. Each is a status change kept with its reason; a
// blacklisted account gets no churn warnings and does not count as churn.
import type { AccountStatus } from "../../domain/account-card.ts";
import { blacklistRefusal } from "../../domain/blacklist.ts";
import { calendarDay } from "../../domain/trends.ts";
import { AppError } from "../../errors.ts";
import type { ServiceDeps } from "../deps.ts";
import { changeAccountStatus } from "../exit/close-case.ts";
import { claimSubmission } from "../once.ts";

export const BLACKLIST_REASON_MAX = 500;

export type BlacklistChange = {
  accountId: string;
  /** true: blacklist it; false: take it off the blacklist (active again). */
  blacklisted: boolean;
  reason: string;
  actorSlackId: string;
  /** The modal's view id: a replayed submit changes nothing. */
  submissionKey: string;
};

/** Refuses a person who is not a manager, before any form opens. */
export async function assertMayBlacklist(deps: ServiceDeps, actorSlackId: string): Promise<void> {
  if (!(await deps.roles.isManager(actorSlackId)))
    throw new AppError(
      "bad_request",
      "Only a manager can blacklist a customer or take it off the blacklist.",
    );
}

export async function changeBlacklisting(
  deps: ServiceDeps,
  input: BlacklistChange,
): Promise<{ accountName: string; changed: boolean }> {
  await assertMayBlacklist(deps, input.actorSlackId);
  const reason = input.reason.trim();
  if (reason === "") throw new AppError("bad_request", "Say why.");
  if (reason.length > BLACKLIST_REASON_MAX)
    throw new AppError("bad_request", `At most ${BLACKLIST_REASON_MAX} characters.`);
  const today = calendarDay(deps.now(), deps.timeZone);
  return deps.prisma.$transaction(async (tx) => {
    const [account] = await tx.$queryRaw<{ name: string; status: AccountStatus }[]>`
      SELECT name, status::text AS status FROM account WHERE id = ${input.accountId}::uuid FOR UPDATE`;
    if (!account) throw new AppError("not_found", "That customer no longer exists.");
    if (!(await claimSubmission(tx, input.submissionKey)))
      return { accountName: account.name, changed: false };
    const refusal = blacklistRefusal(account, input.blacklisted);
    if (refusal) throw new AppError("bad_request", refusal);
    await changeAccountStatus(tx, {
      accountId: input.accountId,
      from: account.status,
      to: input.blacklisted ? "blacklisted" : "active",
      effectiveOn: today,
      exitCaseId: null,
      actorSlackId: input.actorSlackId,
      note: reason,
    });
    return { accountName: account.name, changed: true };
  });
}

/** What the modal shows: the account, and why the engine or the team flagged it. Refusals come first. */
export async function blacklistForm(
  deps: ServiceDeps,
  target: { accountId: string; blacklisted: boolean },
): Promise<{ accountName: string; reasons: string[] }> {
  const account = await deps.prisma.account.findUnique({
    where: { id: target.accountId },
    select: {
      name: true,
      status: true,
      badFaith: true,
      marketDisruption: true,
      assessments: { orderBy: [{ asOf: "desc" }, { createdAt: "desc" }], take: 1, select: { verdict: true } },
    },
  });
  if (!account) throw new AppError("not_found", "That customer no longer exists.");
  const refusal = blacklistRefusal(account, target.blacklisted);
  if (refusal) throw new AppError("bad_request", refusal);
  const reasons: string[] = [];
  if (account.assessments[0]?.verdict === "blacklist_candidate")
    reasons.push("the latest risk scan calls it a blacklist candidate");
  if (account.badFaith) reasons.push("bad faith recorded");
  if (account.marketDisruption) reasons.push("market disruption (selling outside its territory) recorded");
  return { accountName: account.name, reasons };
}
