// validateSign: the rules a warning sign must satisfy, table-driven.
import { describe, expect, it } from "vitest";
import { type SignDraft, validateSign } from "../../src/domain/signs.ts";

const TODAY = "2026-11-23";
const OLD_CONTACT = "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f";

function draft(overrides: Partial<SignDraft> = {}): SignDraft {
  return {
    kind: "payment_problem",
    observedOn: "2026-11-20",
    details: "Second reminder unpaid",
    oldContact: null,
    newContactName: null,
    newContactRole: null,
    newContactEmail: null,
    newContactPhone: null,
    competitorName: null,
    competitorMoves: [],
    ...overrides,
  };
}

describe("validateSign", () => {
  it.each([
    ["no kind", { kind: null }, { kind: "Choose what kind of sign this is." }],
    ["an unknown kind", { kind: "gossip" }, { kind: "Choose what kind of sign this is." }],
    ["no date", { observedOn: null }, { observedOn: "Choose the day it was seen." }],
    ["a date that is not a day", { observedOn: "2026-02-30" }, { observedOn: "Choose the day it was seen." }],
    ["tomorrow", { observedOn: "2026-11-24" }, { observedOn: "The date can't be in the future." }],
    ["blank details", { details: "   " }, { details: "Say what was seen or heard." }],
    ["missing details", { details: null }, { details: "Say what was seen or heard." }],
    ["over-long details", { details: "x".repeat(3001) }, { details: "Keep it under 3000 characters." }],
    [
      "a contact change without the new contact",
      { kind: "contact_change", newContactRole: "purchasing" },
      { newContactName: "Name the contact who took over." },
    ],
    [
      "a contact change without a role",
      { kind: "contact_change", newContactName: "Nina New" },
      { newContactRole: "Choose the new contact's role." },
    ],
    [
      "a contact change with a bad email",
      {
        kind: "contact_change",
        newContactName: "Nina",
        newContactRole: "purchasing",
        newContactEmail: "nina@",
      },
      { newContactEmail: "That is not an email address." },
    ],
    [
      "a contact change naming an old contact that is not an id",
      { kind: "contact_change", newContactName: "Nina", newContactRole: "user", oldContact: "paula" },
      { oldContact: "Choose one of the listed contacts." },
    ],
    [
      "competitor activity without the competitor",
      { kind: "competitor_activity", competitorName: "  ", competitorMoves: ["price"] },
      { competitorName: "Name the competitor." },
    ],
    [
      "an unknown competitor move",
      { kind: "competitor_activity", competitorName: "Rival", competitorMoves: ["bribes"] },
      { competitorMoves: "Unknown competitor move." },
    ],
  ] as [string, Partial<SignDraft>, Record<string, string>][])("refuses %s", (_case, overrides, errors) => {
    expect(validateSign(draft(overrides), TODAY)).toEqual({ ok: false, errors });
  });

  it("reports every problem at once", () => {
    const result = validateSign(
      draft({ kind: "contact_change", details: "", observedOn: "2027-01-01", newContactRole: "purchasing" }),
      TODAY,
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && Object.keys(result.errors).sort()).toEqual([
      "details",
      "newContactName",
      "observedOn",
    ]);
  });

  it("takes today, and trims what was typed", () => {
    const result = validateSign(draft({ observedOn: TODAY, details: "  Late again \n" }), TODAY);
    expect(result).toEqual({
      ok: true,
      sign: {
        kind: "payment_problem",
        observedOn: TODAY,
        details: "Late again",
        contactChange: null,
        competitor: null,
      },
    });
  });

  it("keeps a contact change's contacts, empty optional fields as null", () => {
    const result = validateSign(
      draft({
        kind: "contact_change",
        oldContact: OLD_CONTACT,
        newContactName: " Nina New ",
        newContactRole: "purchasing",
        newContactEmail: "",
        newContactPhone: " +49 30 999 ",
      }),
      TODAY,
    );
    expect(result.ok && result.sign.contactChange).toEqual({
      oldContactId: OLD_CONTACT,
      newContact: { name: "Nina New", role: "purchasing", email: null, phone: "+49 30 999" },
    });
    expect(result.ok && result.sign.competitor).toBeNull();
  });

  it("keeps competitor activity's competitor and its moves once each", () => {
    const result = validateSign(
      draft({
        kind: "competitor_activity",
        competitorName: "Rival GmbH",
        competitorMoves: ["price", "hiring", "price"],
      }),
      TODAY,
    );
    expect(result.ok && result.sign.competitor).toEqual({ name: "Rival GmbH", moves: ["price", "hiring"] });
    expect(result.ok && result.sign.contactChange).toBeNull();
  });

  it("ignores fields of another kind, even invalid ones (the rep switched the kind)", () => {
    const result = validateSign(
      draft({
        kind: "strategy_change",
        newContactName: "Nina",
        newContactEmail: "not an email",
        oldContact: "nope",
        competitorName: "Rival",
        competitorMoves: ["bribes"],
      }),
      TODAY,
    );
    expect(result.ok).toBe(true);
    expect(result.ok && [result.sign.contactChange, result.sign.competitor]).toEqual([null, null]);
  });
});
