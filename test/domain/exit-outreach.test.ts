// The rules of logged outreach (tasks 2 and 3) and task 3's company-level communication.
import { describe, expect, it } from "vitest";
import { checkOutreach, type OutreachDraft } from "../../src/domain/exit-outreach.ts";

const LEAVING = "00000000-0000-4000-8000-000000000001";
const OTHER = "00000000-0000-4000-8000-000000000002";
const draft = (overrides: Partial<OutreachDraft> = {}): OutreachDraft => ({
  accountId: OTHER,
  contactedBy: "U0001",
  contactedOn: "2026-11-23",
  outcome: "  Told them the truth; they stay.  ",
  companyCommunication: null,
  ...overrides,
});
const context = (overrides: Partial<Parameters<typeof checkOutreach>[1]> = {}) => ({
  task: 3 as const,
  today: "2026-11-23",
  leavingAccountId: LEAVING,
  currentCommunication: null,
  ...overrides,
});

describe("checkOutreach", () => {
  it("accepts outreach today with the outcome trimmed; the note is untouched when unchanged", () => {
    expect(checkOutreach(draft(), context())).toEqual({
      ok: true,
      value: {
        outreach: {
          accountId: OTHER,
          contactedBy: "U0001",
          contactedOn: "2026-11-23",
          outcome: "Told them the truth; they stay.",
        },
        companyCommunication: undefined,
      },
    });
  });

  it("names every missing or wrong field", () => {
    expect(
      checkOutreach(
        draft({ accountId: null, contactedBy: null, contactedOn: "2026-11-24", outcome: " " }),
        context(),
      ),
    ).toEqual({
      ok: false,
      errors: {
        accountId: "Pick the customer you reached out to.",
        contactedBy: "Pick who reached out.",
        contactedOn: "That day is in the future.",
        outcome: "Say how it went.",
      },
    });
    expect(checkOutreach(draft({ accountId: LEAVING, contactedOn: "2026-02-30" }), context())).toEqual({
      ok: false,
      errors: {
        accountId: "That is the leaving customer: pick another one.",
        contactedOn: "Pick the day of the contact.",
      },
    });
    expect(checkOutreach(draft({ outcome: "x".repeat(3001) }), context({ task: 2 }))).toMatchObject({
      ok: false,
      errors: { outcome: "At most 3,000 characters." },
    });
  });

  it("task 3 may record only the company-level communication, or clear it", () => {
    const only = draft({
      accountId: null,
      outcome: null,
      companyCommunication: " Press release on the 24th ",
    });
    expect(checkOutreach(only, context())).toEqual({
      ok: true,
      value: { outreach: null, companyCommunication: "Press release on the 24th" },
    });
    const cleared = draft({ accountId: null, outcome: null, companyCommunication: "" });
    expect(checkOutreach(cleared, context({ currentCommunication: "Press release" }))).toEqual({
      ok: true,
      value: { outreach: null, companyCommunication: null },
    });
  });

  it("task 3 with the note as it was and no customer is not a save", () => {
    const unchanged = draft({ accountId: null, outcome: null, companyCommunication: "Press release" });
    expect(checkOutreach(unchanged, context({ currentCommunication: "Press release" }))).toMatchObject({
      ok: false,
      errors: { accountId: "Pick the customer you reached out to.", outcome: "Say how it went." },
    });
  });

  it("saves outreach and a changed note together; task 2 ignores the note", () => {
    expect(checkOutreach(draft({ companyCommunication: "Customer meeting" }), context())).toMatchObject({
      ok: true,
      value: { outreach: { accountId: OTHER }, companyCommunication: "Customer meeting" },
    });
    expect(
      checkOutreach(
        draft({ accountId: null, outcome: null, companyCommunication: "Press" }),
        context({ task: 2 }),
      ),
    ).toMatchObject({ ok: false, errors: { accountId: "Pick the customer you reached out to." } });
  });
});
