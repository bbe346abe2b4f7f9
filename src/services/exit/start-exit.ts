// Start exit handling (§5): the account is marked leaving and a case with the six tasks is created,
// each owned by the account's owner (or whoever started it) and due on its default day.
import type { AccountStatus } from "../../domain/account-card.ts";
import { type ChurnReason, exitTaskNumbers, exitTasks } from "../../domain/exit.ts";
import { addDays } from "../../domain/home.ts";
import { calendarDay, isoDayNumber } from "../../domain/trends.ts";
import { AppError } from "../../errors.ts";
import { dateOf } from "../calendar-days.ts";
import type { ServiceDeps } from "../deps.ts";
import { isUniqueViolation } from "../once.ts";
import { changeAccountStatus } from "./close-case.ts";

export type ExitStartDraft = {
  reason: ChurnReason | null;
  surfaceReason: string | null;
  deepReason: string | null;
  competitorWon: string | null;
  /** YYYY-MM-DD */
  expectedEndOn: string | null;
};

export type StartExitInput = {
  accountId: string;
  draft: ExitStartDraft;
  warningId: string | null;
  actorSlackId: string;
  /** The modal's view id: a replayed submit returns the case it created. */
  submissionKey: string;
};

export type StartExitResult =
  | { ok: true; caseId: string; created: boolean }
  | { ok: false; errors: Partial<Record<keyof ExitStartDraft, string>> };

const text = (value: string | null): string | null => {
  const trimmed = value?.trim() ?? "";
  return trimmed === "" ? null : trimmed;
};

/** Why exit handling cannot start for an account in this status; null when it can. */
export function startRefusal(account: { name: string; status: AccountStatus }): string | null {
  if (account.status === "leaving")
    return `${account.name} is already leaving: its exit tasks are under way.`;
  if (account.status === "lost") return `${account.name} is already lost.`;
  return null;
}

export type DraftCheck =
  | { ok: true; draft: ExitStartDraft }
  | { ok: false; errors: Partial<Record<keyof ExitStartDraft, string>> };

/** Trims the texts (blank is null) and checks the date: shared by starting a case and editing it. */
export function cleanDraft(input: ExitStartDraft): DraftCheck {
  const draft: ExitStartDraft = {
    reason: input.reason,
    surfaceReason: text(input.surfaceReason),
    deepReason: text(input.deepReason),
    competitorWon: text(input.competitorWon),
    expectedEndOn: text(input.expectedEndOn),
  };
  if (draft.expectedEndOn !== null && isoDayNumber(draft.expectedEndOn) === null)
    return { ok: false, errors: { expectedEndOn: "Pick a valid date." } };
  return { ok: true, draft };
}

async function currencyOf(deps: ServiceDeps, accountId: string): Promise<string> {
  const { rows } = await deps.pool.query<{ currency: string }>(
    `(SELECT currency FROM "order" WHERE account_id = $1 ORDER BY ordered_at DESC LIMIT 1)
     UNION ALL (SELECT currency FROM receivable WHERE account_id = $1 ORDER BY due_on DESC LIMIT 1)`,
    [accountId],
  );
  return rows[0]?.currency ?? deps.defaultCurrency;
}

export async function startExit(deps: ServiceDeps, input: StartExitInput): Promise<StartExitResult> {
  const existing = await deps.prisma.exitCase.findUnique({
    where: { submissionKey: input.submissionKey },
    select: { id: true },
  });
  if (existing) return { ok: true, caseId: existing.id, created: false };

  const checked = cleanDraft(input.draft);
  if (!checked.ok) return checked;
  const { draft } = checked;

  const today = calendarDay(deps.now(), deps.timeZone);
  const currency = await currencyOf(deps, input.accountId);
  try {
    const caseId = await deps.prisma.$transaction(async (tx) => {
      const [account] = await tx.$queryRaw<{ status: string; owner: string | null; name: string }[]>`
        SELECT status::text AS status, owner_slack_id AS owner, name FROM account
         WHERE id = ${input.accountId}::uuid FOR UPDATE`;
      if (!account) throw new AppError("not_found", "That customer no longer exists.");
      const refusal = startRefusal({ name: account.name, status: account.status as AccountStatus });
      if (refusal) throw new AppError("bad_request", refusal);
      const status = account.status as "active" | "at_risk" | "blacklisted";
      const created = await tx.exitCase.create({
        data: {
          accountId: input.accountId,
          previousStatus: status,
          reason: draft.reason,
          surfaceReason: draft.surfaceReason,
          deepReason: draft.deepReason,
          competitorWon: draft.competitorWon,
          expectedEndOn: draft.expectedEndOn ? dateOf(draft.expectedEndOn) : null,
          warningId: input.warningId,
          currency,
          submissionKey: input.submissionKey,
          startedBy: input.actorSlackId,
          tasks: {
            create: exitTaskNumbers.map((number) => ({
              number,
              ownerSlackId: account.owner ?? input.actorSlackId,
              dueOn: dateOf(addDays(today, exitTasks[number].dueAfterDays)),
            })),
          },
        },
        select: { id: true },
      });
      await changeAccountStatus(tx, {
        accountId: input.accountId,
        from: status,
        to: "leaving",
        effectiveOn: today,
        exitCaseId: created.id,
        actorSlackId: input.actorSlackId,
      });
      return created.id;
    });
    return { ok: true, caseId, created: true };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // A double submit of the same modal, or two people starting at once.
    const replay = await deps.prisma.exitCase.findUnique({
      where: { submissionKey: input.submissionKey },
      select: { id: true },
    });
    if (replay) return { ok: true, caseId: replay.id, created: false };
    throw new AppError("bad_request", "This customer's exit handling was just started by someone else.", {
      cause: error,
    });
  }
}
