// Records a warning sign (§3) from the sign modal; a contact change ends the old contact and adds the new one.
import {
  competitorMoves,
  type SignDraft,
  type SignField,
  type SignSummary,
  type ValidSign,
  validateSign,
} from "../../domain/signs.ts";
import { calendarDay } from "../../domain/trends.ts";
import { AppError } from "../../errors.ts";
import { dateOf } from "../calendar-days.ts";
import type { ServiceDeps } from "../deps.ts";
import { createOnce } from "../once.ts";

export type RecordSignInput = {
  accountId: string;
  draft: SignDraft;
  /** The Slack view id: a replayed or double submit records nothing more. */
  submissionKey: string;
  /** Slack user id of whoever submitted. */
  createdBy: string;
  sourcePermalink: string | null;
};

export type RecordSignResult =
  | { ok: false; errors: Partial<Record<SignField, string>> }
  /** `created` is false when this submission had been recorded already. */
  | { ok: true; created: boolean; signId: string; summary: SignSummary };

/** A PostgreSQL `date` column takes midnight UTC of the day. */
const dayOf = (date: Date): string => date.toISOString().slice(0, 10);

/** Thrown inside the transaction when the old contact ended meanwhile; the transaction rolls back. */
class OldContactTaken extends Error {}

const summarySelect = {
  id: true,
  kind: true,
  observedOn: true,
  details: true,
  competitorName: true,
  competitorMoves: true,
  sourcePermalink: true,
  account: { select: { name: true } },
  oldContact: { select: { name: true, role: true } },
  newContact: { select: { name: true, role: true } },
} as const;

async function summaryOf(deps: ServiceDeps, where: { id: string } | { submissionKey: string }) {
  const sign = await deps.prisma.warningSign.findUnique({ where, select: summarySelect });
  if (!sign) return null;
  const summary: SignSummary = {
    accountName: sign.account.name,
    kind: sign.kind,
    observedOn: dayOf(sign.observedOn),
    details: sign.details,
    oldContact: sign.oldContact,
    newContact: sign.newContact,
    competitor: sign.competitorName
      ? {
          name: sign.competitorName,
          moves: competitorMoves.filter((move) => sign.competitorMoves.includes(move)),
        }
      : null,
    sourcePermalink: sign.sourcePermalink,
  };
  return { signId: sign.id, summary };
}

// The contact who left must be one of this account's, current, and not have started after the sign.
async function checkOldContact(
  deps: ServiceDeps,
  accountId: string,
  sign: ValidSign,
  today: string,
): Promise<string | null> {
  const oldContactId = sign.contactChange?.oldContactId;
  if (!oldContactId) return null;
  const contact = await deps.prisma.contact.findFirst({
    where: { id: oldContactId, accountId },
    select: { name: true, startedOn: true, endedOn: true },
  });
  if (!contact) return "That contact is not one of this customer's.";
  if (contact.endedOn && dayOf(contact.endedOn) <= today) {
    return `${contact.name} already left on ${dayOf(contact.endedOn)}.`;
  }
  if (contact.startedOn && dayOf(contact.startedOn) > sign.observedOn) {
    return `${contact.name} started on ${dayOf(contact.startedOn)}, after the sign's date.`;
  }
  return null;
}

export async function recordSign(deps: ServiceDeps, input: RecordSignInput): Promise<RecordSignResult> {
  // A replay after the first submit succeeded: its old contact is no longer current, so checking the
  // form again would report an error for a sign that was in fact recorded. The same holds when a
  // concurrent submit of this view commits while this one is checking.
  const recordedMeanwhile = async (): Promise<RecordSignResult | null> => {
    const recorded = await summaryOf(deps, { submissionKey: input.submissionKey });
    return recorded ? { ok: true, created: false, ...recorded } : null;
  };
  const recorded = await recordedMeanwhile();
  if (recorded) return recorded;

  const today = calendarDay(deps.now(), deps.timeZone);
  const validation = validateSign(input.draft, today);
  if (!validation.ok) return validation;
  const sign = validation.sign;

  const account = await deps.prisma.account.findUnique({
    where: { id: input.accountId },
    select: { id: true },
  });
  if (!account) throw new AppError("not_found", "That customer no longer exists.");
  const oldContactProblem = await checkOldContact(deps, input.accountId, sign, today);
  if (oldContactProblem)
    return (await recordedMeanwhile()) ?? { ok: false, errors: { oldContact: oldContactProblem } };

  try {
    const { record, created } = await createOnce(
      () =>
        deps.prisma.$transaction(async (tx) => {
          // The sign first: a concurrent submit of the same view waits on the unique submission key
          // here and then fails with P2002, before it touches any contact.
          const row = await tx.warningSign.create({
            data: {
              accountId: input.accountId,
              kind: sign.kind,
              observedOn: dateOf(sign.observedOn),
              details: sign.details,
              competitorName: sign.competitor?.name ?? null,
              competitorMoves: sign.competitor?.moves ?? [],
              sourcePermalink: input.sourcePermalink,
              submissionKey: input.submissionKey,
              createdBy: input.createdBy,
            },
            select: { id: true },
          });
          const change = sign.contactChange;
          if (!change) return row;
          if (change.oldContactId) {
            // Guarded update: only a contact of this account that is still current gets the end date.
            const ended = await tx.contact.updateMany({
              where: {
                id: change.oldContactId,
                accountId: input.accountId,
                OR: [{ endedOn: null }, { endedOn: { gt: dateOf(today) } }],
              },
              data: { endedOn: dateOf(sign.observedOn) },
            });
            if (ended.count !== 1) throw new OldContactTaken();
          }
          const newContact = await tx.contact.create({
            data: {
              accountId: input.accountId,
              name: change.newContact.name,
              role: change.newContact.role,
              email: change.newContact.email,
              phone: change.newContact.phone,
              startedOn: dateOf(sign.observedOn),
            },
            select: { id: true },
          });
          return tx.warningSign.update({
            where: { id: row.id },
            data: { oldContactId: change.oldContactId, newContactId: newContact.id },
            select: { id: true },
          });
        }),
      () =>
        deps.prisma.warningSign.findUnique({
          where: { submissionKey: input.submissionKey },
          select: { id: true },
        }),
    );
    const saved = await summaryOf(deps, { id: record.id });
    if (!saved) throw new AppError("internal", "The sign was saved but could not be read back.");
    return { ok: true, created, ...saved };
  } catch (error) {
    if (!(error instanceof OldContactTaken)) throw error;
    return (
      (await recordedMeanwhile()) ?? {
        ok: false,
        errors: { oldContact: "That contact was just marked as left by someone else." },
      }
    );
  }
}
