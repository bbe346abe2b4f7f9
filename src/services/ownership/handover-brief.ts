// What a new owner needs to know about an account handed to them: open complaints and follow-ups, recent
// signs, the current risk with its reasons (margin figures only where their role allows), key dates.
import type { AccountCard } from "../../domain/account-card.ts";
import { type KeyDate, upcomingKeyDates } from "../../domain/key-dates.ts";

/** Days ahead a handover brief looks for birthdays and anniversaries. */
export const HANDOVER_KEY_DATE_DAYS = 60;

import { calendarDay } from "../../domain/trends.ts";
import { dayOf } from "../calendar-days.ts";
import type { ServiceDeps } from "../deps.ts";
import { getAccountCard } from "../get-account-card.ts";

/** Open follow-ups listed in a brief (the rest are counted). */
export const BRIEF_FOLLOW_UPS = 10;

export type HandoverBrief = {
  fromId: string;
  toId: string;
  /** The card as the new owner may see it. */
  card: AccountCard;
  followUps: { description: string; dueOn: string; ownerSlackId: string }[];
  followUpCount: number;
  keyDates: KeyDate[];
};

export async function getHandoverBrief(
  deps: ServiceDeps,
  accountId: string,
  people: { fromId: string; toId: string },
): Promise<HandoverBrief> {
  const today = calendarDay(deps.now(), deps.timeZone);
  const openFollowUp = { accountId, doneAt: null };
  const [card, followUps, followUpCount, account, contacts, firstOrder] = await Promise.all([
    getAccountCard(deps, accountId, people.toId),
    deps.prisma.followUp.findMany({
      where: openFollowUp,
      orderBy: [{ dueOn: "asc" }, { createdAt: "asc" }],
      take: BRIEF_FOLLOW_UPS,
      select: { description: true, dueOn: true, ownerSlackId: true },
    }),
    deps.prisma.followUp.count({ where: openFollowUp }),
    deps.prisma.account.findUnique({ where: { id: accountId }, select: { name: true, foundedOn: true } }),
    deps.prisma.contact.findMany({
      where: {
        accountId,
        birthday: { not: null },
        OR: [{ endedOn: null }, { endedOn: { gt: new Date(`${today}T00:00:00Z`) } }],
      },
      select: { id: true, name: true, birthday: true },
    }),
    deps.prisma.order.findFirst({
      where: { accountId },
      orderBy: { orderedAt: "asc" },
      select: { orderedAt: true },
    }),
  ]);
  return {
    ...people,
    card,
    followUps: followUps.map((followUp) => ({
      description: followUp.description,
      dueOn: dayOf(followUp.dueOn),
      ownerSlackId: followUp.ownerSlackId,
    })),
    followUpCount,
    // The same key dates as the card and the owner reminders, looking further ahead.
    keyDates: upcomingKeyDates({
      today,
      noticeDays: HANDOVER_KEY_DATE_DAYS,
      contacts: contacts.flatMap((contact) =>
        contact.birthday ? [{ id: contact.id, name: contact.name, birthday: dayOf(contact.birthday) }] : [],
      ),
      foundedOn: account?.foundedOn ? dayOf(account.foundedOn) : null,
      firstOrderOn: firstOrder ? calendarDay(firstOrder.orderedAt, deps.timeZone) : null,
      holidays: [],
    }),
  };
}
