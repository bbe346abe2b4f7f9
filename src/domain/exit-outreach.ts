// §5 tasks 2 and 3: the rules of logged outreach to another customer, and task 3's company-level
// communication (press release, customer meeting) kept on the case.
import { isoDayNumber } from "./trends.ts";

/** Slack's limit for a text input, and so for the outcome and the communication note. */
export const OUTREACH_TEXT_MAX = 3000;

/** What the form gave, read but not yet checked: empty inputs are null. */
export type OutreachDraft = {
  accountId: string | null;
  contactedBy: string | null;
  /** YYYY-MM-DD */
  contactedOn: string | null;
  outcome: string | null;
  /** Task 3 only: the note as the form holds it now (prefilled with the stored one). */
  companyCommunication: string | null;
};

export type OutreachField = keyof OutreachDraft;

export type ValidOutreach = {
  /** Null when only the company-level communication was recorded (task 3). */
  outreach: { accountId: string; contactedBy: string; contactedOn: string; outcome: string } | null;
  /** The new note (null: cleared), or undefined when it is unchanged or the task has none. */
  companyCommunication: string | null | undefined;
};

export type OutreachCheck =
  | { ok: true; value: ValidOutreach }
  | { ok: false; errors: Partial<Record<OutreachField, string>> };

function text(value: string | null): string | null {
  const trimmed = value?.trim() ?? "";
  return trimmed === "" ? null : trimmed;
}

/**
 * One message per wrong field. Outreach names a customer other than the leaving one, who reached
 * out, when (not in the future) and the outcome. In task 3 the form may instead only change the
 * company-level communication.
 */
export function checkOutreach(
  draft: OutreachDraft,
  context: {
    task: 2 | 3;
    today: string;
    leavingAccountId: string;
    /** The stored company-level communication, to tell a change from the prefilled value. */
    currentCommunication: string | null;
  },
): OutreachCheck {
  const errors: Partial<Record<OutreachField, string>> = {};
  const outcome = text(draft.outcome);
  const communication = context.task === 3 ? text(draft.companyCommunication) : null;
  const communicationChanged = context.task === 3 && communication !== context.currentCommunication;
  const wantsOutreach = draft.accountId !== null || outcome !== null || !communicationChanged;

  if (communication !== null && communication.length > OUTREACH_TEXT_MAX)
    errors.companyCommunication = `At most ${OUTREACH_TEXT_MAX.toLocaleString("en-US")} characters.`;
  if (!wantsOutreach)
    return Object.keys(errors).length > 0
      ? { ok: false, errors }
      : { ok: true, value: { outreach: null, companyCommunication: communication } };

  const { accountId, contactedBy, contactedOn } = draft;
  if (accountId === null) errors.accountId = "Pick the customer you reached out to.";
  else if (accountId === context.leavingAccountId)
    errors.accountId = "That is the leaving customer: pick another one.";
  if (contactedBy === null) errors.contactedBy = "Pick who reached out.";
  const day = contactedOn === null ? null : isoDayNumber(contactedOn);
  const today = isoDayNumber(context.today);
  if (day === null) errors.contactedOn = "Pick the day of the contact.";
  else if (today !== null && day > today) errors.contactedOn = "That day is in the future.";
  if (outcome === null) errors.outcome = "Say how it went.";
  else if (outcome.length > OUTREACH_TEXT_MAX)
    errors.outcome = `At most ${OUTREACH_TEXT_MAX.toLocaleString("en-US")} characters.`;
  if (
    Object.keys(errors).length > 0 ||
    accountId === null ||
    contactedBy === null ||
    contactedOn === null ||
    outcome === null
  )
    return { ok: false, errors };
  return {
    ok: true,
    value: {
      outreach: { accountId, contactedBy, contactedOn, outcome },
      companyCommunication: communicationChanged ? communication : undefined,
    },
  };
}
