// Records a complaint (§7) with its first lifecycle step; a replayed or doubled submission records nothing.
import type { ComplaintCategory, Severity } from "../../domain/complaints.ts";
import type { ServiceDeps } from "../deps.ts";
import { createOnce } from "../once.ts";

export type RecordComplaintInput = {
  accountId: string;
  category: ComplaintCategory;
  severity: Severity;
  description: string;
  reportedByContactId: string | null;
  ownerSlackId: string;
  /** Who submitted it: the actor of the first step. */
  createdBy: string;
  sourcePermalink: string | null;
  /** The Slack view id of the submission. */
  submissionKey: string;
};

export type RecordComplaintResult =
  | { kind: "recorded"; complaintId: string; created: boolean }
  /** Nothing saved: which input is wrong, and a message for it. */
  | { kind: "invalid"; field: "account" | "reportedBy"; message: string };

export async function recordComplaint(
  deps: ServiceDeps,
  input: RecordComplaintInput,
): Promise<RecordComplaintResult> {
  const account = await deps.prisma.account.findUnique({
    where: { id: input.accountId },
    select: { id: true },
  });
  if (!account) return { kind: "invalid", field: "account", message: "That customer no longer exists." };
  if (input.reportedByContactId !== null) {
    const contact = await deps.prisma.contact.findFirst({
      where: { id: input.reportedByContactId, accountId: input.accountId },
      select: { id: true },
    });
    if (!contact) {
      return { kind: "invalid", field: "reportedBy", message: "That contact is not one of this customer's." };
    }
  }
  const now = deps.now();
  const { record, created } = await createOnce(
    // A nested create runs as one transaction: the complaint never exists without its first step.
    () =>
      deps.prisma.complaint.create({
        data: {
          accountId: input.accountId,
          category: input.category,
          severity: input.severity,
          description: input.description,
          reportedByContactId: input.reportedByContactId,
          ownerSlackId: input.ownerSlackId,
          status: "open",
          sourcePermalink: input.sourcePermalink,
          submissionKey: input.submissionKey,
          createdBy: input.createdBy,
          createdAt: now,
          updatedAt: now,
          events: { create: { fromStatus: null, toStatus: "open", actorSlackId: input.createdBy, at: now } },
        },
        select: { id: true },
      }),
    () =>
      deps.prisma.complaint.findUnique({
        where: { submissionKey: input.submissionKey },
        select: { id: true },
      }),
  );
  if (created) deps.logger.info({ complaintId: record.id, accountId: input.accountId }, "complaint recorded");
  return { kind: "recorded", complaintId: record.id, created };
}
