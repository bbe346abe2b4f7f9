// Loads one complaint with its history, its age against the response target, and where its message is.
import {
  ageClockStart,
  type ComplaintDetails,
  chronologicalSteps,
  complaintAge,
  complaintDueAt,
  resolvedAt,
} from "../../domain/complaints.ts";
import { AppError } from "../../errors.ts";
import type { ServiceDeps } from "../deps.ts";

export type ComplaintWithMessage = {
  details: ComplaintDetails;
  /** Where its message with the lifecycle buttons was posted; null when it was never posted. */
  message: { channelId: string; ts: string } | null;
};

export async function getComplaintDetails(
  deps: ServiceDeps,
  complaintId: string,
): Promise<ComplaintWithMessage> {
  const complaint = await deps.prisma.complaint.findUnique({
    where: { id: complaintId },
    include: {
      account: { select: { id: true, name: true, channelId: true } },
      reportedBy: { select: { name: true } },
      events: { select: { fromStatus: true, toStatus: true, note: true, actorSlackId: true, at: true } },
    },
  });
  if (!complaint) throw new AppError("not_found", "That complaint no longer exists.");
  const steps = chronologicalSteps(complaint.events);
  const since = ageClockStart(complaint.createdAt, steps);
  const details: ComplaintDetails = {
    id: complaint.id,
    account: complaint.account,
    category: complaint.category,
    severity: complaint.severity,
    status: complaint.status,
    description: complaint.description,
    resolution: complaint.resolution,
    reportedBy: complaint.reportedBy,
    ownerSlackId: complaint.ownerSlackId,
    createdBy: complaint.createdBy,
    createdAt: complaint.createdAt,
    sourcePermalink: complaint.sourcePermalink,
    steps,
    since,
    dueAt: complaintDueAt(since, complaint.severity, deps.responseTargets),
    age: complaintAge(
      { severity: complaint.severity, status: complaint.status, since },
      deps.now(),
      deps.responseTargets,
    ),
    resolvedAt: resolvedAt(complaint.status, steps),
  };
  const message =
    complaint.messageChannelId && complaint.messageTs
      ? { channelId: complaint.messageChannelId, ts: complaint.messageTs }
      : null;
  return { details, message };
}
