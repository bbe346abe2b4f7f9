// Open complaints (not yet confirmed by the customer), newest first, with their age and whether overdue.
import {
  ageClockStart,
  type ComplaintAge,
  type ComplaintCategory,
  type ComplaintStatus,
  complaintAge,
  complaintDueAt,
  type Severity,
} from "../../domain/complaints.ts";
import type { ServiceDeps } from "../deps.ts";

export type OpenComplaint = {
  id: string;
  account: { id: string; name: string };
  category: ComplaintCategory;
  severity: Severity;
  status: ComplaintStatus;
  description: string;
  ownerSlackId: string;
  createdAt: Date;
  /** Start of the age clock: raised, or last reopened. */
  since: Date;
  dueAt: Date;
  age: ComplaintAge;
  /** Past its response target and not resolved yet. */
  overdue: boolean;
  /** Its message with the lifecycle buttons, when it was posted. */
  message: { channelId: string; ts: string } | null;
};

export type ListOpenComplaintsOptions = {
  accountId?: string;
  ownerSlackId?: string;
  /** At most this many (1–100); default 20. */
  limit?: number;
};

export type OpenComplaintList = {
  complaints: OpenComplaint[];
  /** How many open complaints match in all, however many were returned. */
  total: number;
};

export async function listOpenComplaints(
  deps: ServiceDeps,
  options: ListOpenComplaintsOptions = {},
): Promise<OpenComplaintList> {
  const limit = Math.min(100, Math.max(1, Math.floor(options.limit ?? 20)));
  const where = {
    status: { not: "confirmed" as const },
    ...(options.accountId ? { accountId: options.accountId } : {}),
    ...(options.ownerSlackId ? { ownerSlackId: options.ownerSlackId } : {}),
  };
  const [rows, total] = await Promise.all([
    deps.prisma.complaint.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      take: limit,
      select: {
        id: true,
        account: { select: { id: true, name: true } },
        category: true,
        severity: true,
        status: true,
        description: true,
        ownerSlackId: true,
        createdAt: true,
        messageChannelId: true,
        messageTs: true,
        events: {
          where: { toStatus: "reopened" },
          orderBy: { at: "desc" },
          take: 1,
          select: { toStatus: true, at: true },
        },
      },
    }),
    deps.prisma.complaint.count({ where }),
  ]);
  const now = deps.now();
  const complaints = rows.map((row): OpenComplaint => {
    const since = ageClockStart(row.createdAt, row.events);
    const age = complaintAge(
      { severity: row.severity, status: row.status, since },
      now,
      deps.responseTargets,
    );
    return {
      id: row.id,
      account: row.account,
      category: row.category,
      severity: row.severity,
      status: row.status,
      description: row.description,
      ownerSlackId: row.ownerSlackId,
      createdAt: row.createdAt,
      since,
      dueAt: complaintDueAt(since, row.severity, deps.responseTargets),
      age,
      overdue: age.overdueDays > 0,
      message:
        row.messageChannelId && row.messageTs ? { channelId: row.messageChannelId, ts: row.messageTs } : null,
    };
  });
  return { complaints, total };
}
