// Loads one account with what its card shows: current contacts, the order history the figures need, and
// the latest records (interactions and loyalty reads, open complaints, warning signs).

import { z } from "zod";
import {
  type AccountCard,
  buildCardFigures,
  CARD_COMPLAINTS_LOADED,
  CARD_HISTORY_DAYS,
  CARD_INTERACTIONS,
  CARD_LOYALTY_READS,
  CARD_SIGN_DAYS,
  CARD_SIGNS,
  type CardInteraction,
  type CardRecords,
  type CardRisk,
  hideMargin,
  rankOpenComplaints,
  sortContacts,
} from "../domain/account-card.ts";
import { type CardClass, type ClassFields, ZClassWhy } from "../domain/classification.ts";
import { loyaltyTrend } from "../domain/loyalty.ts";
import { seesMargin } from "../domain/roles.ts";
import { calendarDay } from "../domain/trends.ts";
import { AppError } from "../errors.ts";
import type { ServiceDeps } from "./deps.ts";
import { loadKeyAccountCare } from "./key-care/key-account-care.ts";

const MS_PER_DAY = 86_400_000;

/** A `@db.Date` value as Prisma returns it (midnight UTC) back to its calendar day. */
function dateOnly(value: Date): string {
  return value.toISOString().slice(0, 10);
}

/**
 * The card as `viewerSlackId` may see it: margin and profit only where their role allows (§7). Null
 * is a channel's audience (a shared card, a thread): margins only when roles are off.
 */
export async function getAccountCard(
  deps: ServiceDeps,
  accountId: string,
  viewerSlackId: string | null,
): Promise<AccountCard> {
  const now = deps.now();
  const today = calendarDay(now, deps.timeZone);
  const since = new Date(now.getTime() - CARD_HISTORY_DAYS * MS_PER_DAY);
  const [account, orders, newest, records, assessments, keyCare, classes] = await Promise.all([
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
    loadRecords(deps, accountId, now, today),
    deps.prisma.riskAssessment.findMany({
      where: { accountId },
      orderBy: [{ asOf: "desc" }, { createdAt: "desc" }],
      take: 2,
      select: {
        asOf: true,
        risk: true,
        band: true,
        verdict: true,
        reasons: true,
        pAlive: true,
        expectedOrders13w: true,
      },
    }),
    loadKeyAccountCare(deps, { accountIds: [accountId] }, today, deps.timeZone),
    deps.prisma.accountClass.findMany({
      where: { accountId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: 2,
      select: {
        fromDay: true,
        keyBasis: true,
        face: true,
        relationship: true,
        loyalty: true,
        loyaltyDirection: true,
        why: true,
      },
    }),
  ]);
  if (!account) throw new AppError("not_found", "That customer no longer exists.");
  const viewer =
    viewerSlackId === null
      ? { userId: "", manager: !deps.roles.configured }
      : await deps.roles.viewer(viewerSlackId);
  const card: AccountCard = {
    marginVisible: true,
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
    risk: cardRisk(assessments),
    classification: cardClass(classes),
    contacts: sortContacts(account.contacts),
    figures: buildCardFigures(orders, now, deps.timeZone),
    lastOrderDay: newest ? calendarDay(newest.orderedAt, deps.timeZone) : null,
    records,
    keyCare: keyCare[0] ?? null,
  };
  return seesMargin(viewer, account.ownerSlackId, deps.roles) ? card : hideMargin(card);
}

type ClassRow = ClassFields & { fromDay: Date; why: unknown };

function cardClass(classes: ClassRow[]): CardClass | null {
  const [latest, before] = classes;
  if (!latest) return null;
  const fields = (row: ClassRow): ClassFields => ({
    keyBasis: row.keyBasis,
    face: row.face,
    relationship: row.relationship,
    loyalty: row.loyalty,
    loyaltyDirection: row.loyaltyDirection,
  });
  const why = ZClassWhy.safeParse(latest.why);
  return {
    current: { ...fields(latest), fromDay: dateOnly(latest.fromDay), why: why.success ? why.data : null },
    previous: before ? { ...fields(before), fromDay: dateOnly(before.fromDay) } : null,
  };
}

const ZSavedReasons = z.array(z.object({ code: z.string(), text: z.string() }));

function cardRisk(
  assessments: {
    asOf: Date;
    risk: number;
    band: CardRisk["band"];
    verdict: CardRisk["verdict"];
    reasons: unknown;
    pAlive: number | null;
    expectedOrders13w: number | null;
  }[],
): CardRisk | null {
  const [latest, before] = assessments;
  if (!latest) return null;
  const reasons = ZSavedReasons.safeParse(latest.reasons);
  return {
    asOf: dateOnly(latest.asOf),
    risk: latest.risk,
    band: latest.band,
    verdict: latest.verdict,
    reasons: reasons.success ? reasons.data.map(({ code, text }) => ({ code, text })) : [],
    pAlive: latest.pAlive,
    expectedOrders13w: latest.expectedOrders13w,
    previous: before ? { asOf: dateOnly(before.asOf), risk: before.risk, band: before.band } : null,
  };
}

// Every list is read newest (or oldest) first with `take`, on the (account_id, date) indexes.
async function loadRecords(
  deps: ServiceDeps,
  accountId: string,
  now: Date,
  today: string,
): Promise<CardRecords> {
  const signsSince = new Date(Date.parse(`${today}T00:00:00Z`) - CARD_SIGN_DAYS * MS_PER_DAY);
  const openComplaint = { accountId, status: { not: "confirmed" as const } };
  const recentSign = { accountId, observedOn: { gte: signsSince } };
  const [interactions, loyaltyReads, complaints, openComplaintCount, signs, signCount] = await Promise.all([
    deps.prisma.interaction.findMany({
      where: { accountId },
      orderBy: [{ occurredOn: "desc" }, { createdAt: "desc" }],
      take: CARD_INTERACTIONS,
      select: { occurredOn: true, kind: true, ourParticipants: true, contactIds: true, summary: true },
    }),
    deps.prisma.interaction.findMany({
      where: { accountId, loyalty: { not: null } },
      orderBy: [{ occurredOn: "desc" }, { createdAt: "desc" }],
      take: CARD_LOYALTY_READS,
      select: { loyalty: true },
    }),
    deps.prisma.complaint.findMany({
      where: openComplaint,
      orderBy: { createdAt: "asc" },
      take: CARD_COMPLAINTS_LOADED,
      select: {
        category: true,
        severity: true,
        status: true,
        description: true,
        ownerSlackId: true,
        createdAt: true,
        // The response clock restarts when a complaint comes back.
        events: { where: { toStatus: "reopened" }, orderBy: { at: "desc" }, take: 1, select: { at: true } },
      },
    }),
    deps.prisma.complaint.count({ where: openComplaint }),
    deps.prisma.warningSign.findMany({
      where: recentSign,
      orderBy: [{ observedOn: "desc" }, { createdAt: "desc" }],
      take: CARD_SIGNS,
      select: { observedOn: true, kind: true, details: true, competitorName: true },
    }),
    deps.prisma.warningSign.count({ where: recentSign }),
  ]);
  const contactIds = [...new Set(interactions.flatMap((interaction) => interaction.contactIds))];
  const contacts =
    contactIds.length === 0
      ? []
      : await deps.prisma.contact.findMany({
          where: { accountId, id: { in: contactIds } },
          select: { id: true, name: true },
        });
  const contactName = new Map(contacts.map((contact) => [contact.id, contact.name]));
  return {
    interactions: interactions.map(
      (interaction): CardInteraction => ({
        occurredOn: dateOnly(interaction.occurredOn),
        kind: interaction.kind,
        ourParticipants: interaction.ourParticipants,
        contactNames: interaction.contactIds.flatMap((id) => contactName.get(id) ?? []),
        summary: interaction.summary,
      }),
    ),
    loyalty: loyaltyTrend(
      loyaltyReads.flatMap((read) => read.loyalty ?? []),
      CARD_LOYALTY_READS,
    ),
    openComplaints: rankOpenComplaints(
      complaints.map(({ events, ...complaint }) => ({ ...complaint, reopenedAt: events[0]?.at ?? null })),
      now,
      deps.responseTargets,
    ),
    openComplaintCount,
    signs: signs.map((sign) => ({
      observedOn: dateOnly(sign.observedOn),
      kind: sign.kind,
      details: sign.details,
      competitorName: sign.competitorName,
    })),
    signCount,
  };
}
