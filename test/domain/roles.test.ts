import { describe, expect, it } from "vitest";
import { seesMargin } from "../../src/domain/roles.ts";

describe("seesMargin", () => {
  const manager = { userId: "UMANAGER", manager: true };
  const rep = { userId: "UREP", manager: false };

  it("lets managers see every account's margin", () => {
    expect(seesMargin(manager, "USOMEONE", { repsSeeMargin: false })).toBe(true);
    expect(seesMargin(manager, null, { repsSeeMargin: false })).toBe(true);
  });

  it("hides margin from reps unless configured, and then only on their own accounts", () => {
    expect(seesMargin(rep, "UREP", { repsSeeMargin: false })).toBe(false);
    expect(seesMargin(rep, "UREP", { repsSeeMargin: true })).toBe(true);
    expect(seesMargin(rep, "UOTHER", { repsSeeMargin: true })).toBe(false);
    expect(seesMargin(rep, null, { repsSeeMargin: true })).toBe(false);
  });
});
