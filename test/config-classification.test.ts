// The §7 classification settings: defaults, valid values, and a readable message for a wrong one.
import { describe, expect, it } from "vitest";
import { loadCoreConfig } from "../src/config.ts";

describe("classification settings", () => {
  it("defaults to 80% key revenue, the 75th percentile and a gap variation of 0.5", () => {
    expect(loadCoreConfig({}).classification).toEqual({
      keyRevenueSharePercent: 80,
      facePercentile: 75,
      irregularGapCv: 0.5,
    });
  });

  it("reads valid values", () => {
    const config = loadCoreConfig({
      KEY_REVENUE_SHARE: "70",
      FACE_PERCENTILE: "90",
      IRREGULAR_GAP_CV: "0.8",
    });
    expect(config.classification).toEqual({
      keyRevenueSharePercent: 70,
      facePercentile: 90,
      irregularGapCv: 0.8,
    });
  });

  it.each([
    ["KEY_REVENUE_SHARE", "0"],
    ["KEY_REVENUE_SHARE", "101"],
    ["FACE_PERCENTILE", "50"],
    ["IRREGULAR_GAP_CV", "0"],
    ["IRREGULAR_GAP_CV", "lots"],
  ])("names %s=%s as wrong", (name, value) => {
    expect(() => loadCoreConfig({ [name]: value })).toThrow(new RegExp(`${name}: must`));
  });
});
