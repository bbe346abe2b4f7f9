// Every callback_id / action_id / block_id the app uses, in one place for builders and matchers.
export const ids = {
  command: { customer: "/customer" },
  action: {
    shareCard: "card_share",
    pickAccount: "account_pick",
    /** Card buttons opening the record modals; value = account id. */
    logInteraction: "card_log_interaction",
    newComplaint: "card_complaint",
    recordSign: "card_sign",
    /** Complaint lifecycle buttons; value = JSON { complaintId, action }. */
    complaintTransition: "complaint_transition",
    /** Follow-up done (reminder DM, Home); value = follow-up id. */
    followUpDone: "follow_up_done",
    /** Home tab paging; value = JSON { section, page }. */
    homePage: "home_page",
    /** External select of accounts (message shortcut modal). */
    accountSelect: "account_select",
    /** Sign kind select: rebuilds the sign modal with the fields of that kind. */
    signKind: "sign_kind",
    /** Churn warning buttons; value = warning id. */
    warningAcknowledge: "churn_warning_ack",
    /** Churn warning snooze; action id `churn_warning_snooze:<days>`, value = JSON { warningId, days }. */
    warningSnooze: "churn_warning_snooze",
  },
  view: {
    interaction: "interaction_modal",
    complaint: "complaint_modal",
    complaintResolve: "complaint_resolve_modal",
    sign: "sign_modal",
    logToCustomer: "log_to_customer_modal",
  },
  shortcut: { logToCustomer: "log_to_customer" },
} as const;
