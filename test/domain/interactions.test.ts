// The rules of a logged interaction and follow-up due dates, table-driven.
import { describe, expect, it } from "vitest";
import { checkInteraction, daysBetween, type InteractionDraft } from "../../src/domain/interactions.ts";
import { isoDayNumber } from "../../src/domain/trends.ts";

const context = { today: "2026-11-23", submittedBy: "U0ME" };

const draft = (overrides: Partial<InteractionDraft> = {}): InteractionDraft => ({
  kind: "call",
  occurredOn: "2026-11-23",
  ourParticipants: ["U0ME"],
  contactIds: [],
  summary: "Talked",
  praised: null,
  complained: null,
  loyalty: null,
  nextStep: null,
  dueOn: null,
  ownerSlackId: null,
  ...overrides,
});

describe("checkInteraction", () => {
  it.each<[string, Partial<InteractionDraft>, Record<string, string>]>([
    ["no kind", { kind: null }, { kind: "Choose what kind of contact it was." }],
    ["no date", { occurredOn: null }, { occurredOn: "Pick the day it happened." }],
    ["an impossible date", { occurredOn: "2026-02-30" }, { occurredOn: "That is not a date." }],
    [
      "tomorrow",
      { occurredOn: "2026-11-24" },
      { occurredOn: "An interaction can't be in the future: pick 2026-11-23 or earlier." },
    ],
    [
      "nobody of ours",
      { ourParticipants: [] },
      { ourParticipants: "Name at least one of us who took part." },
    ],
    ["a blank summary", { summary: " \n\t " }, { summary: "Write a short summary of what was said." }],
    ["a step without a date", { nextStep: "Call" }, { dueOn: "Pick when the next step is due." }],
    [
      "a date without a step",
      { dueOn: "2026-11-30", nextStep: "   " },
      { nextStep: "Say what the next step is, or clear its due date." },
    ],
    [
      "a step due yesterday",
      { nextStep: "Call", dueOn: "2026-11-22" },
      { dueOn: "A next step can't be due in the past: pick 2026-11-23 or later." },
    ],
  ])("refuses %s", (_, change, errors) => {
    expect(checkInteraction(draft(change), context)).toEqual({ ok: false, errors });
  });

  it("accepts today and a step due today, trims text but keeps it whole, owner defaulting to the submitter", () => {
    const long = `${"word ".repeat(2000)}end`;
    const result = checkInteraction(
      draft({
        summary: `  ${long}  `,
        praised: "  ",
        complained: " late invoices ",
        nextStep: " Call back ",
        dueOn: "2026-11-23",
        ourParticipants: ["U0ME", "U0YOU", "U0ME"],
        loyalty: "loyal",
      }),
      context,
    );
    expect(result).toEqual({
      ok: true,
      value: {
        kind: "call",
        occurredOn: "2026-11-23",
        ourParticipants: ["U0ME", "U0YOU"],
        contactIds: [],
        summary: long,
        praised: null,
        complained: "late invoices",
        loyalty: "loyal",
        nextStep: { description: "Call back", dueOn: "2026-11-23", ownerSlackId: "U0ME" },
      },
    });
  });

  it("keeps a chosen owner", () => {
    const result = checkInteraction(
      draft({ nextStep: "Visit", dueOn: "2027-01-05", ownerSlackId: "U0BOSS" }),
      context,
    );
    expect(result.ok && result.value.nextStep).toEqual({
      description: "Visit",
      dueOn: "2027-01-05",
      ownerSlackId: "U0BOSS",
    });
  });
});

describe("calendar days", () => {
  it.each([
    ["2026-11-20", "2026-11-23", 3],
    ["2026-11-23", "2026-11-23", 0],
    ["2026-11-24", "2026-11-23", -1],
    ["2024-02-28", "2024-03-01", 2],
    ["2025-12-31", "2026-01-01", 1],
  ])("from %s to %s is %i days", (from, to, days) => {
    expect(daysBetween(from, to)).toBe(days);
  });

  it.each(["2026-13-01", "2026-11-31", "26-11-01", "2026-11-1", ""])("%j is not a day", (day) => {
    expect(isoDayNumber(day)).toBeNull();
  });
});
