// §6: when a case has reason texts but no reason picked, the AI assistant (if configured) suggests one
// of the taxonomy's reasons from those texts alone. Without AI, or when it fails, the reason stays
// unrecorded for a person to pick with Edit case.
import { z } from "zod";
import {
  beyondControlReasons,
  type ChurnReason,
  churnReasonLabel,
  churnReasons,
  withinControlReasons,
} from "../../domain/exit.ts";
import type { ServiceDeps } from "../deps.ts";

/** Strict structured output: every field present, null when the notes do not say. */
export const ZReasonSuggestion = z.object({ reason: z.enum(churnReasons).nullable() });

export const REASON_TASK = "classify_churn_reason";

const listed = (reasons: readonly ChurnReason[]): string =>
  reasons.map((reason) => `- ${reason}: ${churnReasonLabel[reason]}`).join("\n");

const instructions = [
  "You classify why a B2B customer is leaving its supplier.",
  "The input holds a sales rep's notes: the surface reason the customer gave and/or the deep reason found by digging.",
  "Pick the one reason below that best explains the loss; when both notes are given, the deep reason decides.",
  "Answer null when the notes do not say why the customer leaves.",
  "Beyond the supplier's control:",
  listed(beyondControlReasons),
  "Within the supplier's control:",
  listed(withinControlReasons),
].join("\n");

export type ReasonSuggestion =
  /** Nothing asked: no assistant, a reason already picked, or no text to read. */
  | { kind: "skipped" }
  | { kind: "classified"; reason: ChurnReason }
  /** The assistant answered, but the notes do not say. */
  | { kind: "unclear" }
  | { kind: "unavailable"; why: "timeout" | "failed" | "invalid_output" };

/** Asks the assistant and stores its reason, unless someone picked one meanwhile. */
export async function suggestExitReason(
  deps: ServiceDeps,
  input: { caseId: string },
): Promise<ReasonSuggestion> {
  if (!deps.assistant) return { kind: "skipped" };
  const exitCase = await deps.prisma.exitCase.findUnique({
    where: { id: input.caseId },
    select: { reason: true, surfaceReason: true, deepReason: true },
  });
  if (!exitCase || exitCase.reason !== null) return { kind: "skipped" };
  const notes = [
    exitCase.surfaceReason ? `Surface reason: ${exitCase.surfaceReason}` : null,
    exitCase.deepReason ? `Deep reason: ${exitCase.deepReason}` : null,
  ].filter((line): line is string => line !== null);
  if (notes.length === 0) return { kind: "skipped" };
  const answer = await deps.assistant.ask({
    task: REASON_TASK,
    schema: ZReasonSuggestion,
    instructions,
    input: notes.join("\n"),
  });
  if (!answer.ok) return { kind: "unavailable", why: answer.reason };
  const { reason } = answer.value;
  if (reason === null) return { kind: "unclear" };
  const stored = await deps.prisma.exitCase.updateMany({
    where: { id: input.caseId, reason: null },
    data: { reason },
  });
  if (stored.count === 0) return { kind: "skipped" };
  deps.logger.info({ caseId: input.caseId, reason }, "exit reason classified by AI");
  return { kind: "classified", reason };
}

const unavailableWhy: Record<Extract<ReasonSuggestion, { kind: "unavailable" }>["why"], string> = {
  timeout: "it did not answer in time",
  failed: "it could not be reached",
  invalid_output: "its answer made no sense",
};

/** The line the case's thread gets about a suggestion; null when nothing was asked. */
export function suggestionUpdate(suggestion: ReasonSuggestion): string | null {
  switch (suggestion.kind) {
    case "skipped":
      return null;
    case "classified":
      return `Reason classified by AI from the text: ${churnReasonLabel[suggestion.reason]}; change it with Edit case.`;
    case "unclear":
      return "The AI could not tell the reason from the text: pick it with Edit case.";
    case "unavailable":
      return `The reason was not classified (the AI assistant: ${unavailableWhy[suggestion.why]}): pick it with Edit case.`;
  }
}
