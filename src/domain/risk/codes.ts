// The stable codes of every risk signal, in one place: the scorer, next actions and backtests key on them.

export const SIGNAL = {
  // §2.1 orders (source "ledger")
  orderValueDecline: "order_value_decline",
  orderFrequencyDecline: "order_frequency_decline",
  /** "Divided heart": less per order while the rhythm of orders holds. */
  dividedHeart: "quantity_decline_frequency_holds",
  orderOverdue: "order_overdue",
  noRepeatOrder: "no_repeat_order",
  // §2.2 profit (source "ledger")
  marginDecline: "margin_decline",
  unprofitable: "unprofitable",
  // §2.4 payment (source "receivables")
  receivablesOverdue: "receivables_overdue",
  // BG/NBD (source "model")
  lowPAlive: "model_low_p_alive",
  // §7 complaints and loyalty (source "records")
  complaintOverdue: "complaint_overdue",
  complaintOpen: "complaint_open",
  complaintsRepeated: "complaints_repeated",
  loyaltyDisloyal: "loyalty_disloyal",
  loyaltyWorsening: "loyalty_worsening",
  // §3 warning signs (source "records")
  purchasingContactChanged: "purchasing_contact_changed",
  decisionMakerChanged: "decision_maker_changed",
  contactChanged: "contact_changed",
  strategyChange: "strategy_change",
  procurementReform: "procurement_reform",
  competitorActivity: "competitor_activity",
  repLeaving: "rep_leaving",
  paymentProblem: "payment_problem",
  complaintEscalation: "complaint_escalation",
  otherSign: "other_warning_sign",
} as const;

export type SignalCode = (typeof SIGNAL)[keyof typeof SIGNAL];
