// §7 classification: the 80/20 cut and its ties, empty history, one huge customer, face boundaries,
// relationship type with the override, loyalty, and what counts as a change.
import { describe, expect, it } from "vitest";
import {
  type AccountFacts,
  classChanged,
  classifyAccounts,
  type Designations,
  defaultClassificationSettings,
  finishClassification,
  gapCoefficientOfVariation,
  needsChangeNote,
} from "../../src/domain/classification.ts";

const settings = defaultClassificationSettings;
const noDesignations: Designations = {
  keyDesignatedBy: null,
  blackFaceBy: null,
  blackFaceReason: null,
  facts: { investedInUs: false, integrated: false, trained: false },
  relationshipOverride: null,
};

function facts(accountId: string, overrides: Partial<AccountFacts> = {}): AccountFacts {
  return {
    accountId,
    currency: "USD",
    revenue: 100_000n,
    orderCount: 10,
    costKnownOrders: 10,
    costKnownRevenue: 100_000n,
    costKnownCost: 70_000n,
    orderDays: 10,
    gapCv: 0.1,
    designations: noDesignations,
    loyaltyReads: [],
    ...overrides,
  };
}

function byId(population: AccountFacts[]) {
  return new Map(classifyAccounts(population, settings, "2026-11-23").map((c) => [c.accountId, c]));
}

describe("key accounts", () => {
  it("cuts ties at the boundary by account id, the same on every run", () => {
    // Four equal accounts: 80% needs the first four of five? 4×20 = 80 exactly: four, smallest ids first.
    const population = ["e", "c", "a", "d", "b"].map((id) => facts(id, { revenue: 1000n }));
    const classes = byId(population);
    expect(["a", "b", "c", "d", "e"].map((id) => classes.get(id)?.keyBasis ?? null)).toEqual([
      "revenue",
      "revenue",
      "revenue",
      "revenue",
      null,
    ]);
    expect(classes.get("a")?.why.key).toMatchObject({ rank: 1, cumulativeSharePercent: 20, keyAccounts: 4 });
    expect(classes.get("d")?.why.key).toMatchObject({ rank: 4, cumulativeSharePercent: 80 });
    expect(classes.get("e")?.why.key).toMatchObject({ byRevenue: false, rank: null, totalRevenue: "5000" });
  });

  it("makes one huge customer the only key account, and cuts each currency on its own", () => {
    const classes = byId([
      facts("huge", { revenue: 10_000_000_000n }),
      facts("small-1", { revenue: 1_000n }),
      facts("small-2", { revenue: 2_000n }),
      facts("yen", { currency: "JPY", revenue: 5n }),
    ]);
    expect(classes.get("huge")?.keyBasis).toBe("revenue");
    expect(classes.get("huge")?.why.key).toMatchObject({ rank: 1, keyAccounts: 1 });
    expect(classes.get("small-2")?.keyBasis).toBeNull();
    expect(classes.get("yen")?.keyBasis).toBe("revenue");
  });

  it("classifies an account without orders: not key, no face, transactional, no loyalty", () => {
    const empty = facts("empty", {
      currency: null,
      revenue: 0n,
      orderCount: 0,
      costKnownOrders: 0,
      costKnownRevenue: 0n,
      costKnownCost: 0n,
      orderDays: 0,
      gapCv: null,
    });
    const [only] = classifyAccounts([empty], settings, "2026-11-23");
    expect(only).toMatchObject({
      keyBasis: null,
      face: null,
      relationship: "transactional",
      loyalty: null,
      loyaltyDirection: null,
      trailingRevenue: 0n,
      currency: null,
    });
    expect(only?.why.face.rule).toBe("no_orders");
    expect(classifyAccounts([], settings, "2026-11-23")).toEqual([]);
  });

  it("makes a designated account key whatever its revenue, and keeps who designated it", () => {
    const classes = byId([
      facts("big", { revenue: 1_000_000n }),
      facts("tiny", { revenue: 1n, designations: { ...noDesignations, keyDesignatedBy: "UMGR" } }),
    ]);
    expect(classes.get("tiny")?.keyBasis).toBe("designated");
    expect(classes.get("tiny")?.why.key.designatedBy).toBe("UMGR");
  });

  it("ignores net refunds: an account with negative revenue is never key", () => {
    const classes = byId([facts("refund", { revenue: -500n }), facts("buyer", { revenue: 10n })]);
    expect(classes.get("refund")?.keyBasis).toBeNull();
    expect(classes.get("buyer")?.keyBasis).toBe("revenue");
  });
});

describe("face", () => {
  // Profit per order 1000..4000 (margins 10..40%): the 75th percentile of four is the third value.
  const population = () => [
    facts("p1", { costKnownCost: 90_000n, revenue: 100_000n, gapCv: 0.9 }),
    facts("p2", { costKnownCost: 80_000n, revenue: 200_000n, gapCv: 0.1 }),
    facts("p3", { costKnownCost: 70_000n, revenue: 300_000n, gapCv: 0.5 }),
    facts("p4", { costKnownCost: 60_000n, revenue: 400_000n, gapCv: 0.49 }),
  ];

  it("is red at the profit threshold with irregular orders (CV at the threshold counts), not below it", () => {
    const classes = byId(population());
    // p3: profit per order 3000 = threshold, CV 0.5 = irregular threshold → red.
    expect(classes.get("p3")?.face).toBe("red");
    expect(classes.get("p3")?.why.face.thresholds).toMatchObject({
      profitPerOrderMin: "3000",
      irregularGapCv: 0.5,
    });
    // p4: profit above, but CV 0.49 is regular → not red.
    expect(classes.get("p4")?.face).not.toBe("red");
    // p1: irregular but profit 1000 below the threshold → not red.
    expect(classes.get("p1")?.face).not.toBe("red");
  });

  it("does not call an account red with too few order days to judge regularity", () => {
    const list = population();
    list[2] = { ...(list[2] as AccountFacts), orderDays: 2, gapCv: null };
    expect(byId(list).get("p3")?.face).toBeNull();
  });

  it("is white with revenue at the volume threshold and margin at or below the low-margin threshold", () => {
    // Margins: 10% (rev 400k), 20%, 30%, 40%: 25th percentile = 10%; revenue 75th percentile = 300k.
    const classes = byId([
      facts("w1", { costKnownCost: 90_000n, revenue: 300_000n, gapCv: 0.1 }),
      facts("w2", { costKnownCost: 80_000n, revenue: 100_000n, gapCv: 0.1 }),
      facts("w3", { costKnownCost: 70_000n, revenue: 200_000n, gapCv: 0.1 }),
      facts("w4", { costKnownCost: 60_000n, revenue: 400_000n, gapCv: 0.1 }),
    ]);
    expect(classes.get("w1")?.face).toBe("white");
    expect(classes.get("w1")?.why.face.thresholds).toMatchObject({
      revenueMin: "300000",
      marginPercentMax: 10,
    });
    // Volume above the threshold but margin 40% → not white.
    expect(classes.get("w4")?.face).toBeNull();
    // Margin 20% above the 10% threshold → not white.
    expect(classes.get("w2")?.face).toBeNull();
  });

  it("is black only by a manager's designation with a reason; the computed face stays in the why", () => {
    const list = population();
    list[2] = {
      ...(list[2] as AccountFacts),
      designations: { ...noDesignations, blackFaceBy: "UMGR", blackFaceReason: "Sponsors the trade fair" },
    };
    const p3 = byId(list).get("p3");
    expect(p3?.face).toBe("black");
    expect(p3?.why.face).toMatchObject({
      rule: "black_designated",
      computed: "red",
      blackFaceBy: "UMGR",
      blackFaceReason: "Sponsors the trade fair",
    });
  });

  it("gives one huge customer alone the face its figures give (it is its own population)", () => {
    const [huge] = classifyAccounts(
      [facts("huge", { revenue: 10n ** 15n, gapCv: 0.1 })],
      settings,
      "2026-11-23",
    );
    expect(huge?.face).toBe("white");
  });
});

describe("relationship type", () => {
  it("is a partnership with two switching-cost facts, or one with regular orders", () => {
    const classes = byId([
      facts("two", {
        gapCv: 0.9,
        designations: { ...noDesignations, facts: { investedInUs: true, integrated: true, trained: false } },
      }),
      facts("one-regular", {
        gapCv: 0.2,
        designations: { ...noDesignations, facts: { investedInUs: false, integrated: false, trained: true } },
      }),
      facts("one-irregular", {
        gapCv: 0.8,
        designations: { ...noDesignations, facts: { investedInUs: false, integrated: true, trained: false } },
      }),
      facts("none", { gapCv: 0.1 }),
    ]);
    expect(classes.get("two")?.relationship).toBe("partnership");
    expect(classes.get("two")?.why.relationship.rule).toBe("facts");
    expect(classes.get("one-regular")?.relationship).toBe("partnership");
    expect(classes.get("one-regular")?.why.relationship.rule).toBe("facts_and_regular");
    expect(classes.get("one-irregular")?.relationship).toBe("transactional");
    expect(classes.get("none")?.relationship).toBe("transactional");
  });

  it("follows a manual override either way, keeping the computed type in the why", () => {
    const classes = byId([
      facts("forced", { designations: { ...noDesignations, relationshipOverride: "partnership" } }),
      facts("demoted", {
        designations: {
          ...noDesignations,
          facts: { investedInUs: true, integrated: true, trained: true },
          relationshipOverride: "transactional",
        },
      }),
    ]);
    expect(classes.get("forced")?.relationship).toBe("partnership");
    expect(classes.get("forced")?.why.relationship).toMatchObject({
      rule: "override",
      computed: "transactional",
    });
    expect(classes.get("demoted")?.relationship).toBe("transactional");
  });
});

describe("loyalty, changes and re-finishing", () => {
  it("takes the latest read with its trend", () => {
    const [c] = classifyAccounts(
      [facts("a", { loyaltyReads: ["average", "loyal", "loyal"] })],
      settings,
      "2026-11-23",
    );
    expect(c).toMatchObject({ loyalty: "average", loyaltyDirection: "worsening" });
  });

  it("counts a class as changed only when its fields change, and notes key accounts only", () => {
    const base = {
      keyBasis: null,
      face: null,
      relationship: "transactional",
      loyalty: null,
      loyaltyDirection: null,
    } as const;
    expect(classChanged(null, base)).toBe(true);
    expect(classChanged(base, { ...base })).toBe(false);
    expect(classChanged(base, { ...base, face: "red" })).toBe(true);
    expect(needsChangeNote(null, { ...base, keyBasis: "revenue" })).toBe(false);
    expect(needsChangeNote(base, { ...base, face: "red" })).toBe(false);
    expect(needsChangeNote(base, { ...base, keyBasis: "revenue" })).toBe(true);
    expect(needsChangeNote({ ...base, keyBasis: "designated" }, base)).toBe(true);
  });

  it("re-applies new designations to a saved why without the population", () => {
    const [saved] = classifyAccounts(
      [facts("a"), facts("b", { revenue: 1n })],
      settings,
      "2026-11-23",
    ).filter((c) => c.accountId === "b");
    if (!saved) throw new Error("no class");
    expect(saved.keyBasis).toBeNull();
    const again = finishClassification(
      "b",
      saved.why,
      { ...noDesignations, keyDesignatedBy: "UMGR", blackFaceBy: "UMGR", blackFaceReason: "Brand" },
      ["loyal"],
    );
    expect(again).toMatchObject({ keyBasis: "designated", face: "black", loyalty: "loyal" });
    const undone = finishClassification("b", again.why, noDesignations, ["loyal"]);
    expect(undone.face).toBe(saved.face);
    expect(undone.why.face.rule).toBe(saved.why.face.rule);
  });

  it("measures regularity as the coefficient of variation of order gaps", () => {
    expect(gapCoefficientOfVariation([0, 7])).toBeNull();
    expect(gapCoefficientOfVariation([0, 7, 14, 21])).toBe(0);
    expect(gapCoefficientOfVariation([0, 1, 11])).toBeCloseTo(4.5 / 5.5, 6);
  });
});
