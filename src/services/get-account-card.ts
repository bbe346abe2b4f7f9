// Loads one account with what its card shows: current contacts and the order history the figures need.
import {
  type AccountCard,
  buildCardFigures,
  CARD_HISTORY_DAYS,
  sortContacts,
} from "../domain/account-card.ts";
import { calendarDay } from "../domain/trends.ts";
import { AppError } from "../errors.ts";
import type { ServiceDeps } from "./deps.ts";

const MS_PER_DAY = 86_400_000;

export async function getAccountCard(deps: ServiceDeps, accountId: string): Promise<AccountCard> {
  const now = deps.now();
  const today = calendarDay(now, deps.timeZone);
  const since = new Date(now.getTime() - CARD_HISTORY_DAYS * MS_PER_DAY);
  const [account, orders, newest] = await Promise.all([
    deps.prisma.account.findUnique({
      where: { id: accountId },
      include: {
        contacts: {
          // Current contacts: no end date, or one still ahead. Ended ones stay as history.
          where: { OR: [{ endedOn: null }, { endedOn: { gt: new Date(`${today}T00:00:00Z`) } }] },
          select: { name: true, role: true, email: true, phone: true },
        },
      },
    }),
    deps.prisma.order.findMany({
      where: { accountId, orderedAt: { gte: since } },
      select: { orderedAt: true, quantity: true, amount: true, cost: true, currency: true },
    }),
    deps.prisma.order.findFirst({
      where: { accountId },
      orderBy: { orderedAt: "desc" },
      select: { orderedAt: true },
    }),
  ]);
  if (!account) throw new AppError("not_found", "That customer no longer exists.");
  return {
    account: {
      id: account.id,
      externalId: account.externalId,
      name: account.name,
      aliases: account.aliases,
      ownerSlackId: account.ownerSlackId,
      channelId: account.channelId,
      segment: account.segment,
      region: account.region,
      status: account.status,
    },
    contacts: sortContacts(account.contacts),
    figures: buildCardFigures(orders, now, deps.timeZone),
    lastOrderDay: newest ? calendarDay(newest.orderedAt, deps.timeZone) : null,
  };
}
