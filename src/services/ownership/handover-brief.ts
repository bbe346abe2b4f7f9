// What a new owner needs to know about an account handed to them: open complaints and follow-ups, recent
// signs, the current risk with its reasons (margin figures only where their role allows), key dates.
import type { AccountCard } from "../../domain/account-card.ts";
import { type KeyDate, type KeyDateSource, upcomingKeyDates } from "../../domain/ownership.ts";
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
      select: { name: true, birthday: true },
    }),
    deps.prisma.order.findFirst({
      where: { accountId },
      orderBy: { orderedAt: "asc" },
      select: { orderedAt: true },
    }),
  ]);
  const sources: KeyDateSource[] = contacts.flatMap((contact) =>
    contact.birthday
      ? [{ kind: "birthday" as const, label: contact.name, day: dayOf(contact.birthday) }]
      : [],
  );
  if (account?.foundedOn)
    sources.push({ kind: "founding_anniversary", label: account.name, day: dayOf(account.foundedOn) });
  if (firstOrder)
    sources.push({
      kind: "first_order_anniversary",
      label: account?.name ?? card.account.name,
      day: calendarDay(firstOrder.orderedAt, deps.timeZone),
    });
  return {
    ...people,
    card,
    followUps: followUps.map((followUp) => ({
      description: followUp.description,
      dueOn: dayOf(followUp.dueOn),
      ownerSlackId: followUp.ownerSlackId,
    })),
    followUpCount,
    keyDates: upcomingKeyDates(sources, today),
  };
}
