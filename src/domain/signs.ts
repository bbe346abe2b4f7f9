// §3 warning signs: their kinds, what a competitor did, and the rules a recorded sign must satisfy.
import { z } from "zod";
import { type ContactRole, contactRoles } from "./account-card.ts";

export const signKinds = [
  "strategy_change",
  "procurement_reform",
  "contact_change",
  "complaint_escalation",
  "competitor_activity",
  "rep_leaving",
  "payment_problem",
  "other",
] as const;
export type SignKind = (typeof signKinds)[number];

export const signKindLabel: Record<SignKind, string> = {
  strategy_change: "Customer strategy change",
  procurement_reform: "Procurement reform",
  contact_change: "Purchasing / decision-maker change",
  complaint_escalation: "Complaint or conflict escalating",
  competitor_activity: "Competitor activity",
  rep_leaving: "Our rep leaving",
  payment_problem: "Payment problem",
  other: "Other",
};

/** §3 what competitors do: undercut on price, lure the customer away, out-build us, hire our reps. */
export const competitorMoves = ["price", "poaching", "technology", "hiring"] as const;
export type CompetitorMove = (typeof competitorMoves)[number];

export const competitorMoveLabel: Record<CompetitorMove, string> = {
  price: "Price",
  poaching: "Poaching the customer",
  technology: "Technology",
  hiring: "Hiring our staff",
};

/** The sign form as entered; every field may be missing (null) before validation. */
export type SignDraft = {
  kind: string | null;
  observedOn: string | null;
  details: string | null;
  /** Contact change: the current contact who left. */
  oldContact: string | null;
  newContactName: string | null;
  newContactRole: string | null;
  newContactEmail: string | null;
  newContactPhone: string | null;
  competitorName: string | null;
  competitorMoves: readonly string[];
};

export type SignField = keyof SignDraft;

export type NewContact = { name: string; role: ContactRole; email: string | null; phone: string | null };

export type ValidSign = {
  kind: SignKind;
  /** YYYY-MM-DD, not after today. */
  observedOn: string;
  details: string;
  /** Only for a contact change: who left (optional) and who took over. */
  contactChange: { oldContactId: string | null; newContact: NewContact } | null;
  /** Only for competitor activity. */
  competitor: { name: string; moves: CompetitorMove[] } | null;
};

export const SIGN_LIMITS = { details: 3000, name: 200, email: 254, phone: 50 } as const;

const optionalText = (max: number, what: string) =>
  z
    .string()
    .trim()
    .max(max, `${what} is too long (at most ${max} characters).`)
    .nullable()
    .transform((text) => (text ? text : null));

function signSchema(today: string) {
  return z
    .object({
      kind: z.enum(signKinds, "Choose what kind of sign this is."),
      observedOn: z.iso
        .date("Choose the day it was seen.")
        .refine((day) => day <= today, "The date can't be in the future."),
      details: z
        .string("Say what was seen or heard.")
        .trim()
        .min(1, "Say what was seen or heard.")
        .max(SIGN_LIMITS.details, `Keep it under ${SIGN_LIMITS.details} characters.`),
      oldContact: z.uuid("Choose one of the listed contacts.").nullable(),
      newContactName: optionalText(SIGN_LIMITS.name, "The name"),
      newContactRole: z.enum(contactRoles, "Choose the new contact's role.").nullable(),
      newContactEmail: z
        .string()
        .trim()
        .nullable()
        .transform((text) => (text ? text : null))
        .pipe(z.email("That is not an email address.").max(SIGN_LIMITS.email).nullable()),
      newContactPhone: optionalText(SIGN_LIMITS.phone, "The phone number"),
      competitorName: optionalText(SIGN_LIMITS.name, "The competitor's name"),
      competitorMoves: z.array(z.enum(competitorMoves, "Unknown competitor move.")),
    })
    .superRefine((sign, ctx) => {
      if (sign.kind === "contact_change" && !sign.newContactName) {
        ctx.addIssue({
          code: "custom",
          path: ["newContactName"],
          message: "Name the contact who took over.",
        });
      }
      if (sign.kind === "contact_change" && !sign.newContactRole) {
        ctx.addIssue({ code: "custom", path: ["newContactRole"], message: "Choose the new contact's role." });
      }
      if (sign.kind === "competitor_activity" && !sign.competitorName) {
        ctx.addIssue({ code: "custom", path: ["competitorName"], message: "Name the competitor." });
      }
    });
}

export type SignValidation =
  | { ok: true; sign: ValidSign }
  | { ok: false; errors: Partial<Record<SignField, string>> };

/**
 * Checks a sign as entered against today (YYYY-MM-DD in the team's time zone), reporting every
 * problem at once. Fields of another kind are ignored (a rep may switch the kind after typing them):
 * only a contact change keeps contacts, only competitor activity a competitor.
 */
export function validateSign(draft: SignDraft, today: string): SignValidation {
  const isContactChange = draft.kind === "contact_change";
  const isCompetitor = draft.kind === "competitor_activity";
  const relevant: SignDraft = {
    ...draft,
    oldContact: isContactChange ? draft.oldContact : null,
    newContactName: isContactChange ? draft.newContactName : null,
    newContactRole: isContactChange ? draft.newContactRole : null,
    newContactEmail: isContactChange ? draft.newContactEmail : null,
    newContactPhone: isContactChange ? draft.newContactPhone : null,
    competitorName: isCompetitor ? draft.competitorName : null,
    competitorMoves: isCompetitor ? draft.competitorMoves : [],
  };
  const parsed = signSchema(today).safeParse(relevant);
  if (!parsed.success) {
    const errors: Partial<Record<SignField, string>> = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as SignField | undefined;
      if (field !== undefined && errors[field] === undefined) errors[field] = issue.message;
    }
    return { ok: false, errors };
  }
  const v = parsed.data;
  return {
    ok: true,
    sign: {
      kind: v.kind,
      observedOn: v.observedOn,
      details: v.details,
      contactChange:
        v.kind === "contact_change" && v.newContactName && v.newContactRole
          ? {
              oldContactId: v.oldContact,
              newContact: {
                name: v.newContactName,
                role: v.newContactRole,
                email: v.newContactEmail,
                phone: v.newContactPhone,
              },
            }
          : null,
      competitor:
        v.kind === "competitor_activity" && v.competitorName
          ? { name: v.competitorName, moves: [...new Set(v.competitorMoves)] }
          : null,
    },
  };
}

/** A saved sign as its confirmation shows it. */
export type SignSummary = {
  accountName: string;
  kind: SignKind;
  observedOn: string;
  details: string;
  oldContact: { name: string; role: ContactRole } | null;
  newContact: { name: string; role: ContactRole } | null;
  competitor: { name: string; moves: CompetitorMove[] } | null;
  sourcePermalink: string | null;
};
