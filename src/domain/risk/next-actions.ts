// What the owner should do next, from the top reasons of a risk assessment and the §4 verdict.
import { SIGNAL, type SignalCode } from "./codes.ts";
import type { Verdict } from "./judgments.ts";
import type { Signal } from "./signal.ts";

export type NextAction = {
  /** Stable id of the action: two reasons calling for the same action give it once. */
  action: string;
  text: string;
  /** The signal code or verdict that called for it. */
  because: string;
};

type Suggestion = { action: string; text: string };

const forSignal: Readonly<Record<SignalCode, Suggestion>> = {
  [SIGNAL.orderOverdue]: {
    action: "ask_next_order",
    text: "Call the purchasing contact about their next order",
  },
  [SIGNAL.lowPAlive]: {
    action: "ask_next_order",
    text: "Call the purchasing contact about their next order",
  },
  [SIGNAL.noRepeatOrder]: {
    action: "ask_repeat_order",
    text: "Ask what it would take for a second order",
  },
  [SIGNAL.orderValueDecline]: {
    action: "ask_why_less",
    text: "Ask why they buy less: their market, a product phased out, or a competitor",
  },
  [SIGNAL.orderFrequencyDecline]: {
    action: "ask_why_less",
    text: "Ask why they buy less: their market, a product phased out, or a competitor",
  },
  [SIGNAL.dividedHeart]: { action: "ask_share", text: "Ask what share of their volume goes elsewhere" },
  [SIGNAL.marginDecline]: { action: "review_terms", text: "Review prices, discounts and cost to serve" },
  [SIGNAL.unprofitable]: {
    action: "rethink_cooperation",
    text: "Rethink the cooperation: price, cost to serve or scope",
  },
  [SIGNAL.receivablesOverdue]: {
    action: "collect_overdue",
    text: "Agree a payment plan for the overdue invoices",
  },
  [SIGNAL.paymentProblem]: {
    action: "collect_overdue",
    text: "Agree a payment plan for the overdue invoices",
  },
  [SIGNAL.complaintOverdue]: {
    action: "close_complaint",
    text: "Close the overdue complaint and report back",
  },
  [SIGNAL.complaintOpen]: {
    action: "confirm_complaint",
    text: "Take the open complaint through to the customer's confirmation",
  },
  [SIGNAL.complaintsRepeated]: {
    action: "root_cause",
    text: "Find the root cause behind the repeated complaints",
  },
  [SIGNAL.complaintEscalation]: {
    action: "manager_call",
    text: "Have a manager call the customer about the conflict this week",
  },
  [SIGNAL.loyaltyDisloyal]: {
    action: "visit_unhappy",
    text: "Visit them: ask what they are unhappy with and agree a fix",
  },
  [SIGNAL.loyaltyWorsening]: {
    action: "ask_what_changed",
    text: "Ask what changed since the last good conversation",
  },
  [SIGNAL.purchasingContactChanged]: {
    action: "meet_new_contact",
    text: "Meet the new purchasing contact within two weeks",
  },
  [SIGNAL.decisionMakerChanged]: {
    action: "meet_decision_maker",
    text: "Meet the new decision maker within two weeks",
  },
  [SIGNAL.contactChanged]: { action: "meet_contact", text: "Introduce yourself to the new contact" },
  [SIGNAL.strategyChange]: {
    action: "understand_strategy",
    text: "Find out how their new strategy changes what they buy",
  },
  [SIGNAL.procurementReform]: {
    action: "prepare_tender",
    text: "Prepare for their new procurement: show value beyond price",
  },
  [SIGNAL.competitorActivity]: {
    action: "counter_offer",
    text: "Prepare a counter-offer: price, service, technology",
  },
  [SIGNAL.repLeaving]: {
    action: "hand_over",
    text: "Hand the account over: introduce the new owner in person",
  },
  [SIGNAL.otherSign]: { action: "check_sign", text: "Check the recorded warning sign with the customer" },
};

const forVerdict: Readonly<Record<Verdict, Suggestion>> = {
  blacklist_candidate: {
    action: "confirm_blacklist",
    text: "Ask a manager to confirm or reject the blacklisting",
  },
  let_go: {
    action: "let_go_gracefully",
    text: "Let them go gracefully: settle open items and leave the door open",
  },
  fight_hard: {
    action: "retention_plan",
    text: "Agree a retention plan: keeping them is worth more than it costs",
  },
  retain: {
    action: "retention_plan",
    text: "Agree a retention plan within what their indirect or long-term value justifies",
  },
};

export const MAX_NEXT_ACTIONS = 3;

/** Actions that only make sense while fighting for the customer. */
const WIN_BACK_ACTIONS: ReadonlySet<string> = new Set(["counter_offer", "ask_repeat_order"]);

/**
 * At most three actions, without duplicates. A blacklist or let-go verdict comes first (it changes
 * what every other step is for, and drops the win-back offers); then one action per reason in the
 * reasons' order; a fight/retain verdict fills a free place last. Unknown codes suggest nothing.
 */
export function nextActions(input: { reasons: readonly Signal[]; verdict?: Verdict | null }): NextAction[] {
  const candidates: NextAction[] = [];
  const verdict = input.verdict ?? null;
  const verdictAction = verdict === null ? null : { ...forVerdict[verdict], because: verdict };
  const partingWays = verdict === "blacklist_candidate" || verdict === "let_go";
  if (verdictAction && partingWays) candidates.push(verdictAction);
  for (const reason of input.reasons) {
    const suggestion = (forSignal as Readonly<Record<string, Suggestion>>)[reason.code];
    if (!suggestion || (partingWays && WIN_BACK_ACTIONS.has(suggestion.action))) continue;
    candidates.push({ ...suggestion, because: reason.code });
  }
  if (verdictAction) candidates.push(verdictAction);
  const seen = new Set<string>();
  const actions: NextAction[] = [];
  for (const candidate of candidates) {
    if (seen.has(candidate.action)) continue;
    seen.add(candidate.action);
    actions.push(candidate);
    if (actions.length === MAX_NEXT_ACTIONS) break;
  }
  return actions;
}
