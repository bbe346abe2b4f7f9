// Moves a complaint one lifecycle step, recording who and when; of two people clicking at once only one wins.
import {
  applyComplaintAction,
  type ComplaintAction,
  type ComplaintStatus,
  statusLabel,
} from "../../domain/complaints.ts";
import { AppError } from "../../errors.ts";
import type { ServiceDeps } from "../deps.ts";

export type TransitionComplaintInput = {
  complaintId: string;
  action: ComplaintAction;
  actorSlackId: string;
  /** What was done: required to resolve. */
  note?: string | null;
};

export type TransitionOutcome =
  | { kind: "applied"; from: ComplaintStatus; to: ComplaintStatus }
  /** Nothing changed: the action does not apply to the complaint as it is now. */
  | { kind: "refused"; status: ComplaintStatus; reason: string };

export async function transitionComplaint(
  deps: ServiceDeps,
  input: TransitionComplaintInput,
): Promise<TransitionOutcome> {
  const note = input.note?.trim() || null;
  const now = deps.now();
  const outcome = await deps.prisma.$transaction(async (tx): Promise<TransitionOutcome> => {
    const complaint = await tx.complaint.findUnique({
      where: { id: input.complaintId },
      select: { status: true },
    });
    if (!complaint) throw new AppError("not_found", "That complaint no longer exists.");
    const from = complaint.status;
    const result = applyComplaintAction(from, input.action, note);
    if (!result.ok) return { kind: "refused", status: from, reason: result.reason };
    // Only if nobody moved it since we read it: a concurrent update makes this match no row.
    const { count } = await tx.complaint.updateMany({
      where: { id: input.complaintId, status: from },
      data: {
        status: result.to,
        updatedAt: now,
        // The resolution on the complaint is the current one; the history keeps every earlier one.
        ...(input.action === "resolve" ? { resolution: note } : {}),
        ...(input.action === "reopen" ? { resolution: null } : {}),
      },
    });
    if (count === 0) {
      const current = await tx.complaint.findUniqueOrThrow({
        where: { id: input.complaintId },
        select: { status: true },
      });
      return {
        kind: "refused",
        status: current.status,
        reason: `Someone else just changed this complaint: it is now ${statusLabel[current.status].toLowerCase()}.`,
      };
    }
    await tx.complaintEvent.create({
      data: {
        complaintId: input.complaintId,
        fromStatus: from,
        toStatus: result.to,
        note,
        actorSlackId: input.actorSlackId,
        at: now,
      },
    });
    return { kind: "applied", from, to: result.to };
  });
  deps.logger.info(
    { complaintId: input.complaintId, action: input.action, outcome: outcome.kind },
    "complaint transition",
  );
  return outcome;
}
