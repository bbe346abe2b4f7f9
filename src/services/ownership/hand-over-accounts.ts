// /customer handover @from @to [account, …] (managers): every account named (or all of @from's) goes to
// @to in one transaction with @from's open work on them, each change kept as history; then the new
// owner gets a handover brief per account by direct message. Everything is checked before anything changes.
import type { webApi } from "@slack/bolt";
import { buildMatchIndex, classifyMatch, rankAccounts } from "../../domain/account-match.ts";
import { AppError } from "../../errors.ts";
import { buildHandoverBrief } from "../../slack/views/handover.ts";
import type { ServiceDeps } from "../deps.ts";
import { getHandoverBrief } from "./handover-brief.ts";
import { slackPerson } from "./slack-users.ts";

export type HandoverDeps = ServiceDeps & { slack: Pick<webApi.WebClient, "users" | "chat"> };

export type HandoverInput = {
  /** Who runs the handover: must be a manager. */
  managerId: string;
  fromId: string;
  toId: string;
  /** Account names as typed (fuzzy, among @from's accounts); empty: all of @from's accounts. */
  accountQueries: readonly string[];
};

export type HandoverResult = {
  fromId: string;
  toId: string;
  accounts: { id: string; name: string }[];
  moved: { followUps: number; exitTasks: number; correctiveActions: number; complaints: number };
  /** Accounts whose brief could not be sent to the new owner (their handover stands). */
  briefsFailed: { id: string; name: string }[];
};

type OwnedAccount = { id: string; name: string; aliases: string[]; externalId: string };

function pickAccounts(
  owned: readonly OwnedAccount[],
  queries: readonly string[],
  fromId: string,
): OwnedAccount[] {
  if (queries.length === 0) return [...owned];
  const index = buildMatchIndex(owned);
  const byId = new Map(owned.map((account) => [account.id, account]));
  const picked = new Map<string, OwnedAccount>();
  const problems: string[] = [];
  for (const query of queries) {
    const ranked = rankAccounts(query, index, 4);
    const match = classifyMatch(ranked);
    if (match.kind === "one") {
      const account = byId.get(match.id);
      if (account) picked.set(account.id, account);
      continue;
    }
    if (match.kind === "several") {
      const names = ranked.slice(0, 3).flatMap((r) => byId.get(r.id)?.name ?? []);
      problems.push(
        `"${query}" matches several of <@${fromId}>'s accounts (${names.join(", ")}): write more of the name.`,
      );
    } else {
      problems.push(`<@${fromId}> owns no account matching "${query}".`);
    }
  }
  if (problems.length > 0)
    throw new AppError(
      "bad_request",
      `Nothing was handed over.\n${problems.map((p) => `• ${p}`).join("\n")}`,
    );
  return [...picked.values()];
}

/** Checks everything, then moves the accounts and their open work in one transaction. */
export async function reassignAccounts(
  deps: HandoverDeps,
  input: HandoverInput,
): Promise<Omit<HandoverResult, "briefsFailed">> {
  if (!(await deps.roles.isManager(input.managerId)))
    throw new AppError(
      "bad_request",
      "Only managers can hand accounts over. Ask a manager to run the handover.",
    );
  if (input.fromId === input.toId)
    throw new AppError(
      "bad_request",
      `<@${input.fromId}> would hand over to themselves: name two different people.`,
    );
  const [, to] = await Promise.all([
    slackPerson(deps.slack, input.fromId),
    slackPerson(deps.slack, input.toId),
  ]);
  if (to.deleted)
    throw new AppError(
      "bad_request",
      `<@${input.toId}> is deactivated in Slack: pick someone who is still here.`,
    );
  if (to.isBot) throw new AppError("bad_request", `<@${input.toId}> is a bot: accounts go to a person.`);

  const owned = await deps.prisma.account.findMany({
    where: { ownerSlackId: input.fromId },
    select: { id: true, name: true, aliases: true, externalId: true },
    orderBy: { name: "asc" },
  });
  if (owned.length === 0)
    throw new AppError("bad_request", `<@${input.fromId}> owns no accounts: nothing to hand over.`);
  const accounts = pickAccounts(owned, input.accountQueries, input.fromId);
  const accountIds = accounts.map((account) => account.id);

  const moved = await deps.prisma.$transaction(async (tx) => {
    const owners = await tx.account.updateMany({
      where: { id: { in: accountIds }, ownerSlackId: input.fromId },
      data: { ownerSlackId: input.toId },
    });
    // Another handover got there first: change nothing rather than half.
    if (owners.count !== accountIds.length)
      throw new AppError(
        "bad_request",
        "Those accounts changed owner meanwhile. Nothing was handed over: try again.",
      );
    await tx.accountOwnerChange.createMany({
      data: accountIds.map((accountId) => ({
        accountId,
        fromSlackId: input.fromId,
        toSlackId: input.toId,
        reason: "handover" as const,
        changedBy: input.managerId,
      })),
    });
    const followUps = await tx.followUp.updateMany({
      where: { accountId: { in: accountIds }, ownerSlackId: input.fromId, doneAt: null },
      data: { ownerSlackId: input.toId },
    });
    const exitTasks = await tx.exitTask.updateMany({
      where: {
        ownerSlackId: input.fromId,
        status: { in: ["todo", "doing"] },
        exitCase: { accountId: { in: accountIds } },
      },
      data: { ownerSlackId: input.toId },
    });
    const correctiveActions = await tx.correctiveAction.updateMany({
      where: { ownerSlackId: input.fromId, status: "open", exitCase: { accountId: { in: accountIds } } },
      data: { ownerSlackId: input.toId },
    });
    const complaints = await tx.complaint.updateMany({
      where: { accountId: { in: accountIds }, ownerSlackId: input.fromId, status: { not: "confirmed" } },
      data: { ownerSlackId: input.toId },
    });
    // Reminders claimed for the old owner but not delivered go to the new one (the occasion is the same).
    await tx.ownerReminder.updateMany({
      where: { accountId: { in: accountIds }, ownerSlackId: input.fromId, sentAt: null },
      data: { ownerSlackId: input.toId },
    });
    return {
      followUps: followUps.count,
      exitTasks: exitTasks.count,
      correctiveActions: correctiveActions.count,
      complaints: complaints.count,
    };
  });
  deps.logger.info(
    { from: input.fromId, to: input.toId, by: input.managerId, accounts: accountIds.length, ...moved },
    "accounts handed over",
  );
  return {
    fromId: input.fromId,
    toId: input.toId,
    accounts: accounts.map(({ id, name }) => ({ id, name })),
    moved,
  };
}

/** The handover, then one brief per account to the new owner (a failed message is reported, not retried). */
export async function handOverAccounts(deps: HandoverDeps, input: HandoverInput): Promise<HandoverResult> {
  const result = await reassignAccounts(deps, input);
  const briefsFailed: HandoverResult["briefsFailed"] = [];
  for (const account of result.accounts) {
    try {
      const brief = await getHandoverBrief(deps, account.id, { fromId: input.fromId, toId: input.toId });
      await deps.slack.chat.postMessage({ channel: input.toId, ...buildHandoverBrief(brief) });
    } catch (error) {
      deps.logger.error({ err: error, accountId: account.id }, "handover brief not sent");
      briefsFailed.push(account);
    }
  }
  return { ...result, briefsFailed };
}
