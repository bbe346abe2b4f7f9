// When a churn warning is due: band entries, new strong signals, snoozes, dedupe keys.
import { describe, expect, it } from "vitest";
import type { Band } from "../../../src/domain/risk/score.ts";
import { type PreviousAssessment, warningTrigger } from "../../../src/domain/risk/warnings.ts";

const DAY = "2026-11-23";
const reason = (code: string, strong = false) => ({ code, strong });

describe("warningTrigger", () => {
  const cases: {
    name: string;
    band: Band;
    reasons?: { code: string; strong: boolean }[];
    previous: PreviousAssessment;
    snooze?: Band;
    /** The highest band warned about in the last REWARN_AFTER_DAYS days. */
    recent?: Band;
    key: string | null;
  }[] = [
    { name: "first assessment, low", band: "low", previous: null, key: null },
    { name: "first assessment, medium", band: "medium", previous: null, key: null },
    { name: "first assessment, high", band: "high", previous: null, key: `a:band:high:${DAY}` },
    { name: "first assessment, critical", band: "critical", previous: null, key: `a:band:critical:${DAY}` },
    { name: "same band", band: "high", previous: { band: "high", reasonCodes: [] }, key: null },
    { name: "lower band", band: "medium", previous: { band: "high", reasonCodes: [] }, key: null },
    {
      name: "low to medium",
      band: "medium",
      previous: { band: "low", reasonCodes: [] },
      key: `a:band:medium:${DAY}`,
    },
    {
      name: "high to critical",
      band: "critical",
      previous: { band: "high", reasonCodes: [] },
      key: `a:band:critical:${DAY}`,
    },
    {
      name: "new strong signal in the same band",
      band: "high",
      reasons: [reason("order_overdue", true), reason("competitor_activity", true)],
      previous: { band: "high", reasonCodes: ["order_overdue"] },
      key: `a:signal:competitor_activity:${DAY}`,
    },
    {
      name: "a strong signal it had before",
      band: "high",
      reasons: [reason("order_overdue", true)],
      previous: { band: "high", reasonCodes: ["order_overdue"] },
      key: null,
    },
    {
      name: "a new weak signal",
      band: "high",
      reasons: [reason("margin_decline")],
      previous: { band: "high", reasonCodes: [] },
      key: null,
    },
    {
      name: "snoozed: a new strong signal waits",
      band: "high",
      reasons: [reason("competitor_activity", true)],
      previous: { band: "high", reasonCodes: [] },
      snooze: "high",
      key: null,
    },
    {
      name: "snoozed at high: re-entering high waits",
      band: "high",
      previous: { band: "medium", reasonCodes: [] },
      snooze: "high",
      key: null,
    },
    {
      name: "snoozed at high: entering critical breaks through",
      band: "critical",
      previous: { band: "high", reasonCodes: [] },
      snooze: "high",
      key: `a:band:critical:${DAY}`,
    },
    {
      name: "bouncing: back to high days after a high warning stays quiet",
      band: "high",
      previous: { band: "medium", reasonCodes: [] },
      recent: "high",
      key: null,
    },
    {
      name: "bouncing: a new strong signal still warns",
      band: "high",
      reasons: [reason("competitor_activity", true)],
      previous: { band: "medium", reasonCodes: [] },
      recent: "high",
      key: `a:signal:competitor_activity:${DAY}`,
    },
    {
      name: "recently warned at high: entering critical warns",
      band: "critical",
      previous: { band: "high", reasonCodes: [] },
      recent: "high",
      key: `a:band:critical:${DAY}`,
    },
  ];
  it.each(cases)("$name", ({ band, reasons, previous, snooze, recent, key }) => {
    const trigger = warningTrigger(
      { accountId: "a", band, reasons: reasons ?? [] },
      previous,
      snooze ? { band: snooze } : null,
      DAY,
      recent ? { band: recent } : null,
    );
    expect(trigger?.dedupeKey ?? null).toBe(key);
  });

  it("lists several new strong signals sorted and once, in the key too", () => {
    const trigger = warningTrigger(
      {
        accountId: "a",
        band: "high",
        reasons: [reason("z_sign", true), reason("b_sign", true), reason("z_sign", true)],
      },
      { band: "high", reasonCodes: [] },
      null,
      DAY,
    );
    expect(trigger).toEqual({
      enteredBand: null,
      newSignalCodes: ["b_sign", "z_sign"],
      dedupeKey: `a:signal:b_sign+z_sign:${DAY}`,
    });
  });
});
