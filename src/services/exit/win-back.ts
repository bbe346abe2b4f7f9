// A lost customer buys again: the account is active from today. Its history stays as it was (the exit
// case, the lessons, the status changes), so the churn report still counts the loss in its period and
// a later loss counts again.
import { calendarDay } from "../../domain/trends.ts";
import { AppError } from "../../errors.ts";
import type { ServiceDeps } from "../deps.ts";
import { changeAccountStatus } from "./close-case.ts";

export async function winBack(
  deps: ServiceDeps,
  input: { accountId: string; actorSlackId: string },
): Promise<{ accountName: string }> {
  const today = calendarDay(deps.now(), deps.timeZone);
  return deps.prisma.$transaction(async (tx) => {
    const [account] = await tx.$queryRaw<{ name: string; status: string }[]>`
      SELECT name, status::text AS status FROM account WHERE id = ${input.accountId}::uuid FOR UPDATE`;
    if (!account) throw new AppError("not_found", "That customer no longer exists.");
    if (account.status !== "lost")
      throw new AppError(
        "bad_request",
        `${account.name} is not lost (it is ${account.status.replace("_", " ")}).`,
      );
    const lastCase = await tx.exitCase.findFirst({
      where: { accountId: input.accountId, status: "lost" },
      orderBy: { closedOn: "desc" },
      select: { id: true },
    });
    await changeAccountStatus(tx, {
      accountId: input.accountId,
      from: "lost",
      to: "active",
      effectiveOn: today,
      exitCaseId: lastCase?.id ?? null,
      actorSlackId: input.actorSlackId,
    });
    return { accountName: account.name };
  });
}
