// Backtest metrics: AUC with ties, precision and recall per band and per reason.
import { describe, expect, it } from "vitest";
import { areaUnderCurve, backtestMetrics } from "../../src/domain/backtest.ts";

const c = (risk: number, churned: boolean, band = "low", reasonCodes: string[] = []) => ({
  risk,
  churned,
  band,
  reasonCodes,
});

describe("areaUnderCurve", () => {
  it.each([
    ["perfect ranking", [c(90, true), c(80, true), c(10, false), c(5, false)], 1],
    ["inverted ranking", [c(10, true), c(90, false)], 0],
    ["all tied", [c(50, true), c(50, false), c(50, false)], 0.5],
    ["one mistake in four pairs", [c(90, true), c(40, true), c(50, false), c(10, false)], 0.75],
  ])("%s", (_name, cases, auc) => {
    expect(areaUnderCurve(cases)).toBeCloseTo(auc, 10);
  });

  it("is undefined with only one class", () => {
    expect(areaUnderCurve([c(1, true)])).toBeNull();
    expect(areaUnderCurve([])).toBeNull();
  });
});

describe("backtestMetrics", () => {
  it("reports precision and recall per band and per reason code", () => {
    const metrics = backtestMetrics(
      [
        c(90, true, "critical", ["order_overdue"]),
        c(80, true, "critical", ["order_overdue", "complaint_overdue"]),
        c(70, false, "high", ["order_overdue"]),
        c(20, true, "low"),
        c(10, false, "low"),
      ],
      ["low", "medium", "high", "critical"],
    );
    expect(metrics).toMatchObject({ accounts: 5, churned: 3, churnRate: 0.6 });
    expect(metrics.byBand).toEqual([
      { key: "low", accounts: 2, churned: 1, precision: 0.5, recall: 1 / 3 },
      { key: "medium", accounts: 0, churned: 0, precision: null, recall: 0 },
      { key: "high", accounts: 1, churned: 0, precision: 0, recall: 0 },
      { key: "critical", accounts: 2, churned: 2, precision: 1, recall: 2 / 3 },
    ]);
    expect(metrics.byReason).toEqual([
      { key: "complaint_overdue", accounts: 1, churned: 1, precision: 1, recall: 1 / 3 },
      { key: "order_overdue", accounts: 3, churned: 2, precision: 2 / 3, recall: 2 / 3 },
    ]);
  });
});
