// Fills in or corrects a case's reasons, competitor and expected end after it started (§6: the deep
// reason is often found only by digging). Allowed on closed cases too: the reason mix counts the lost.
import { type ChurnReason, churnReasonLabel } from "../../domain/exit.ts";
import { AppError } from "../../errors.ts";
import { dateOf, dayOf } from "../calendar-days.ts";
import type { ServiceDeps } from "../deps.ts";
import { lockCase } from "./close-case.ts";
import { cleanDraft, type ExitStartDraft } from "./start-exit.ts";

export type EditExitCaseResult =
  | {
      ok: true;
      caseId: string;
      /** A line for the case's thread; null when nothing changed. */
      update: string | null;
      /** Whether the surface or deep reason text changed (worth classifying again when no reason is set). */
      reasonTextChanged: boolean;
    }
  | { ok: false; errors: Partial<Record<keyof ExitStartDraft, string>> };

const reasonText = (reason: ChurnReason | null): string => (reason ? churnReasonLabel[reason] : "none");

function textChange(label: string, before: string | null, after: string | null): string | null {
  if (before === after) return null;
  return after === null ? `${label} cleared` : `${label}: ${after}`;
}

export async function editExitCase(
  deps: ServiceDeps,
  input: { caseId: string; draft: ExitStartDraft; actorSlackId: string },
): Promise<EditExitCaseResult> {
  const checked = cleanDraft(input.draft);
  if (!checked.ok) return checked;
  const { draft } = checked;
  return deps.prisma.$transaction(async (tx) => {
    if ((await lockCase(tx, input.caseId)) === null)
      throw new AppError("not_found", "That exit case no longer exists.");
    const before = await tx.exitCase.findUniqueOrThrow({ where: { id: input.caseId } });
    const expectedBefore = before.expectedEndOn ? dayOf(before.expectedEndOn) : null;
    const changes = [
      before.reason === draft.reason
        ? null
        : `reason ${reasonText(before.reason)} → ${reasonText(draft.reason)}`,
      textChange("surface reason", before.surfaceReason, draft.surfaceReason),
      textChange("deep reason", before.deepReason, draft.deepReason),
      textChange("competitor won", before.competitorWon, draft.competitorWon),
      expectedBefore === draft.expectedEndOn
        ? null
        : `expected end ${expectedBefore ?? "none"} → ${draft.expectedEndOn ?? "none"}`,
    ].filter((change): change is string => change !== null);
    const reasonTextChanged =
      before.surfaceReason !== draft.surfaceReason || before.deepReason !== draft.deepReason;
    if (changes.length === 0) return { ok: true, caseId: input.caseId, update: null, reasonTextChanged };
    await tx.exitCase.update({
      where: { id: input.caseId },
      data: {
        reason: draft.reason,
        surfaceReason: draft.surfaceReason,
        deepReason: draft.deepReason,
        competitorWon: draft.competitorWon,
        expectedEndOn: draft.expectedEndOn ? dateOf(draft.expectedEndOn) : null,
      },
    });
    deps.logger.info({ caseId: input.caseId, by: input.actorSlackId }, "exit case edited");
    return { ok: true, caseId: input.caseId, update: `Case: ${changes.join("; ")}`, reasonTextChanged };
  });
}
