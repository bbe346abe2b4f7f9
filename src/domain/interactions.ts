// Logged interactions (§7: after every contact, what was praised and complained about) and their next steps: the rules and due dates.
import type { LoyaltyRead } from "./loyalty.ts";
import { isoDayNumber } from "./trends.ts";

export const interactionKinds = ["visit", "call", "email", "meeting", "event", "other"] as const;
export type InteractionKind = (typeof interactionKinds)[number];

export const interactionKindLabel: Record<InteractionKind, string> = {
  visit: "Visit",
  call: "Call",
  email: "Email",
  meeting: "Meeting",
  event: "Event",
  other: "Other contact",
};

/** What the form gave, read but not yet checked: empty inputs are null or []. */
export type InteractionDraft = {
  kind: InteractionKind | null;
  /** YYYY-MM-DD */
  occurredOn: string | null;
  ourParticipants: string[];
  contactIds: string[];
  summary: string | null;
  praised: string | null;
  complained: string | null;
  loyalty: LoyaltyRead | null;
  nextStep: string | null;
  /** YYYY-MM-DD */
  dueOn: string | null;
  ownerSlackId: string | null;
};

export type InteractionField = keyof InteractionDraft;

export type NextStep = { description: string; dueOn: string; ownerSlackId: string };

/** A checked interaction: text trimmed but otherwise whole (display shortens, storage never does). */
export type ValidInteraction = {
  kind: InteractionKind;
  occurredOn: string;
  ourParticipants: string[];
  contactIds: string[];
  summary: string;
  praised: string | null;
  complained: string | null;
  loyalty: LoyaltyRead | null;
  nextStep: NextStep | null;
};

export type InteractionCheck =
  | { ok: true; value: ValidInteraction }
  | { ok: false; errors: Partial<Record<InteractionField, string>> };

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  const a = isoDayNumber(from);
  const b = isoDayNumber(to);
  if (a === null || b === null) throw new RangeError(`not a calendar day: ${a === null ? from : to}`);
  return b - a;
}

function text(value: string | null): string | null {
  const trimmed = value?.trim() ?? "";
  return trimmed === "" ? null : trimmed;
}

/**
 * Checks a draft against the rules of a logged interaction, with one message per wrong field:
 * an interaction happened (not in the future); a next step needs both what and when, and is not
 * due in the past; its owner defaults to whoever logs it.
 */
export function checkInteraction(
  draft: InteractionDraft,
  context: { today: string; submittedBy: string },
): InteractionCheck {
  const errors: Partial<Record<InteractionField, string>> = {};
  const summary = text(draft.summary);
  const nextStep = text(draft.nextStep);

  if (draft.kind === null) errors.kind = "Choose what kind of contact it was.";
  if (draft.occurredOn === null) errors.occurredOn = "Pick the day it happened.";
  else if (isoDayNumber(draft.occurredOn) === null) errors.occurredOn = "That is not a date.";
  else if (daysBetween(context.today, draft.occurredOn) > 0)
    errors.occurredOn = `An interaction can't be in the future: pick ${context.today} or earlier.`;
  if (draft.ourParticipants.length === 0) errors.ourParticipants = "Name at least one of us who took part.";
  if (summary === null) errors.summary = "Write a short summary of what was said.";

  if (nextStep !== null && draft.dueOn === null) errors.dueOn = "Pick when the next step is due.";
  if (nextStep === null && draft.dueOn !== null)
    errors.nextStep = "Say what the next step is, or clear its due date.";
  if (draft.dueOn !== null) {
    if (isoDayNumber(draft.dueOn) === null) errors.dueOn = "That is not a date.";
    else if (daysBetween(context.today, draft.dueOn) < 0)
      errors.dueOn = `A next step can't be due in the past: pick ${context.today} or later.`;
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      // The casts restate what the checks above guarantee (no errors means these are set).
      kind: draft.kind as InteractionKind,
      occurredOn: draft.occurredOn as string,
      ourParticipants: [...new Set(draft.ourParticipants)],
      contactIds: [...new Set(draft.contactIds)],
      summary: summary as string,
      praised: text(draft.praised),
      complained: text(draft.complained),
      loyalty: draft.loyalty,
      nextStep:
        nextStep !== null && draft.dueOn !== null
          ? {
              description: nextStep,
              dueOn: draft.dueOn,
              ownerSlackId: draft.ownerSlackId ?? context.submittedBy,
            }
          : null,
    },
  };
}
