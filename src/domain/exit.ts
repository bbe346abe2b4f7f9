// §5 and §6: when a customer decides to leave — the churn-reason taxonomy, the six exit tasks, task
// statuses and what they allow, when a case is finished, and the loss totals of task 4.

export const beyondControlReasons = [
  "moved_away",
  "changed_business",
  "bankrupt",
  "acquired",
  "makes_it_themselves",
  "other_beyond_control",
] as const;

export const withinControlReasons = [
  "better_product_elsewhere",
  "poor_service",
  "poor_quality",
  "price_too_high",
  "unresolved_complaint",
  "relationship_change",
  "channel_conflict",
  "other_within_control",
] as const;

export const churnReasons = [...beyondControlReasons, ...withinControlReasons] as const;
export type ChurnReason = (typeof churnReasons)[number];

export const churnReasonLabel: Record<ChurnReason, string> = {
  moved_away: "Moved away",
  changed_business: "Changed business",
  bankrupt: "Went bankrupt",
  acquired: "Was acquired",
  makes_it_themselves: "Makes it themselves",
  other_beyond_control: "Other, beyond our control",
  better_product_elsewhere: "Better product elsewhere",
  poor_service: "Poor service",
  poor_quality: "Poor product quality",
  price_too_high: "Price too high",
  unresolved_complaint: "Unresolved complaint",
  relationship_change: "Relationship or personnel change",
  channel_conflict: "Channel conflict",
  other_within_control: "Other, within our control",
};

/** §6 / §1: about 70% of churn comes from a failure in our own process — these are the ones. */
export function isWithinControl(reason: ChurnReason): boolean {
  return (withinControlReasons as readonly string[]).includes(reason);
}

export const exitTaskNumbers = [1, 2, 3, 4, 5, 6] as const;
export type ExitTaskNumber = (typeof exitTaskNumbers)[number];

export type ExitTaskDefinition = {
  number: ExitTaskNumber;
  title: string;
  /** One line on what the task asks for (§5). */
  summary: string;
  /** Days after the case starts that the task is due by default. */
  dueAfterDays: number;
  /** Tasks 2 and 3 may go to PR or a manager; the others stay with the account owner by default. */
  reassignable: boolean;
};

export const exitTasks: Record<ExitTaskNumber, ExitTaskDefinition> = {
  1: {
    number: 1,
    title: "Last conversation",
    summary:
      "One more try to keep them; ask for reasons and suggestions, settle leftovers and claims, agree a transition plan and a termination memo.",
    dueAfterDays: 3,
    reassignable: false,
  },
  2: {
    number: 2,
    title: "Contain bad news",
    summary:
      "Ask the customer to keep quiet towards press and other customers; coordinate with PR, above all when our product or service caused the loss.",
    dueAfterDays: 3,
    reassignable: true,
  },
  3: {
    number: 3,
    title: "Reassure other customers",
    summary:
      "Stop rumours with the truth: talk one-to-one with the customers at domino risk, and record any company-level communication.",
    dueAfterDays: 7,
    reassignable: true,
  },
  4: {
    number: 4,
    title: "Cut the loss",
    summary:
      "Recover receivables, claim breach compensation, take back reasonable returns, estimate the market-gap loss.",
    dueAfterDays: 14,
    reassignable: false,
  },
  5: {
    number: 5,
    title: "Keep the lesson",
    summary: "Run the lost-customer retrospective with the managers and keep its lessons for every rep.",
    dueAfterDays: 21,
    reassignable: false,
  },
  6: {
    number: 6,
    title: "Use the mistake as a step",
    summary: "Turn the findings into corrective actions, each with an owner and a due date, tracked to done.",
    dueAfterDays: 30,
    reassignable: false,
  },
};

export const exitTaskStatuses = ["todo", "doing", "done", "not_needed"] as const;
export type ExitTaskStatus = (typeof exitTaskStatuses)[number];

export const exitTaskStatusLabel: Record<ExitTaskStatus, string> = {
  todo: "To do",
  doing: "Doing",
  done: "Done",
  not_needed: "Not needed",
};

export function isTaskFinished(status: ExitTaskStatus): boolean {
  return status === "done" || status === "not_needed";
}

/**
 * Whether a task may be marked `done` by its button. Task 1 is done by recording the conversation's
 * outcome; tasks 5 and 6 by saving the retrospective's lessons and corrective actions.
 */
export function doneByButton(number: ExitTaskNumber): boolean {
  return number === 2 || number === 3 || number === 4;
}

export type TaskTransitionCheck = { ok: true } | { ok: false; message: string };

/** Whether a task in `from` may move to `to` (case open). `not_needed` needs a reason, checked by the caller. */
export function checkTaskTransition(
  number: ExitTaskNumber,
  from: ExitTaskStatus,
  to: ExitTaskStatus,
): TaskTransitionCheck {
  if (from === to)
    return { ok: false, message: `Task ${number} is already ${exitTaskStatusLabel[to].toLowerCase()}.` };
  if (to === "done" && !doneByButton(number)) {
    const how = number === 1 ? "recording the conversation's outcome" : "saving the retrospective's summary";
    return { ok: false, message: `Task ${number} is done by ${how}.` };
  }
  return { ok: true };
}

/** The case is finished when every task is done or not needed (then the account is lost). */
export function allTasksFinished(tasks: readonly { status: ExitTaskStatus }[]): boolean {
  return tasks.length === exitTaskNumbers.length && tasks.every((task) => isTaskFinished(task.status));
}

/** A task still open after its due day (calendar day numbers, see trends.isoDayNumber). */
export function isTaskOverdue(task: { status: ExitTaskStatus; dueDay: number }, today: number): boolean {
  return !isTaskFinished(task.status) && task.dueDay < today;
}

/** Task 4's four items, in minor units of the case's currency; null = not known yet. */
export type ExitLosses = {
  receivablesOutstanding: bigint | null;
  receivablesRecovered: bigint | null;
  compensationClaimed: bigint | null;
  compensationAgreed: bigint | null;
  goodsReturned: bigint | null;
  marketGapLoss: bigint | null;
};

export type LossTotals = {
  /** Receivables outstanding not (yet) recovered. */
  unrecoveredReceivables: bigint;
  /** Compensation the customer agreed to pay: offsets the loss. */
  compensationAgreed: bigint;
  goodsReturned: bigint;
  marketGapLoss: bigint;
  /** Unrecovered receivables + goods returned + market-gap loss − compensation agreed. */
  netLoss: bigint;
  /** Whether any amount was recorded at all. */
  recorded: boolean;
};

const orZero = (value: bigint | null): bigint => value ?? 0n;

export function lossTotals(losses: ExitLosses): LossTotals {
  const outstanding = orZero(losses.receivablesOutstanding);
  const recovered = orZero(losses.receivablesRecovered);
  const unrecoveredReceivables = outstanding > recovered ? outstanding - recovered : 0n;
  const compensationAgreed = orZero(losses.compensationAgreed);
  const goodsReturned = orZero(losses.goodsReturned);
  const marketGapLoss = orZero(losses.marketGapLoss);
  return {
    unrecoveredReceivables,
    compensationAgreed,
    goodsReturned,
    marketGapLoss,
    netLoss: unrecoveredReceivables + goodsReturned + marketGapLoss - compensationAgreed,
    recorded: Object.values(losses).some((value) => value !== null),
  };
}

/** Checks the four items: recovered ≤ outstanding, agreed ≤ claimed. Returns field → message. */
export function checkLosses(losses: ExitLosses): Partial<Record<keyof ExitLosses, string>> {
  const errors: Partial<Record<keyof ExitLosses, string>> = {};
  if (
    losses.receivablesRecovered !== null &&
    losses.receivablesRecovered > orZero(losses.receivablesOutstanding)
  )
    errors.receivablesRecovered = "Cannot be more than the receivables outstanding.";
  if (losses.compensationAgreed !== null && losses.compensationAgreed > orZero(losses.compensationClaimed))
    errors.compensationAgreed = "Cannot be more than the compensation claimed.";
  return errors;
}
