import { describe, expect, it } from "vitest";
import { blacklistRefusal } from "../../src/domain/blacklist.ts";

describe("blacklistRefusal", () => {
  const named = (status: "active" | "at_risk" | "leaving" | "lost" | "blacklisted") => ({
    name: "Acme",
    status,
  });

  it("lets an active or at-risk customer be blacklisted, and only a blacklisted one be taken back", () => {
    expect(blacklistRefusal(named("active"), true)).toBeNull();
    expect(blacklistRefusal(named("at_risk"), true)).toBeNull();
    expect(blacklistRefusal(named("blacklisted"), false)).toBeNull();
  });

  it.each([
    ["blacklisted", true, "Acme is already blacklisted."],
    ["leaving", true, "Acme is leaving: finish or close its exit handling first."],
    ["lost", true, "Acme is lost: there is nothing to blacklist."],
    ["active", false, "Acme is not blacklisted."],
    ["lost", false, "Acme is not blacklisted."],
  ] as const)("refuses %s (blacklist: %s)", (status, blacklist, message) => {
    expect(blacklistRefusal(named(status), blacklist)).toBe(message);
  });
});
