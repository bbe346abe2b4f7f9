// The retrospective's summary submitted: wrong fields are marked in the form; otherwise it is saved
// once (replays create nothing), then the case's message and the retrospective's thread are updated.
import type { App, ViewSubmitAction } from "@slack/bolt";
import { z } from "zod";
import { churnReasons } from "../../../domain/exit.ts";
import { RETRO_LIMITS, type RetroSummaryDraft } from "../../../domain/retrospective.ts";
import { userMessageOf } from "../../../errors.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import { publishRetroSummary, saveRetroSummary } from "../../../services/retro/save-retro-summary.ts";
import { ids } from "../../ids.ts";
import { parseRetroMetadata, retroErrorBlock, retroInput } from "../../views/retro-summary-modal.ts";
import { retroSummaryRenderers } from "../../views/retro-thread.ts";

/** One input as Slack sends it, `values[id][id]`; null when the block or its value is absent. */
function field<S extends z.ZodRawShape>(values: unknown, id: string, shape: S) {
  const block = (values as Record<string, Record<string, unknown> | undefined>)[id]?.[id];
  return z
    .object(shape)
    .nullish()
    .parse(block ?? null);
}

/** Reads the form into a draft; a value of the wrong shape marks its block. */
function readDraft(
  values: unknown,
): { ok: true; draft: RetroSummaryDraft } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const read = <T>(id: string, get: () => T, fallback: T): T => {
    try {
      return get();
    } catch {
      errors[id] = "This value could not be read: set it again.";
      return fallback;
    }
  };
  const text = (id: string) =>
    read(id, () => field(values, id, { value: z.string().nullish() })?.value ?? null, null);
  const draft: RetroSummaryDraft = {
    deepReason: text(retroInput.deepReason),
    reason: read(
      retroInput.reason,
      () =>
        field(values, retroInput.reason, {
          selected_option: z.object({ value: z.enum(churnReasons) }).nullish(),
        })?.selected_option?.value ?? null,
      null,
    ),
    lessons: Array.from({ length: RETRO_LIMITS.lessons }, (_, i) => text(retroInput.lesson(i))),
    actions: Array.from({ length: RETRO_LIMITS.actions }, (_, i) => ({
      description: text(retroInput.actionDescription(i)),
      ownerSlackId: read(
        retroInput.actionOwner(i),
        () =>
          field(values, retroInput.actionOwner(i), {
            selected_user: z
              .string()
              .regex(/^[UW][A-Z0-9]+$/)
              .nullish(),
          })?.selected_user ?? null,
        null,
      ),
      dueOn: read(
        retroInput.actionDue(i),
        () =>
          field(values, retroInput.actionDue(i), { selected_date: z.string().nullish() })?.selected_date ??
          null,
        null,
      ),
    })),
  };
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, draft };
}

export function register(app: App, deps: ServiceDeps): void {
  app.view<ViewSubmitAction>(ids.view.retroSummary, async ({ ack, body, view, client }) => {
    const refuse = (errors: Record<string, string>) => ack({ response_action: "errors", errors });
    let caseId: string;
    try {
      caseId = parseRetroMetadata(view.private_metadata).caseId;
    } catch {
      await refuse({
        [retroInput.lesson(0)]: "This form is out of date: copy your text, then press Summarize again.",
      });
      return;
    }
    const read = readDraft(view.state.values);
    if (!read.ok) {
      await refuse(read.errors);
      return;
    }
    let result: Awaited<ReturnType<typeof saveRetroSummary>>;
    try {
      result = await saveRetroSummary(deps, {
        caseId,
        draft: read.draft,
        actorSlackId: body.user.id,
        submissionKey: view.id,
      });
    } catch (error) {
      deps.logger.error({ err: error, caseId }, "saving a retrospective summary failed");
      await refuse({ [retroInput.lesson(0)]: userMessageOf(error) });
      return;
    }
    if (!result.ok) {
      await refuse(
        Object.fromEntries(
          Object.entries(result.errors).map(([key, message]) => [retroErrorBlock(key), message]),
        ),
      );
      return;
    }
    await ack();
    if (!result.created) return;
    deps.logger.info(
      {
        caseId,
        lessons: result.saved.lessons.length,
        actions: result.saved.actions.length,
        by: body.user.id,
      },
      "retrospective summarized",
    );
    await publishRetroSummary(deps, {
      slack: client,
      saved: result.saved,
      actorSlackId: body.user.id,
      render: retroSummaryRenderers,
    }).catch((error: unknown) =>
      deps.logger.error({ err: error, caseId }, "publishing a retrospective summary failed"),
    );
  });
}
