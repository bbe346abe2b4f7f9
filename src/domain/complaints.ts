// Complaint lifecycle (§7 "listen to complaints"): record, investigate, fix, resolve, and close only
// once the customer confirmed the fix; overdue against response targets by severity.

export const complaintCategories = [
  "product_quality",
  "delivery",
  "service",
  "price",
  "billing",
  "channel_conflict",
  "other",
] as const;
export type ComplaintCategory = (typeof complaintCategories)[number];

export const severities = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof severities)[number];

export const complaintStatuses = [
  "open",
  "investigating",
  "fixing",
  "resolved",
  "confirmed",
  "reopened",
] as const;
export type ComplaintStatus = (typeof complaintStatuses)[number];

/** The buttons on a complaint's message: each moves it one step. */
export const complaintActions = ["investigate", "fix", "resolve", "confirm", "reopen"] as const;
export type ComplaintAction = (typeof complaintActions)[number];

const transitions: Record<ComplaintAction, { from: readonly ComplaintStatus[]; to: ComplaintStatus }> = {
  // Is it true? Checking starts from a new complaint or one that came back.
  investigate: { from: ["open", "reopened"], to: "investigating" },
  fix: { from: ["investigating"], to: "fixing" },
  // Resolving needs what was done; a complaint found untrue is resolved straight from investigating.
  resolve: { from: ["investigating", "fixing"], to: "resolved" },
  // We reported the fix back and the customer confirmed it: only now is it closed.
  confirm: { from: ["resolved"], to: "confirmed" },
  reopen: { from: ["resolved", "confirmed"], to: "reopened" },
};

export function actionsFrom(status: ComplaintStatus): ComplaintAction[] {
  return complaintActions.filter((action) => transitions[action].from.includes(status));
}

export type TransitionResult = { ok: true; to: ComplaintStatus } | { ok: false; reason: string };

/** Whether `action` applies to a complaint in `status`; `note` is what was done, required to resolve. */
export function applyComplaintAction(
  status: ComplaintStatus,
  action: ComplaintAction,
  note?: string | null,
): TransitionResult {
  const refusal = actionRefusal(status, action);
  if (refusal !== null) return { ok: false, reason: refusal };
  if (action === "resolve" && !note?.trim()) {
    return { ok: false, reason: "Say what was done to resolve it." };
  }
  return { ok: true, to: transitions[action].to };
}

/** Why `action` does not apply to a complaint in `status` (a stale button), or null when it does. */
export function actionRefusal(status: ComplaintStatus, action: ComplaintAction): string | null {
  if (transitions[action].from.includes(status)) return null;
  return `This complaint is ${statusLabel[status].toLowerCase()}: it cannot be marked ${transitionLabel[action].toLowerCase()} now.`;
}

/** Closed for good only once the customer confirmed; resolved ones still wait for that. */
export function isOpenComplaint(status: ComplaintStatus): boolean {
  return status !== "confirmed";
}

/** Still being worked on: the response target applies until it is resolved. */
export function awaitsResolution(status: ComplaintStatus): boolean {
  return status === "open" || status === "investigating" || status === "fixing" || status === "reopened";
}

export const statusLabel: Record<ComplaintStatus, string> = {
  open: "Open",
  investigating: "Investigating",
  fixing: "Fixing",
  resolved: "Resolved, awaiting customer confirmation",
  confirmed: "Confirmed by the customer",
  reopened: "Reopened",
};

export const transitionLabel: Record<ComplaintAction, string> = {
  investigate: "Investigating",
  fix: "Fixing",
  resolve: "Resolved",
  confirm: "Customer confirmed",
  reopen: "Reopened",
};

export const categoryLabel: Record<ComplaintCategory, string> = {
  product_quality: "Product quality",
  delivery: "Delivery",
  service: "Service",
  price: "Price",
  billing: "Billing",
  channel_conflict: "Channel conflict",
  other: "Other",
};

export const severityLabel: Record<Severity, string> = {
  low: "Low",
  medium: "Medium",
  high: "High",
  critical: "Critical",
};

/** Days to resolve a complaint, by severity (configurable: COMPLAINT_RESPONSE_DAYS). */
export type ResponseTargets = Readonly<Record<Severity, number>>;

export const defaultResponseTargets: ResponseTargets = { critical: 1, high: 3, medium: 7, low: 14 };

const MS_PER_DAY = 86_400_000;

export type ComplaintAge = { ageDays: number; targetDays: number; overdueDays: number };

/**
 * Age in whole days since it was raised (or last reopened), and how far past its target. A
 * resolved or confirmed complaint is never overdue: the clock stops when it is resolved.
 */
export function complaintAge(
  complaint: { severity: Severity; status: ComplaintStatus; since: Date },
  now: Date,
  targets: ResponseTargets,
): ComplaintAge {
  const ageDays = Math.max(0, Math.floor((now.getTime() - complaint.since.getTime()) / MS_PER_DAY));
  const targetDays = targets[complaint.severity];
  const overdueDays = awaitsResolution(complaint.status) ? Math.max(0, ageDays - targetDays) : 0;
  return { ageDays, targetDays, overdueDays };
}

/** Parses "critical=1,high=3,medium=7,low=14" (any subset; the rest keep their defaults). */
export function parseResponseTargets(text: string): ResponseTargets | { error: string } {
  const targets: Record<Severity, number> = { ...defaultResponseTargets };
  for (const part of text
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^(low|medium|high|critical)\s*=\s*(\d{1,3})$/.exec(part);
    if (!match) return { error: `"${part}" is not severity=days (e.g. critical=1,high=3,medium=7,low=14)` };
    targets[match[1] as Severity] = Number(match[2]);
  }
  return targets;
}

/** One lifecycle step as recorded: `fromStatus` is null for the step that raised the complaint. */
export type ComplaintStep = {
  fromStatus: ComplaintStatus | null;
  toStatus: ComplaintStatus;
  note: string | null;
  actorSlackId: string;
  at: Date;
};

/** The age clock starts when the complaint was raised, and again each time it is reopened. */
export function ageClockStart(
  createdAt: Date,
  steps: readonly Pick<ComplaintStep, "toStatus" | "at">[],
): Date {
  let since = createdAt;
  for (const step of steps) if (step.toStatus === "reopened" && step.at > since) since = step.at;
  return since;
}

/** When the current resolution happened (the latest step to resolved); null while it is not resolved. */
export function resolvedAt(
  status: ComplaintStatus,
  steps: readonly Pick<ComplaintStep, "toStatus" | "at">[],
): Date | null {
  if (status !== "resolved" && status !== "confirmed") return null;
  let at: Date | null = null;
  for (const step of steps) if (step.toStatus === "resolved" && (at === null || step.at > at)) at = step.at;
  return at;
}

/** The end of the response target: `since` plus the severity's days. */
export function complaintDueAt(since: Date, severity: Severity, targets: ResponseTargets): Date {
  return new Date(since.getTime() + targets[severity] * MS_PER_DAY);
}

/** Everything the complaint's Slack message shows, as plain data. */
export type ComplaintDetails = {
  id: string;
  account: { id: string; name: string; channelId: string | null };
  category: ComplaintCategory;
  severity: Severity;
  status: ComplaintStatus;
  description: string;
  resolution: string | null;
  reportedBy: { name: string } | null;
  ownerSlackId: string;
  createdBy: string;
  createdAt: Date;
  sourcePermalink: string | null;
  /** Oldest first. */
  steps: ComplaintStep[];
  /** Start of the age clock: raised, or last reopened. */
  since: Date;
  dueAt: Date;
  age: ComplaintAge;
  resolvedAt: Date | null;
};

/**
 * Where the complaint's message lives: the account's channel, or a direct message to its owner
 * because the account has no channel or posting there failed (the bot is not a member, say).
 */
export type ComplaintPlacement =
  | { kind: "channel" }
  | { kind: "direct"; reason: "no_channel" }
  | { kind: "direct"; reason: "channel_failed"; channelId: string };

/** Derives the placement of an existing message from the account's channel and where it was posted. */
export function placementOf(
  accountChannelId: string | null,
  messageChannelId: string | null,
): ComplaintPlacement {
  if (accountChannelId === null) return { kind: "direct", reason: "no_channel" };
  if (messageChannelId === accountChannelId) return { kind: "channel" };
  return { kind: "direct", reason: "channel_failed", channelId: accountChannelId };
}

/**
 * Steps oldest first. Steps recorded in the same millisecond are put in lifecycle order (each one
 * starts where the one before ended), so the history reads right whatever the database returns.
 */
export function chronologicalSteps<T extends Pick<ComplaintStep, "fromStatus" | "toStatus" | "at">>(
  steps: readonly T[],
): T[] {
  const remaining = [...steps].sort((a, b) => a.at.getTime() - b.at.getTime());
  const ordered: T[] = [];
  let status: ComplaintStatus | null = null;
  while (remaining.length > 0) {
    const first = remaining[0] as T;
    const tied = remaining.filter((step) => step.at.getTime() === first.at.getTime());
    const next = tied.find((step) => step.fromStatus === status) ?? first;
    remaining.splice(remaining.indexOf(next), 1);
    ordered.push(next);
    status = next.toStatus;
  }
  return ordered;
}
