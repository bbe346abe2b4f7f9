// Suggested touches are fixed sentences chosen by occasion, face, relationship and the last contact.
import { describe, expect, it } from "vitest";
import { suggestTouch, type TouchContext } from "../../src/domain/suggested-touch.ts";

const ctx = (over: Partial<TouchContext> = {}): TouchContext => ({
  face: null,
  relationship: "transactional",
  lastContactKind: "visit",
  ...over,
});

describe("suggestTouch", () => {
  it("suggests a visit to a red-face account last reached remotely, a call after a visit", () => {
    expect(suggestTouch({ kind: "cadence" }, ctx({ face: "red", lastContactKind: "email" }))).toContain(
      "visit in person",
    );
    expect(suggestTouch({ kind: "cadence" }, ctx({ face: "red", lastContactKind: "visit" }))).toContain(
      "Call your main contact personally",
    );
  });

  it("keeps black-face contact documented, proposes a review to partners, introduces when never contacted", () => {
    expect(suggestTouch({ kind: "cadence" }, ctx({ face: "black" }))).toContain("confirmed in writing");
    expect(suggestTouch({ kind: "cadence" }, ctx({ relationship: "partnership" }))).toContain("joint review");
    expect(suggestTouch({ kind: "cadence" }, ctx({ lastContactKind: null }))).toContain("introduce yourself");
  });

  it("names the person and the years of key dates", () => {
    expect(suggestTouch({ kind: "birthday", name: "Paula", years: null }, ctx())).toBe(
      "Send Paula a personal birthday message on the day.",
    );
    expect(suggestTouch({ kind: "founding_anniversary", name: null, years: 1 }, ctx())).toBe(
      "Congratulate them on 1 year in business with a short personal note.",
    );
    expect(suggestTouch({ kind: "first_order_anniversary", name: null, years: 5 }, ctx())).toContain(
      "5 years of working together",
    );
    expect(suggestTouch({ kind: "holiday", name: "New Year", years: null }, ctx())).toContain(
      "New Year greetings",
    );
  });
});
