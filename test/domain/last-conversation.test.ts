// Task 1's pure core: the template talking points, the AI draft check, the money-free prompt and when an
// outcome may be recorded.
import { describe, expect, it } from "vitest";
import {
  briefPromptInput,
  outcomeRefusal,
  relationshipLength,
  templateTalkingPoints,
  usableTalkingPoints,
  withoutMoneyFigures,
} from "../../src/domain/last-conversation.ts";
import { briefFacts as facts, briefRisk as risk } from "../support/last-conversation-fixtures.ts";

describe("relationshipLength", () => {
  it.each([
    ["2019-04-02", "2026-11-23", "7 years"],
    ["2025-11-23", "2026-11-23", "1 year"],
    ["2026-03-01", "2026-11-23", "8 months"],
    ["2026-10-20", "2026-11-23", "1 month"],
    ["2025-11-24", "2026-11-23", "11 months"],
    ["2024-02-29", "2025-02-28", "11 months"],
    ["2026-11-20", "2026-11-23", "a few weeks"],
    ["2026-11-24", "2026-11-23", null],
    ["not a day", "2026-11-23", null],
  ])("from %s to %s is %s", (since, today, expected) => {
    expect(relationshipLength(since, today)).toBe(expected);
  });
});

describe("templateTalkingPoints", () => {
  it("covers the §5 checklist with what is known: the surface reason, the competitor, complaints, receivables, the end date", () => {
    const points = templateTalkingPoints(facts());
    expect(points.opening).toContain("7 years of working together");
    const questions = points.questions.join("\n");
    expect(questions).toContain("They gave “Budget cuts” as the reason: ask what lies behind it");
    expect(questions).toContain("Ask what “Globex” offers them");
    // fight_hard: one real attempt to keep them.
    expect(questions).toContain("Make one real attempt to keep them");
    expect(questions).toContain(
      "Go through the open complaint: say what is being done, and ask whether fixing it",
    );
    expect(questions).toContain("$12,345.67 open (3 invoices), of which $7,345.00 overdue for up to 40 days");
    expect(questions).toContain("inventory");
    expect(questions).toContain("claims or compensation");
    expect(questions).toContain("transition plan up to 2026-12-31");
    expect(questions).toContain("termination memo");
    expect(points.watchOuts).toEqual([
      "Invoices are overdue: settle them before agreeing anything else, and deliver nothing more on credit.",
      "Complaints are past their response target: acknowledge that first, don't defend it.",
      "Their latest loyalty read was disloyal: listen more than you talk.",
      "Don't run down “Globex”.",
      "Don't argue with their reasons: listen and write them down.",
    ]);
    expect(points.leaveDoorOpen).toContain("welcome back");
  });

  it("for a customer to let go offers nothing to keep them and warns against discounts", () => {
    const points = templateTalkingPoints(
      facts({
        risk: { ...risk, verdict: "let_go" },
        receivables: [],
        openComplaints: [],
        openComplaintCount: 0,
        reason: {
          reason: null,
          surfaceReason: null,
          deepReason: null,
          competitorWon: null,
          expectedEndOn: null,
        },
      }),
    );
    const questions = points.questions.join("\n");
    expect(questions).not.toContain("keep them");
    expect(questions).not.toContain("stay");
    expect(questions).toContain("Ask why they are leaving, and dig past the first answer");
    expect(questions).toContain("Confirm that nothing is left to pay on either side.");
    expect(questions).toContain("Agree a transition plan: the end date");
    expect(questions).not.toContain("complaint");
    expect(points.watchOuts).toContain(
      "Keeping them is not worth what it costs: don't buy them back with discounts.",
    );
  });

  it("checks a recorded deep reason, and without an assessment or orders still asks what would change their mind", () => {
    const points = templateTalkingPoints(
      facts({
        risk: null,
        customerSince: null,
        reason: {
          reason: "poor_service",
          surfaceReason: "Budget",
          deepReason: "Our rep never called back",
          competitorWon: null,
          expectedEndOn: null,
        },
      }),
    );
    expect(points.opening).toContain("Thank them for working with us");
    expect(points.questions[0]).toBe(
      "Check the deep reason recorded so far (“Our rep never called back”): is that really what decided it?",
    );
    expect(points.questions).toContain("Ask whether anything would change their mind.");
  });

  it("for a blacklist candidate asks nothing about staying and says a manager confirms", () => {
    const points = templateTalkingPoints(
      facts({ risk: { ...risk, verdict: "blacklist_candidate" }, openComplaintCount: 3 }),
    );
    expect(points.questions).toContain(
      "Go through the 3 open complaints: say what is being done, and ask whether fixing them would change anything.",
    );
    expect(points.questions.join("\n")).not.toMatch(/stay|keep them/);
    expect(points.watchOuts).toContain(
      "Blacklist candidate: offer nothing to keep them; a manager confirms the blacklisting.",
    );
  });
});

describe("usableTalkingPoints", () => {
  it("trims, drops empty items and caps the lists", () => {
    const points = usableTalkingPoints({
      opening: "  Thank them.  ",
      questions: [" Why? ", "", "   ", ...Array.from({ length: 20 }, (_, i) => `Q${i}`)],
      watchOuts: ["x".repeat(900)],
      leaveDoorOpen: "Door\n open",
    });
    expect(points?.opening).toBe("Thank them.");
    expect(points?.questions[0]).toBe("Why?");
    expect(points?.questions).toHaveLength(12);
    expect(points?.watchOuts[0]).toHaveLength(500);
    expect(points?.leaveDoorOpen).toBe("Door open");
  });

  it.each([
    ["no opening", { opening: " ", questions: ["Why?"], watchOuts: [], leaveDoorOpen: "Bye" }],
    ["no question", { opening: "Hi", questions: ["", " "], watchOuts: [], leaveDoorOpen: "Bye" }],
    ["no parting line", { opening: "Hi", questions: ["Why?"], watchOuts: [], leaveDoorOpen: "" }],
  ])("refuses a draft with %s", (_, draft) => {
    expect(usableTalkingPoints(draft)).toBeNull();
  });
});

describe("withoutMoneyFigures", () => {
  it.each([
    ["order value $6,000.00 vs $10,000.00", "order value [amount] vs [amount]"],
    ["owes CA$1,234.50 and −€3", "owes [amount] and −[amount]"],
    ["EUR 1,200.50 overdue for 40 days", "[amount] overdue for 40 days"],
    ["a credit of 5,000 USD", "a credit of [amount]"],
    ["CHF 99 and ¥1,235", "[amount] and [amount]"],
    ["40 days, 3 PCS, ABC 12, 2026-11-23", "40 days, 3 PCS, ABC 12, 2026-11-23"],
  ])("%s → %s", (text, expected) => {
    expect(withoutMoneyFigures(text)).toBe(expected);
  });
});

describe("briefPromptInput", () => {
  it("with money shares order values, profit and receivables, but no contact details or Slack ids", () => {
    const input = briefPromptInput(facts(), { shareMoney: true });
    expect(input).toContain("Customer: ACME Corporation (segment Distributor, region North)");
    expect(input).toContain("Customer since: 2019-04-02 (7 years)");
    expect(input).toContain("order value $120,000.00 (previous $200,000.00, −40%)");
    expect(input).toContain("profit $20,000.00 (previous $50,000.00, −60%)");
    expect(input).toContain(
      "3 open invoices totalling $12,345.67, 2 overdue ($7,345.00), the oldest 40 days",
    );
    expect(input).toContain("Risk reason: order value −40% ($6,000.00 in the last 90 days vs $10,000.00)");
    expect(input).toContain("Verdict of the three judgments: Fight hard");
    expect(input).toContain("Surface reason: Budget cuts");
    expect(input).toContain("Competitor that won them: Globex");
    expect(input).toContain("Their contacts' roles: Purchasing");
    expect(input).toContain(
      "Feedback 2026-10-01: praised: fast delivery; complained: price went up by $3,000",
    );
    expect(input).not.toMatch(/paula@acme|555 0100|U0OWNER|Paula Purchase/);
  });

  it("without money leaves out every amount, also inside free text, and keeps the counts", () => {
    const input = briefPromptInput(facts(), { shareMoney: false });
    expect(input).toContain("Money figures are withheld.");
    expect(input).toContain("10 orders (previous 12 months: 18, −44%)");
    expect(input).toContain("3 open invoices, 2 overdue, the oldest 40 days");
    expect(input).toContain("complained: price went up by [amount]");
    expect(input).toContain("Risk reason: [amount] overdue for 40 days");
    expect(input).not.toMatch(/[$€£¥]|EUR \d|profit [^a]|margin \d/);
    expect(input).not.toMatch(/12,345|7,345|120,000|200,000|2,500/);
  });
});

describe("outcomeRefusal", () => {
  it.each([
    [{ caseStatus: "open", task1Status: "todo" }, null],
    [{ caseStatus: "open", task1Status: "doing" }, null],
    [{ caseStatus: "open", task1Status: "done" }, "already recorded"],
    [{ caseStatus: "open", task1Status: "not_needed" }, "reopen it"],
    [{ caseStatus: "retained", task1Status: "done" }, "is closed (retained)"],
    [{ caseStatus: "lost", task1Status: "todo" }, "is closed (lost)"],
  ] as const)("%o → %s", (input, expected) => {
    const refusal = outcomeRefusal(input);
    if (expected === null) expect(refusal).toBeNull();
    else expect(refusal).toContain(expected);
  });
});
