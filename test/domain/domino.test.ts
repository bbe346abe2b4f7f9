// Domino risk (§5 tasks 2 and 3): the reasons another customer may follow the leaving one, and the ranking.
import { describe, expect, it } from "vitest";
import {
  type DominoCandidate,
  dominoReasons,
  dominoReasonText,
  rankDominoRisk,
} from "../../src/domain/domino.ts";

const candidate = (name: string, ties: Partial<DominoCandidate> = {}): DominoCandidate => ({
  accountId: `id-${name}`,
  name,
  ownerSlackId: null,
  band: null,
  sameSegment: null,
  sameRegion: null,
  sharedContacts: [],
  link: null,
  ...ties,
});

describe("dominoReasons", () => {
  it("is empty for an account with no tie and no high risk", () => {
    expect(dominoReasons(candidate("Quiet", { band: "medium" }))).toEqual([]);
  });

  it("names every tie, strongest first; same segment and region replaces same segment", () => {
    expect(
      dominoReasons(
        candidate("Tied", {
          band: "critical",
          sameSegment: "Retail",
          sameRegion: "North",
          sharedContacts: ["Li Wei"],
          link: { notes: ["same group"] },
        }),
      ),
    ).toEqual([
      { kind: "linked", notes: ["same group"] },
      { kind: "shared_contacts", contacts: ["Li Wei"] },
      { kind: "same_segment_region", segment: "Retail", region: "North" },
      { kind: "at_risk", band: "critical" },
    ]);
    expect(dominoReasons(candidate("Segment", { sameSegment: "Retail" }))).toEqual([
      { kind: "same_segment", segment: "Retail" },
    ]);
  });

  it.each([
    ["high", [{ kind: "at_risk", band: "high" }]],
    ["critical", [{ kind: "at_risk", band: "critical" }]],
    ["medium", []],
    ["low", []],
    [null, []],
  ] as const)("band %s alone gives %j", (band, reasons) => {
    expect(dominoReasons(candidate("Risky", { band }))).toEqual(reasons);
  });
});

describe("rankDominoRisk", () => {
  it("drops accounts without a reason and puts several reasons and higher risk first", () => {
    const ranking = rankDominoRisk(
      [
        candidate("Segment only", { sameSegment: "Retail" }),
        candidate("Nothing", { band: "low" }),
        candidate("Linked and at risk", { link: { notes: [] }, band: "high" }),
        candidate("Linked", { link: { notes: [] }, band: "low" }),
        candidate("Contacts", { sharedContacts: ["Ana"] }),
        candidate("Segment and region", { sameSegment: "Retail", sameRegion: "North" }),
        candidate("Critical only", { band: "critical" }),
      ],
      10,
    );
    expect(ranking.shown.map((account) => account.name)).toEqual([
      "Linked and at risk",
      // Equal ties by weight: the higher band first, then the name.
      "Linked",
      "Contacts",
      "Critical only",
      "Segment and region",
      "Segment only",
    ]);
    expect(ranking.more).toBe(0);
  });

  it("breaks equal weights by the number of reasons, then the band", () => {
    const ranking = rankDominoRisk(
      [
        candidate("One strong", { link: { notes: [] } }),
        candidate("Two weaker", { sameSegment: "Retail", band: "critical" }),
        candidate("Same, lower band", { sameSegment: "Retail", sameRegion: "North", band: "low" }),
      ],
      10,
    );
    // Weights: 3, 1+2 = 3, 2: two reasons beat one of the same weight.
    expect(ranking.shown.map((account) => [account.name, account.score])).toEqual([
      ["Two weaker", 3],
      ["One strong", 3],
      ["Same, lower band", 2],
    ]);
  });

  it("caps the list and counts the rest", () => {
    const many = Array.from({ length: 7 }, (_, i) => candidate(`Account ${i}`, { sameSegment: "Retail" }));
    const ranking = rankDominoRisk(many, 3);
    expect(ranking.shown.map((account) => account.name)).toEqual(["Account 0", "Account 1", "Account 2"]);
    expect(ranking.more).toBe(4);
    expect(rankDominoRisk(many, 0)).toMatchObject({ shown: [], more: 7 });
    expect(rankDominoRisk([], 5)).toEqual({ shown: [], more: 0 });
  });
});

describe("dominoReasonText", () => {
  it.each([
    [{ kind: "linked", notes: [] }, "Linked partner"],
    [
      { kind: "linked", notes: ["dealer of Acme", " ", "group company", "x"] },
      "Linked partner (dealer of Acme, group company and 1 more)",
    ],
    [{ kind: "shared_contacts", contacts: ["Ana"] }, "Shared contact: Ana"],
    [{ kind: "shared_contacts", contacts: ["A", "B", "C", "D", "E"] }, "Shared contacts: A, B, C and 2 more"],
    [
      { kind: "same_segment_region", segment: "Retail", region: "North" },
      "Same segment and region (Retail, North)",
    ],
    [{ kind: "same_segment", segment: "Retail" }, "Same segment (Retail)"],
    [{ kind: "at_risk", band: "critical" }, "Already at critical risk"],
  ] as const)("%j reads %j", (reason, text) => {
    expect(dominoReasonText(reason)).toBe(text);
  });
});
