// The complaint lifecycle table (every action from every status), the age clock and the response targets.
import { describe, expect, it } from "vitest";
import {
  actionRefusal,
  actionsFrom,
  ageClockStart,
  applyComplaintAction,
  type ComplaintAction,
  type ComplaintStatus,
  chronologicalSteps,
  complaintActions,
  complaintAge,
  complaintDueAt,
  complaintStatuses,
  defaultResponseTargets,
  isOpenComplaint,
  parseResponseTargets,
  placementOf,
  resolvedAt,
} from "../../src/domain/complaints.ts";

// The whole state machine, written out: status → action → the status it leads to (absent: refused).
const table: Record<ComplaintStatus, Partial<Record<ComplaintAction, ComplaintStatus>>> = {
  open: { investigate: "investigating" },
  investigating: { fix: "fixing", resolve: "resolved" },
  fixing: { resolve: "resolved" },
  resolved: { confirm: "confirmed", reopen: "reopened" },
  confirmed: { reopen: "reopened" },
  reopened: { investigate: "investigating" },
};

const cases = complaintStatuses.flatMap((status) =>
  complaintActions.map((action) => ({ status, action, to: table[status][action] ?? null })),
);

describe("complaint lifecycle", () => {
  it("covers every status and action", () => {
    expect(cases).toHaveLength(complaintStatuses.length * complaintActions.length);
  });

  it.each(cases)("$action from $status → $to", ({ status, action, to }) => {
    const result = applyComplaintAction(status, action, "Replaced the batch and credited the order");
    if (to === null) {
      expect(result.ok).toBe(false);
      expect(actionsFrom(status)).not.toContain(action);
      expect(actionRefusal(status, action)).toMatch(/^This complaint is .+: it cannot be marked .+ now\.$/);
      if (!result.ok) expect(result.reason).toBe(actionRefusal(status, action));
    } else {
      expect(result).toEqual({ ok: true, to });
      expect(actionsFrom(status)).toContain(action);
      expect(actionRefusal(status, action)).toBeNull();
    }
  });

  it("offers at least one next step from every status, so a message always has a button", () => {
    for (const status of complaintStatuses) expect(actionsFrom(status).length).toBeGreaterThan(0);
  });

  it.each([undefined, null, "", "   \n "])("refuses to resolve without what was done (%j)", (note) => {
    expect(applyComplaintAction("fixing", "resolve", note)).toEqual({
      ok: false,
      reason: "Say what was done to resolve it.",
    });
  });

  it("names the current status when refusing a stale step", () => {
    expect(actionRefusal("resolved", "investigate")).toBe(
      "This complaint is resolved, awaiting customer confirmation: it cannot be marked investigating now.",
    );
  });

  it("is closed only once the customer confirmed", () => {
    expect(complaintStatuses.filter((s) => !isOpenComplaint(s))).toEqual(["confirmed"]);
  });
});

describe("complaint age", () => {
  const raised = new Date("2026-11-20T09:00:00Z");
  const day = 86_400_000;
  const at = (days: number) => new Date(raised.getTime() + days * day);

  it.each([
    { severity: "critical", status: "open", now: at(0.5), age: 0, overdue: 0 },
    { severity: "critical", status: "open", now: at(1), age: 1, overdue: 0 },
    { severity: "critical", status: "investigating", now: at(3.2), age: 3, overdue: 2 },
    { severity: "high", status: "fixing", now: at(5), age: 5, overdue: 2 },
    { severity: "low", status: "reopened", now: at(20), age: 20, overdue: 6 },
    // The clock stops when resolved: never overdue after that.
    { severity: "critical", status: "resolved", now: at(30), age: 30, overdue: 0 },
    { severity: "critical", status: "confirmed", now: at(30), age: 30, overdue: 0 },
    // A clock behind the record (skew) does not give negative ages.
    { severity: "medium", status: "open", now: at(-1), age: 0, overdue: 0 },
  ] as const)(
    "$severity $status at $age days: $overdue overdue",
    ({ severity, status, now, age, overdue }) => {
      const result = complaintAge({ severity, status, since: raised }, now, defaultResponseTargets);
      expect(result).toEqual({
        ageDays: age,
        targetDays: defaultResponseTargets[severity],
        overdueDays: overdue,
      });
    },
  );

  it("uses configured targets", () => {
    const targets = parseResponseTargets("critical=2, low=30");
    expect(targets).toEqual({ critical: 2, high: 3, medium: 7, low: 30 });
    if ("error" in targets) throw new Error("unexpected");
    expect(
      complaintAge({ severity: "critical", status: "open", since: raised }, at(3), targets).overdueDays,
    ).toBe(1);
    expect(complaintDueAt(raised, "critical", targets)).toEqual(at(2));
  });

  it("refuses malformed targets", () => {
    expect(parseResponseTargets("urgent=1")).toEqual({
      error: '"urgent=1" is not severity=days (e.g. critical=1,high=3,medium=7,low=14)',
    });
  });

  it("restarts the clock at the latest reopen", () => {
    const steps = [
      { toStatus: "open", at: raised },
      { toStatus: "reopened", at: at(4) },
      { toStatus: "resolved", at: at(5) },
      { toStatus: "reopened", at: at(9) },
    ] as const;
    expect(ageClockStart(raised, [])).toEqual(raised);
    expect(ageClockStart(raised, steps)).toEqual(at(9));
    expect(ageClockStart(raised, [...steps].reverse())).toEqual(at(9));
  });

  it("derives when it was resolved from the steps", () => {
    const steps = [
      { toStatus: "resolved", at: at(2) },
      { toStatus: "reopened", at: at(3) },
      { toStatus: "resolved", at: at(6) },
    ] as const;
    expect(resolvedAt("resolved", steps)).toEqual(at(6));
    expect(resolvedAt("confirmed", steps)).toEqual(at(6));
    expect(resolvedAt("reopened", steps)).toBeNull();
    expect(resolvedAt("open", [])).toBeNull();
  });
});

describe("chronologicalSteps", () => {
  it("orders steps of the same instant along the lifecycle", () => {
    const t = new Date("2026-11-20T09:00:00Z");
    const later = new Date("2026-11-21T09:00:00Z");
    const steps = [
      { fromStatus: "fixing", toStatus: "resolved", at: t },
      { fromStatus: "investigating", toStatus: "fixing", at: t },
      { fromStatus: "resolved", toStatus: "confirmed", at: later },
      { fromStatus: null, toStatus: "open", at: t },
      { fromStatus: "open", toStatus: "investigating", at: t },
    ] as const;
    expect(chronologicalSteps(steps).map((s) => s.toStatus)).toEqual([
      "open",
      "investigating",
      "fixing",
      "resolved",
      "confirmed",
    ]);
    expect(chronologicalSteps([])).toEqual([]);
  });
});

describe("placementOf", () => {
  it("tells channel posts from direct ones", () => {
    expect(placementOf("C1", "C1")).toEqual({ kind: "channel" });
    expect(placementOf(null, "D1")).toEqual({ kind: "direct", reason: "no_channel" });
    expect(placementOf("C1", "D1")).toEqual({ kind: "direct", reason: "channel_failed", channelId: "C1" });
  });
});
