// Loads what a record modal needs: the account and its current contacts.
import { sortContacts } from "../domain/account-card.ts";
import { calendarDay } from "../domain/trends.ts";
import { AppError } from "../errors.ts";
import type { RecordForm, RecordPrefill } from "../slack/views/record-form.ts";
import type { ServiceDeps } from "./deps.ts";

export async function getRecordForm(
  deps: ServiceDeps,
  input: { accountId: string; userId: string; prefill?: RecordPrefill },
): Promise<RecordForm> {
  const now = deps.now();
  const today = calendarDay(now, deps.timeZone);
  const account = await deps.prisma.account.findUnique({
    where: { id: input.accountId },
    select: {
      id: true,
      name: true,
      ownerSlackId: true,
      contacts: {
        where: { OR: [{ endedOn: null }, { endedOn: { gt: new Date(`${today}T00:00:00Z`) } }] },
        select: { id: true, name: true, role: true },
      },
    },
  });
  if (!account) throw new AppError("not_found", "That customer no longer exists.");
  return {
    account: { id: account.id, name: account.name, ownerSlackId: account.ownerSlackId },
    contacts: sortContacts(account.contacts),
    today,
    userId: input.userId,
    prefill: input.prefill ?? {},
  };
}
