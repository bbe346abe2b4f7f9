// Every callback_id / action_id / block_id the app uses, in one place for builders and matchers.
export const ids = {
  command: { customer: "/customer" },
  action: {
    shareCard: "card_share",
    pickAccount: "account_pick",
    winBack: "account_win_back",
    blacklist: "account_blacklist",
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
    /** Start exit handling (critical warning, card); value = JSON { accountId, warningId? }. */
    exitStart: "exit_start",
    /** Exit task status buttons; action id `exit_task_status:<status>`, value = JSON { taskId, to }. */
    exitTaskStatus: "exit_task_status",
    /** Edit an exit task (owner, due date, notes); value = task id. */
    exitTaskEdit: "exit_task_edit",
    /** Edit the case's reasons, competitor and expected end (its message's header); value = case id. */
    exitCaseEdit: "exit_case_edit",
    /** Task 1: post the last-conversation brief in the case's thread; value = case id. */
    exitBrief: "exit_brief",
    /** Task 1: record the last conversation's outcome; value = case id. */
    exitOutcome: "exit_outcome",
    /** Tasks 2 and 3: the accounts at domino risk; value = JSON { caseId, task }. */
    exitDomino: "exit_domino",
    /** Tasks 2 and 3: log one-to-one outreach; value = JSON { caseId, task }. */
    exitOutreach: "exit_outreach",
    /** Task 4: record the four loss amounts; value = case id. */
    exitLosses: "exit_losses",
    /** Task 5: open the lost-customer retrospective thread; value = case id. */
    exitOpenRetro: "exit_open_retro",
    /** Retrospective thread: turn the replies into lessons and corrective actions; value = case id. */
    retroSummarize: "retro_summarize",
    /** Corrective action done (reminder DM, Home); value = action id. */
    correctiveActionDone: "corrective_action_done",
    /** Card: open the Classification modal (§7 designations); value = account id. */
    classify: "card_classify",
  },
  view: {
    blacklist: "blacklist_modal",
    interaction: "interaction_modal",
    complaint: "complaint_modal",
    complaintResolve: "complaint_resolve_modal",
    sign: "sign_modal",
    logToCustomer: "log_to_customer_modal",
    exitStart: "exit_start_modal",
    exitTaskEdit: "exit_task_edit_modal",
    exitNotNeeded: "exit_not_needed_modal",
    exitOutcome: "exit_outcome_modal",
    exitOutreach: "exit_outreach_modal",
    exitLosses: "exit_losses_modal",
    retroSummary: "retro_summary_modal",
    classification: "classification_modal",
  },
  shortcut: { logToCustomer: "log_to_customer" },
} as const;
