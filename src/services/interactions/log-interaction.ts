// Saves a checked interaction and its next step (a follow-up) together, once per Slack submission.
import type { ValidInteraction } from "../../domain/interactions.ts";
import type { Prisma } from "../../generated/prisma/client.ts";
import type { ServiceDeps } from "../deps.ts";
import { createOnce } from "../once.ts";

export type LogInteractionInput = ValidInteraction & {
  accountId: string;
  /** The Slack view id: a replayed or doubled submission of the same view creates nothing. */
  submissionKey: string;
  /** Slack user id of whoever logged it. */
  createdBy: string;
  sourcePermalink: string | null;
};

export type LoggedInteraction = {
  interactionId: string;
  followUpId: string | null;
  accountName: string;
  /** False when this submission had been saved already (nothing new was written). */
  created: boolean;
};

/** Input that only the database can judge, reported for the form field it concerns. */
export type LogInteractionProblem = { field: "account" | "contactIds"; message: string };

export type LogInteractionResult =
  | ({ ok: true } & LoggedInteraction)
  | ({ ok: false } & LogInteractionProblem);

const day = (isoDay: string): Date => new Date(`${isoDay}T00:00:00Z`);

const saved = {
  id: true,
  account: { select: { name: true } },
  followUps: { select: { id: true }, orderBy: { createdAt: "asc" }, take: 1 },
} satisfies Prisma.InteractionSelect;

class InputProblem extends Error {
  constructor(readonly problem: LogInteractionProblem) {
    super(problem.message);
  }
}

/**
 * One transaction: the interaction and, when a next step was given, its follow-up. The contacts
 * must belong to the account (a form can be tampered with, or a contact moved meanwhile).
 */
export async function logInteraction(
  deps: ServiceDeps,
  input: LogInteractionInput,
): Promise<LogInteractionResult> {
  try {
    const { record, created } = await createOnce(
      () =>
        deps.prisma.$transaction(async (tx) => {
          const account = await tx.account.findUnique({
            where: { id: input.accountId },
            select: { id: true },
          });
          if (!account)
            throw new InputProblem({ field: "account", message: "That customer no longer exists." });
          if (input.contactIds.length > 0) {
            const known = await tx.contact.count({
              where: { id: { in: input.contactIds }, accountId: input.accountId },
            });
            if (known !== input.contactIds.length) {
              throw new InputProblem({
                field: "contactIds",
                message: "Some of these contacts are not with this customer any more: pick them again.",
              });
            }
          }
          const step = input.nextStep;
          return tx.interaction.create({
            data: {
              accountId: input.accountId,
              kind: input.kind,
              occurredOn: day(input.occurredOn),
              ourParticipants: input.ourParticipants,
              contactIds: input.contactIds,
              summary: input.summary,
              praised: input.praised,
              complained: input.complained,
              loyalty: input.loyalty,
              sourcePermalink: input.sourcePermalink,
              submissionKey: input.submissionKey,
              createdBy: input.createdBy,
              ...(step
                ? {
                    followUps: {
                      create: {
                        accountId: input.accountId,
                        description: step.description,
                        dueOn: day(step.dueOn),
                        ownerSlackId: step.ownerSlackId,
                        createdBy: input.createdBy,
                      },
                    },
                  }
                : {}),
            },
            select: saved,
          });
        }),
      () =>
        deps.prisma.interaction.findUnique({ where: { submissionKey: input.submissionKey }, select: saved }),
    );
    return {
      ok: true,
      interactionId: record.id,
      followUpId: record.followUps[0]?.id ?? null,
      accountName: record.account.name,
      created,
    };
  } catch (error) {
    if (error instanceof InputProblem) return { ok: false, ...error.problem };
    throw error;
  }
}
