// Next actions: from the top reasons and the verdict, at most three, no duplicates.
import { describe, expect, it } from "vitest";
import { SIGNAL } from "../../../src/domain/risk/codes.ts";
import type { Verdict } from "../../../src/domain/risk/judgments.ts";
import { nextActions } from "../../../src/domain/risk/next-actions.ts";
import type { Signal } from "../../../src/domain/risk/signal.ts";

function reason(code: string): Signal {
  return { code, source: "records", strength: 0.5, strong: false, text: code };
}

describe("nextActions", () => {
  it.each<{ name: string; reasons: string[]; verdict: Verdict | null; expected: string[] }>([
    { name: "nothing to act on", reasons: [], verdict: null, expected: [] },
    {
      name: "one per reason, in the reasons' order",
      reasons: [SIGNAL.orderOverdue, SIGNAL.purchasingContactChanged, SIGNAL.complaintOverdue],
      verdict: null,
      expected: [
        "Call the purchasing contact about their next order",
        "Meet the new purchasing contact within two weeks",
        "Close the overdue complaint and report back",
      ],
    },
    {
      name: "competitor and divided heart",
      reasons: [SIGNAL.competitorActivity, SIGNAL.dividedHeart],
      verdict: null,
      expected: [
        "Prepare a counter-offer: price, service, technology",
        "Ask what share of their volume goes elsewhere",
      ],
    },
    {
      name: "the same action once (overdue order and low P(alive); value and frequency decline)",
      reasons: [
        SIGNAL.orderOverdue,
        SIGNAL.lowPAlive,
        SIGNAL.orderValueDecline,
        SIGNAL.orderFrequencyDecline,
      ],
      verdict: null,
      expected: [
        "Call the purchasing contact about their next order",
        "Ask why they buy less: their market, a product phased out, or a competitor",
      ],
    },
    {
      name: "at most three; unknown codes suggest nothing",
      reasons: [
        "brand_new_code",
        SIGNAL.repLeaving,
        SIGNAL.loyaltyDisloyal,
        SIGNAL.receivablesOverdue,
        SIGNAL.strategyChange,
      ],
      verdict: null,
      expected: [
        "Hand the account over: introduce the new owner in person",
        "Visit them: ask what they are unhappy with and agree a fix",
        "Agree a payment plan for the overdue invoices",
      ],
    },
    {
      name: "fight hard fills a free place last",
      reasons: [SIGNAL.competitorActivity],
      verdict: "fight_hard",
      expected: [
        "Prepare a counter-offer: price, service, technology",
        "Agree a retention plan: keeping them is worth more than it costs",
      ],
    },
    {
      name: "fight hard does not push out a reason",
      reasons: [SIGNAL.competitorActivity, SIGNAL.orderOverdue, SIGNAL.complaintOpen],
      verdict: "retain",
      expected: [
        "Prepare a counter-offer: price, service, technology",
        "Call the purchasing contact about their next order",
        "Take the open complaint through to the customer's confirmation",
      ],
    },
    {
      name: "let go comes first and drops the counter-offer",
      reasons: [SIGNAL.competitorActivity, SIGNAL.unprofitable],
      verdict: "let_go",
      expected: [
        "Let them go gracefully: settle open items and leave the door open",
        "Rethink the cooperation: price, cost to serve or scope",
      ],
    },
    {
      name: "a blacklist candidate needs a manager first, then collection",
      reasons: [
        SIGNAL.receivablesOverdue,
        SIGNAL.paymentProblem,
        SIGNAL.competitorActivity,
        SIGNAL.complaintEscalation,
      ],
      verdict: "blacklist_candidate",
      expected: [
        "Ask a manager to confirm or reject the blacklisting",
        "Agree a payment plan for the overdue invoices",
        "Have a manager call the customer about the conflict this week",
      ],
    },
  ])("$name", ({ reasons, verdict, expected }) => {
    const actions = nextActions({ reasons: reasons.map(reason), verdict });
    expect(actions.map((a) => a.text)).toEqual(expected);
    expect(new Set(actions.map((a) => a.action)).size).toBe(actions.length);
  });

  it("says what called for each action", () => {
    expect(
      nextActions({ reasons: [reason(SIGNAL.lowPAlive), reason(SIGNAL.orderOverdue)], verdict: "let_go" }),
    ).toEqual([
      {
        action: "let_go_gracefully",
        text: "Let them go gracefully: settle open items and leave the door open",
        because: "let_go",
      },
      {
        action: "ask_next_order",
        text: "Call the purchasing contact about their next order",
        because: SIGNAL.lowPAlive,
      },
    ]);
  });

  it("has an action for every signal code", () => {
    for (const code of Object.values(SIGNAL)) {
      expect(nextActions({ reasons: [reason(code)] }), code).toHaveLength(1);
    }
  });
});
