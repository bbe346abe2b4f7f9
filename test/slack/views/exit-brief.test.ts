// The brief's Block Kit and the outcome modal: every fact section, talking points marked by who drafted
// them, user and AI text escaped, Slack's limits kept with long inputs.
import { describe, expect, it } from "vitest";
import {
  type ExitBrief,
  type ExitBriefFacts,
  templateTalkingPoints,
} from "../../../src/domain/last-conversation.ts";
import type { ExitCaseDetails } from "../../../src/services/exit/get-exit-case.ts";
import { ids } from "../../../src/slack/ids.ts";
import { buildExitBrief } from "../../../src/slack/views/exit-brief.ts";
import { buildExitOutcomeModal } from "../../../src/slack/views/exit-outcome-modal.ts";
import { blockViolations, viewViolations } from "../../support/block-kit-rules.ts";
import { type SlackBlock, textOf } from "../../support/blocks.ts";
import { briefComplaint, briefFacts } from "../../support/last-conversation-fixtures.ts";

function brief(facts: ExitBriefFacts, overrides: Partial<ExitBrief> = {}): ExitBrief {
  return {
    facts,
    talkingPoints: templateTalkingPoints(facts),
    source: "template",
    aiUnavailable: null,
    ...overrides,
  };
}

const render = (b: ExitBrief) => {
  const message = buildExitBrief(b, { actorSlackId: "U0REP" });
  return { ...message, shown: textOf(message.blocks as SlackBlock[]) };
};

describe("buildExitBrief", () => {
  it("shows the history, loyalty and feedback, complaints, receivables, risk, the reason and the template's points", () => {
    const { shown, blocks, text } = render(brief(briefFacts()));
    expect(text).toBe("Last-conversation brief: ACME Corporation");
    expect(shown).toContain("*Last-conversation brief — ACME Corporation*");
    expect(shown).toContain("Prepared for <@U0REP> on 2026-11-23");
    expect(shown).toContain("*Customer since* 2019-04-02 (7 years)");
    expect(shown).toContain("*Last order* 2026-09-01  ·  usual gap 30 days");
    expect(shown).toContain(
      "*Last 12 months* 10 orders (−44% on the 12 months before)  ·  value $120,000.00 (−40%)  ·  profit $20,000.00 (−60%), margin 16.7%",
    );
    expect(shown).toContain("*Talk to* Paula Purchase (Purchasing)");
    expect(shown).toContain("*Loyalty* Disloyal ← Average (worsening)");
    expect(shown).toContain("• 2026-10-01 — praised: fast delivery; complained: price went up by $3,000");
    expect(shown).toContain("*Open complaints* (1)");
    expect(shown).toContain("Pallets arrived broken");
    expect(shown).toContain(
      "$12,345.67 open in 3 invoices, *$7,345.00 overdue* in 2 invoices (oldest 40 days past due)",
    );
    expect(shown).toContain("*Churn risk 84/100 · Critical*");
    expect(shown).toContain("Fight hard: its future profit alone is worth the retention cost");
    expect(shown).toContain("*Reason* Price too high\n*Surface reason* Budget cuts\n*Competitor won* Globex");
    expect(shown).toContain(":clipboard: *Talking points*");
    expect(shown).not.toContain("AI draft");
    expect(shown).toContain("*Questions to ask*\n1. They gave “Budget cuts” as the reason");
    expect(shown).toContain("*Leave the door open* Thank them");
    expect(shown).toContain(
      "Cover: reasons (surface and deep) · their suggestions · leftovers: payments and inventory",
    );
    expect(blockViolations(blocks)).toEqual([]);
  });

  it("marks an AI draft as such, and says when the AI draft was unavailable", () => {
    const facts = briefFacts();
    const ai = render(
      brief(facts, {
        source: "ai",
        talkingPoints: {
          opening: "Open <!channel> warmly",
          questions: ["Why *now*?"],
          watchOuts: [],
          leaveDoorOpen: "Keep in touch <@U0BOSS>",
        },
      }),
    ).shown;
    expect(ai).toContain(
      ":robot_face: *Talking points — AI draft* (drafted from the facts above: check before you use it)",
    );
    // AI text is escaped like user text: no mentions, no pings.
    expect(ai).toContain("*Open with* Open &lt;!channel&gt; warmly");
    expect(ai).toContain("Keep in touch &lt;@U0BOSS&gt;");
    expect(ai).not.toContain("*Watch out*");
    expect(ai).not.toContain("unavailable");

    const fallback = render(brief(facts, { aiUnavailable: "timeout" })).shown;
    expect(fallback).toContain(":clipboard: *Talking points*");
    expect(fallback).toContain(
      "The AI draft was unavailable (it took too long): these are the standard talking points.",
    );
  });

  it("of a customer without records says so instead of leaving sections out", () => {
    const facts = briefFacts({
      customerSince: null,
      lastOrderDay: null,
      typicalGapDays: null,
      year: null,
      months: [],
      contacts: [],
      loyalty: { reads: [], direction: null },
      feedback: [],
      interactions: [],
      openComplaints: [],
      openComplaintCount: 0,
      receivables: [],
      risk: null,
      reason: {
        reason: null,
        surfaceReason: null,
        deepReason: null,
        competitorWon: null,
        expectedEndOn: null,
      },
    });
    const { shown, blocks } = render(brief(facts));
    expect(shown).toContain("*Customer since* no orders on record");
    expect(shown).toContain("*Loyalty* no reads recorded");
    expect(shown).toContain("*Open complaints* none");
    expect(shown).toContain("*Receivables* no open invoices");
    expect(shown).toContain("*Churn risk* not assessed yet");
    expect(shown).toContain("*Reason* not recorded yet");
    expect(blockViolations(blocks)).toEqual([]);
  });

  it("stays within Slack's limits with long texts and many complaints, escaping user text", () => {
    const long = `<@U0EVIL> ${"x".repeat(5000)}`;
    const facts = briefFacts({
      account: { name: long, segment: null, region: null },
      feedback: Array.from({ length: 5 }, () => ({
        occurredOn: "2026-10-01",
        praised: long,
        complained: long,
      })),
      openComplaints: Array.from({ length: 50 }, () => ({
        ...briefComplaint,
        description: long,
      })),
      openComplaintCount: 50,
      reason: {
        reason: "poor_service",
        surfaceReason: long,
        deepReason: long,
        competitorWon: long,
        expectedEndOn: null,
      },
    });
    const { shown, blocks } = render(
      brief(facts, {
        source: "ai",
        talkingPoints: {
          opening: long,
          questions: Array.from({ length: 12 }, () => "q".repeat(500)),
          watchOuts: Array.from({ length: 6 }, () => "w".repeat(500)),
          leaveDoorOpen: long,
        },
      }),
    );
    expect(blockViolations(blocks)).toEqual([]);
    expect(shown).not.toContain("<@U0EVIL>");
    expect(shown).toContain("…and 45 more open complaints");
  });
});

describe("buildExitOutcomeModal", () => {
  const exitCase = {
    id: "6f1c1f3e-8a4b-4c47-9a51-1b0f0e0d0c0b",
    reason: "price_too_high",
    surfaceReason: "Budget cuts",
    deepReason: null,
    account: { name: "ACME <Corp>" },
  } as unknown as ExitCaseDetails;

  it("asks for the outcome, what they said and suggested, and the reasons (pre-filled) if learnt", () => {
    const view = buildExitOutcomeModal(exitCase);
    expect(view.callback_id).toBe(ids.view.exitOutcome);
    expect(JSON.parse(view.private_metadata ?? "")).toEqual({ caseId: exitCase.id });
    const inputs = view.blocks.filter((b) => b.type === "input") as {
      block_id: string;
      optional: boolean;
      element: {
        type: string;
        options?: { value: string; text: { text: string } }[];
        initial_value?: string;
      };
    }[];
    expect(inputs.map((b) => [b.block_id, b.optional ?? false])).toEqual([
      ["outcome", false],
      ["customer_said", false],
      ["customer_suggested", true],
      ["surface_reason", true],
      ["deep_reason", true],
    ]);
    expect(inputs[0]?.element.options?.map((o) => [o.value, o.text.text])).toEqual([
      ["retained", "Retained — they stay"],
      ["leaving_confirmed", "Leaving confirmed"],
    ]);
    expect(inputs[3]?.element.initial_value).toBe("Budget cuts");
    expect(inputs[4]?.element.initial_value).toBeUndefined();
    expect(textOf(view.blocks as SlackBlock[])).toContain(
      "*ACME &lt;Corp&gt;*  ·  reason so far: Price too high",
    );
    expect(viewViolations(view)).toEqual([]);
  });
});
