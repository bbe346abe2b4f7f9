// §7 what people decide about an account's class: key and black-face designations and the relationship
// override (managers only), the switching-cost facts (anyone); saved once per submission, then the
// account is re-classified at once.
import { createHash } from "node:crypto";
import type { RelationshipType, SwitchingCostFacts } from "../../domain/classification.ts";
import { AppError } from "../../errors.ts";
import type { ServiceDeps } from "../deps.ts";
import { claimSubmission } from "../once.ts";

export const BLACK_REASON_MAX = 500;

export type DesignationForm = {
  accountId: string;
  accountName: string;
  /** Whether the viewer may change the managers' fields. */
  manager: boolean;
  keyDesignatedBy: string | null;
  blackFaceBy: string | null;
  blackFaceReason: string | null;
  relationshipOverride: RelationshipType | null;
  facts: SwitchingCostFacts;
  /** What the form was opened on: a submit against a version since changed is refused. */
  version: string;
};

export type DesignationInput = {
  key: boolean;
  blackFace: boolean;
  blackFaceReason: string | null;
  relationshipOverride: RelationshipType | null;
  facts: SwitchingCostFacts;
};

export type DesignationField = "key" | "blackFace" | "blackFaceReason" | "relationshipOverride" | "facts";

export type SaveDesignationsResult =
  | { ok: false; errors: Partial<Record<DesignationField, string>> }
  | { ok: true; changed: boolean; accountName: string };

export async function getDesignationForm(
  deps: ServiceDeps,
  input: { accountId: string; userId: string },
): Promise<DesignationForm> {
  const [account, manager] = await Promise.all([
    deps.prisma.account.findUnique({
      where: { id: input.accountId },
      select: {
        id: true,
        name: true,
        keyDesignatedBy: true,
        blackFaceBy: true,
        blackFaceReason: true,
        relationshipOverride: true,
        investedInUs: true,
        integrated: true,
        trained: true,
      },
    }),
    deps.roles.isManager(input.userId),
  ]);
  if (!account) throw new AppError("not_found", "That customer no longer exists.");
  return {
    accountId: account.id,
    accountName: account.name,
    manager,
    keyDesignatedBy: account.keyDesignatedBy,
    blackFaceBy: account.blackFaceBy,
    blackFaceReason: account.blackFaceReason,
    relationshipOverride: account.relationshipOverride,
    facts: { investedInUs: account.investedInUs, integrated: account.integrated, trained: account.trained },
    version: designationVersion(account),
  };
}

type DesignationRow = {
  keyDesignatedBy: string | null;
  blackFaceBy: string | null;
  blackFaceReason: string | null;
  relationshipOverride: string | null;
  investedInUs: boolean;
  integrated: boolean;
  trained: boolean;
};

/** A short fingerprint of an account's designations, to notice a change made while a form was open. */
export function designationVersion(row: DesignationRow): string {
  const values = [
    row.keyDesignatedBy,
    row.blackFaceBy,
    row.blackFaceReason,
    row.relationshipOverride,
    row.investedInUs,
    row.integrated,
    row.trained,
  ];
  return createHash("sha256").update(JSON.stringify(values)).digest("hex").slice(0, 16);
}

const CHANGED_MEANWHILE =
  "Someone changed this classification while your form was open: close it and open it again to see the change.";

/**
 * Checks and saves a submission. Managers' fields changed by someone else are refused field by field
 * (nothing is saved); a black face needs a reason. A replayed submission (same key) changes nothing.
 */
export async function saveDesignations(
  deps: ServiceDeps,
  input: {
    accountId: string;
    userId: string;
    submissionKey: string;
    /** The version the form was opened on (its private metadata). */
    version: string;
    values: DesignationInput;
  },
): Promise<SaveDesignationsResult> {
  const form = await getDesignationForm(deps, input);
  if (form.version !== input.version && !(await alreadyClaimed(deps, input.submissionKey)))
    return { ok: false, errors: { facts: CHANGED_MEANWHILE } };
  const { values } = input;
  const reason = values.blackFaceReason?.trim() ? values.blackFaceReason.trim() : null;
  const errors: Partial<Record<DesignationField, string>> = {};
  const keyNow = form.keyDesignatedBy !== null;
  const blackNow = form.blackFaceBy !== null;
  if (values.blackFace && reason === null)
    errors.blackFaceReason =
      "A black face needs a reason: the brand value that makes a customer with little profit worth keeping.";
  if (!values.blackFace && reason !== null && reason !== form.blackFaceReason)
    errors.blackFaceReason = "Tick black face for this reason, or clear it.";
  if (reason !== null && reason.length > BLACK_REASON_MAX)
    errors.blackFaceReason = `Keep the reason within ${BLACK_REASON_MAX} characters.`;
  if (!form.manager) {
    const refusal = (what: string) => `Only a manager can ${what}; your other changes were not saved either.`;
    if (values.key !== keyNow) errors.key = refusal("designate a key account");
    if (values.blackFace !== blackNow || (values.blackFace && reason !== form.blackFaceReason))
      errors.blackFace = refusal("designate a black face");
    if (values.relationshipOverride !== form.relationshipOverride)
      errors.relationshipOverride = refusal("override the relationship type");
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const data = {
    keyDesignatedBy: values.key ? (form.keyDesignatedBy ?? input.userId) : null,
    blackFaceBy: values.blackFace
      ? reason === form.blackFaceReason
        ? (form.blackFaceBy ?? input.userId)
        : input.userId
      : null,
    blackFaceReason: values.blackFace ? reason : null,
    relationshipOverride: values.relationshipOverride,
    investedInUs: values.facts.investedInUs,
    integrated: values.facts.integrated,
    trained: values.facts.trained,
  };
  const changed =
    data.keyDesignatedBy !== form.keyDesignatedBy ||
    data.blackFaceBy !== form.blackFaceBy ||
    data.blackFaceReason !== form.blackFaceReason ||
    data.relationshipOverride !== form.relationshipOverride ||
    data.investedInUs !== form.facts.investedInUs ||
    data.integrated !== form.facts.integrated ||
    data.trained !== form.facts.trained;
  const applied = await deps.prisma.$transaction(async (tx) => {
    // Under the row's lock: a change since the form was read is not overwritten.
    const [now] = await tx.$queryRaw<DesignationRow[]>`
      SELECT key_designated_by AS "keyDesignatedBy", black_face_by AS "blackFaceBy",
             black_face_reason AS "blackFaceReason", relationship_override::text AS "relationshipOverride",
             invested_in_us AS "investedInUs", integrated, trained
        FROM account WHERE id = ${input.accountId}::uuid FOR UPDATE`;
    if (!(await claimSubmission(tx, input.submissionKey))) return false;
    if (!now || designationVersion(now) !== form.version)
      throw new AppError("bad_request", CHANGED_MEANWHILE);
    if (!changed) return false;
    await tx.account.update({ where: { id: input.accountId }, data });
    return true;
  });
  if (applied) deps.logger.info({ accountId: input.accountId }, "classification designations saved");
  // The caller re-classifies the account (reclassifyAccount) once Slack has its answer.
  return { ok: true, changed: applied, accountName: form.accountName };
}

async function alreadyClaimed(deps: ServiceDeps, submissionKey: string): Promise<boolean> {
  return (await deps.prisma.processedSubmission.count({ where: { key: submissionKey } })) > 0;
}
