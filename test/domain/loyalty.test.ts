// Loyalty trend from the latest reads, newest first.
import { describe, expect, it } from "vitest";
import { type LoyaltyRead, loyaltyTrend } from "../../src/domain/loyalty.ts";

describe("loyaltyTrend", () => {
  it.each<[string, LoyaltyRead[], ReturnType<typeof loyaltyTrend>["direction"]]>([
    ["no reads", [], null],
    ["one read", ["loyal"], null],
    ["worse than before", ["average", "loyal"], "worsening"],
    ["better than before", ["loyal", "disloyal"], "improving"],
    ["the same", ["average", "average", "disloyal"], "steady"],
  ])("%s", (_name, reads, direction) => {
    expect(loyaltyTrend(reads).direction).toBe(direction);
  });

  it("keeps the latest five reads", () => {
    const reads: LoyaltyRead[] = ["loyal", "loyal", "average", "average", "disloyal", "disloyal", "loyal"];
    expect(loyaltyTrend(reads).reads).toEqual(reads.slice(0, 5));
  });
});
