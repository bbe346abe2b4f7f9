// §5/§6 rules: the reason taxonomy, which task changes are allowed, when a case is finished, loss totals.
import { describe, expect, it } from "vitest";
import {
  allTasksFinished,
  checkLosses,
  checkTaskTransition,
  churnReasonLabel,
  churnReasons,
  type ExitLosses,
  isTaskOverdue,
  isWithinControl,
  lossTotals,
} from "../../src/domain/exit.ts";

const none: ExitLosses = {
  receivablesOutstanding: null,
  receivablesRecovered: null,
  compensationClaimed: null,
  compensationAgreed: null,
  goodsReturned: null,
  marketGapLoss: null,
};

describe("churn reasons", () => {
  it("splits the taxonomy into beyond and within our control, each with a label", () => {
    expect(churnReasons.filter(isWithinControl)).toEqual([
      "better_product_elsewhere",
      "poor_service",
      "poor_quality",
      "price_too_high",
      "unresolved_complaint",
      "relationship_change",
      "channel_conflict",
      "other_within_control",
    ]);
    expect(isWithinControl("bankrupt")).toBe(false);
    expect(churnReasons.every((reason) => churnReasonLabel[reason].length > 0)).toBe(true);
  });
});

describe("task transitions", () => {
  it("lets tasks 2–4 be done by button, but not 1 (outcome) or 5 and 6 (retrospective)", () => {
    expect(checkTaskTransition(2, "todo", "done")).toEqual({ ok: true });
    expect(checkTaskTransition(4, "doing", "done")).toEqual({ ok: true });
    expect(checkTaskTransition(1, "doing", "done")).toMatchObject({ ok: false });
    expect(checkTaskTransition(5, "todo", "done")).toMatchObject({
      ok: false,
      message: "Task 5 is done by saving the retrospective's summary.",
    });
    expect(checkTaskTransition(6, "doing", "not_needed")).toEqual({ ok: true });
    expect(checkTaskTransition(3, "doing", "doing")).toEqual({
      ok: false,
      message: "Task 3 is already doing.",
    });
    expect(checkTaskTransition(3, "done", "doing")).toEqual({ ok: true });
  });

  it("finishes a case only when all six tasks are done or not needed", () => {
    const six = (status: "done" | "not_needed" | "doing") => Array.from({ length: 6 }, () => ({ status }));
    expect(allTasksFinished(six("done"))).toBe(true);
    expect(allTasksFinished([...six("done").slice(1), { status: "not_needed" as const }])).toBe(true);
    expect(allTasksFinished([...six("done").slice(1), { status: "doing" as const }])).toBe(false);
    expect(allTasksFinished(six("done").slice(1))).toBe(false);
  });

  it("calls an unfinished task overdue only after its due day", () => {
    expect(isTaskOverdue({ status: "todo", dueDay: 10 }, 10)).toBe(false);
    expect(isTaskOverdue({ status: "doing", dueDay: 10 }, 11)).toBe(true);
    expect(isTaskOverdue({ status: "done", dueDay: 10 }, 11)).toBe(false);
  });
});

describe("loss totals", () => {
  it("nets unrecovered receivables, returns and market gap against agreed compensation", () => {
    expect(
      lossTotals({
        receivablesOutstanding: 50_000n,
        receivablesRecovered: 20_000n,
        compensationClaimed: 10_000n,
        compensationAgreed: 8_000n,
        goodsReturned: 3_000n,
        marketGapLoss: 100_000n,
      }),
    ).toEqual({
      unrecoveredReceivables: 30_000n,
      compensationAgreed: 8_000n,
      goodsReturned: 3_000n,
      marketGapLoss: 100_000n,
      netLoss: 125_000n,
      recorded: true,
    });
    expect(lossTotals(none)).toMatchObject({ netLoss: 0n, recorded: false });
  });

  it("refuses more recovered than outstanding and more agreed than claimed", () => {
    expect(checkLosses({ ...none, receivablesOutstanding: 5n, receivablesRecovered: 6n })).toEqual({
      receivablesRecovered: "Cannot be more than the receivables outstanding.",
    });
    expect(checkLosses({ ...none, compensationAgreed: 1n })).toEqual({
      compensationAgreed: "Cannot be more than the compensation claimed.",
    });
    expect(checkLosses({ ...none, receivablesOutstanding: 5n, receivablesRecovered: 5n })).toEqual({});
  });
});
