// Risk score: evidence with diminishing returns, families, the model, strong floor, bands, reasons, trend.
import { describe, expect, it } from "vitest";
import { SIGNAL } from "../../../src/domain/risk/codes.ts";
import {
  BAND_ORDER,
  type Band,
  bandOf,
  type ModelEvidence,
  modelSignal,
  scoreRisk,
} from "../../../src/domain/risk/score.ts";
import type { Signal } from "../../../src/domain/risk/signal.ts";

function signal(code: string, strength: number, strong = false): Signal {
  return {
    code,
    source: code.startsWith("model") ? "model" : "ledger",
    strength,
    strong,
    text: `${code} text`,
  };
}

describe("bandOf", () => {
  it("orders the bands", () => {
    expect(BAND_ORDER).toEqual(["low", "medium", "high", "critical"]);
  });

  it.each<[number, Band]>([
    [0, "low"],
    [24, "low"],
    [25, "medium"],
    [49, "medium"],
    [50, "high"],
    [74, "high"],
    [75, "critical"],
    [100, "critical"],
  ])("%i is %s", (risk, band) => {
    expect(bandOf(risk)).toBe(band);
  });
});

describe("scoreRisk", () => {
  it.each<{ name: string; signals: Signal[]; risk: number }>([
    { name: "no signals", signals: [], risk: 0 },
    { name: "one signal", signals: [signal(SIGNAL.orderValueDecline, 0.3)], risk: 30 },
    {
      name: "two independent signals add up with diminishing returns: 1 − 0.7 × 0.7",
      signals: [signal(SIGNAL.orderValueDecline, 0.3), signal(SIGNAL.competitorActivity, 0.3)],
      risk: 51,
    },
    {
      name: "two signals of one family: the second echoes at 35%, 1 − 0.7 × (1 − 0.105)",
      signals: [signal(SIGNAL.orderValueDecline, 0.3), signal(SIGNAL.orderFrequencyDecline, 0.3)],
      risk: 37,
    },
    { name: "an unprofitable account weighs half", signals: [signal(SIGNAL.unprofitable, 0.4)], risk: 20 },
    {
      name: "a strong signal lifts to the high band",
      signals: [signal(SIGNAL.purchasingContactChanged, 0.2, true)],
      risk: 50,
    },
    {
      name: "a strong signal above the floor keeps its own value",
      signals: [signal(SIGNAL.purchasingContactChanged, 0.6, true)],
      risk: 60,
    },
    {
      name: "unknown codes count in a family of their own",
      signals: [signal("something_new", 0.5), signal("something_else", 0.5)],
      risk: 75,
    },
    {
      name: "out-of-range strengths are clamped, NaN ignored",
      signals: [signal(SIGNAL.orderOverdue, 7), signal(SIGNAL.competitorActivity, Number.NaN)],
      risk: 100,
    },
  ])("$name", ({ signals, risk }) => {
    const assessment = scoreRisk({ signals });
    expect(assessment.risk).toBe(risk);
    expect(assessment.band).toBe(bandOf(risk));
    expect(Number.isInteger(assessment.risk)).toBe(true);
  });

  it("is monotonic in each signal's strength and never falls when a signal is added", () => {
    const codes = [
      SIGNAL.orderValueDecline,
      SIGNAL.orderOverdue,
      SIGNAL.complaintOverdue,
      SIGNAL.unprofitable,
    ];
    const levels = [0, 0.1, 0.25, 0.4, 0.55, 0.7, 0.85, 1];
    for (const others of [0, 0.2, 0.5, 0.9]) {
      for (let changed = 0; changed < codes.length; changed++) {
        let last = -1;
        for (const level of levels) {
          const signals = codes.map((code, i) => signal(code, i === changed ? level : others));
          const { risk } = scoreRisk({ signals });
          expect(risk).toBeGreaterThanOrEqual(last);
          last = risk;
        }
      }
      const base = codes.map((code) => signal(code, others));
      for (const extra of codes) {
        expect(scoreRisk({ signals: [...base, signal(extra, 0.3)] }).risk).toBeGreaterThanOrEqual(
          scoreRisk({ signals: base }).risk,
        );
      }
    }
  });

  describe("the purchase model", () => {
    // A volume decline: a trend the steady-rate model cannot see, so it counts beside the model.
    const ledger = [signal(SIGNAL.orderValueDecline, 0.45)];

    it.each<{ name: string; model: ModelEvidence | null; risk: number }>([
      { name: "no model", model: null, risk: 45 },
      {
        name: "x = 0: not informative, its P(alive) of 1 must not lower the risk",
        model: { pAlive: 1, expectedOrders13w: 0.9, informative: false },
        risk: 45,
      },
      {
        name: "not informative: even a low P(alive) is left out",
        model: { pAlive: 0.05, expectedOrders13w: 0, informative: false },
        risk: 45,
      },
      {
        name: "informative and alive: no evidence, no discount",
        model: { pAlive: 0.95, expectedOrders13w: 3, informative: true },
        risk: 45,
      },
      {
        name: "informative, P(alive) 50%: same family as the ledger, echoes",
        model: { pAlive: 0.5, expectedOrders13w: 0.4, informative: true },
        risk: 54,
      },
      {
        name: "informative, P(alive) 10%: strong",
        model: { pAlive: 0.1, expectedOrders13w: 0.1, informative: true },
        risk: 92,
      },
    ])("$name", ({ model, risk }) => {
      expect(scoreRisk({ signals: ledger, model }).risk).toBe(risk);
    });

    it("becomes a reason with its numbers", () => {
      const { reasons } = scoreRisk({
        signals: [],
        model: { pAlive: 0.2, expectedOrders13w: 0.36, informative: true },
      });
      expect(reasons).toEqual([
        {
          code: SIGNAL.lowPAlive,
          source: "model",
          strength: 0.788,
          strong: true,
          text: "purchase model: 20% likely still active, about 0.4 orders expected in the next 13 weeks",
        },
      ]);
    });

    it.each([
      { pAlive: 0.9, strength: null },
      { pAlive: 0.5, strength: 0.45 },
      { pAlive: 0.1, strength: 0.9 },
      { pAlive: 0, strength: 0.9 },
      { pAlive: -3, strength: 0.9 },
      { pAlive: Number.NaN, strength: null },
    ])("P(alive) $pAlive gives strength $strength", ({ pAlive, strength }) => {
      expect(modelSignal({ pAlive, expectedOrders13w: 1, informative: true })?.strength ?? null).toBe(
        strength,
      );
    });
  });

  describe("order timing read by the model", () => {
    const overdue: Signal = {
      code: SIGNAL.orderOverdue,
      source: "ledger",
      strength: 0.9,
      strong: true,
      text: "next order 9 weeks overdue (usual gap 1 week, last order 2026-09-15)",
    };

    it("an informative model that sees the account alive drops the overdue rule", () => {
      const assessment = scoreRisk({
        signals: [overdue],
        model: { pAlive: 0.95, expectedOrders13w: 4, informative: true },
      });
      expect(assessment.risk).toBe(0);
      expect(assessment.reasons).toEqual([]);
    });

    it("otherwise the overdue rule explains the model's reading, at no more than its strength", () => {
      const { risk, reasons } = scoreRisk({
        signals: [overdue],
        model: { pAlive: 0.5, expectedOrders13w: 0.6, informative: true },
      });
      // Only the model counts (0.45); no strong floor, since the model is not strong.
      expect(risk).toBe(45);
      expect(reasons.map((r) => [r.code, r.strength, r.strong])).toEqual([
        [SIGNAL.lowPAlive, 0.45, false],
        [SIGNAL.orderOverdue, 0.45, false],
      ]);
      expect(reasons[1]?.text).toBe(overdue.text);
    });

    it("without a model the overdue rule counts in full", () => {
      expect(scoreRisk({ signals: [overdue], model: null }).risk).toBe(90);
    });

    it("a fit without drop-outs (P(alive) 1 for a repeat buyer) cannot read a stop: the rule stands", () => {
      const { risk, reasons } = scoreRisk({
        signals: [overdue],
        model: { pAlive: 1, expectedOrders13w: 9, informative: true },
      });
      expect(risk).toBe(90);
      expect(reasons).toEqual([overdue]);
    });

    const once: Signal = {
      code: SIGNAL.noRepeatOrder,
      source: "ledger",
      strength: 0.4,
      strong: false,
      text: "one order only, 7 months ago (2026-05-08): no repeat purchase yet",
    };

    it("a one-time buyer the model expects little from: no order in 13 weeks is at least exp(−expected)", () => {
      const { risk, reasons } = scoreRisk({
        signals: [once],
        model: { pAlive: 1, expectedOrders13w: 0.2, informative: false },
      });
      expect(risk).toBe(82);
      expect(reasons).toEqual([
        {
          ...once,
          strength: 0.819,
          text: `${once.text}; purchase model: about 0.2 orders expected in the next 13 weeks`,
        },
      ]);
    });

    it("a one-time buyer the model still expects orders from keeps the rule's own strength", () => {
      const { risk, reasons } = scoreRisk({
        signals: [once],
        model: { pAlive: 1, expectedOrders13w: 2, informative: false },
      });
      expect(risk).toBe(40);
      expect(reasons).toEqual([once]);
    });
  });

  it("gives the top reasons by contribution: three always, up to five when they weigh", () => {
    const signals = [
      signal(SIGNAL.complaintOpen, 0.1),
      signal(SIGNAL.orderFrequencyDecline, 0.6),
      signal(SIGNAL.orderValueDecline, 0.7),
      signal(SIGNAL.competitorActivity, 0.45),
      signal(SIGNAL.loyaltyWorsening, 0.2),
      signal(SIGNAL.repLeaving, 0.16),
      signal(SIGNAL.strategyChange, 0.05),
    ];
    const codes = scoreRisk({ signals }).reasons.map((s) => s.code);
    // The frequency decline echoes the value decline: 0.35 × 0.6 = 0.21.
    expect(codes).toEqual([
      SIGNAL.orderValueDecline,
      SIGNAL.competitorActivity,
      SIGNAL.orderFrequencyDecline,
      SIGNAL.loyaltyWorsening,
      SIGNAL.repLeaving,
    ]);
    expect(scoreRisk({ signals: signals.slice(0, 2) }).reasons.map((s) => s.code)).toEqual([
      SIGNAL.orderFrequencyDecline,
      SIGNAL.complaintOpen,
    ]);
    expect(
      scoreRisk({
        signals: [
          signal(SIGNAL.orderValueDecline, 0.7),
          signal(SIGNAL.complaintOpen, 0.1),
          signal(SIGNAL.repLeaving, 0.05),
          signal(SIGNAL.strategyChange, 0.1),
        ],
      }).reasons.length,
    ).toBe(3);
  });

  it("keeps the signals' texts in the reasons", () => {
    const s: Signal = {
      code: SIGNAL.orderOverdue,
      source: "ledger",
      strength: 0.5,
      strong: false,
      text: "next order 5 weeks overdue (usual gap 3 weeks, last order 2026-09-29)",
    };
    expect(scoreRisk({ signals: [s] }).reasons).toEqual([s]);
  });

  it.each<{ previous: { risk: number; band: Band } | null; signals: Signal[]; trend: string }>([
    { previous: null, signals: [], trend: "new" },
    { previous: { risk: 30, band: "medium" }, signals: [signal(SIGNAL.orderOverdue, 0.34)], trend: "same" },
    { previous: { risk: 30, band: "medium" }, signals: [signal(SIGNAL.orderOverdue, 0.35)], trend: "up" },
    { previous: { risk: 30, band: "medium" }, signals: [signal(SIGNAL.orderOverdue, 0.26)], trend: "same" },
    { previous: { risk: 30, band: "medium" }, signals: [signal(SIGNAL.orderOverdue, 0.25)], trend: "down" },
    { previous: { risk: 24, band: "low" }, signals: [signal(SIGNAL.orderOverdue, 0.25)], trend: "up" },
    { previous: { risk: 50, band: "high" }, signals: [signal(SIGNAL.orderOverdue, 0.49)], trend: "down" },
  ])("trend from $previous.risk to the new risk: $trend", ({ previous, signals, trend }) => {
    expect(scoreRisk({ signals, previous }).trend).toBe(trend);
  });
});
