// Log interaction submitted: check the form (wrong fields are marked in it), save once, confirm by direct message.
import type { App, ViewSubmitAction } from "@slack/bolt";
import { z } from "zod";
import {
  checkInteraction,
  type InteractionDraft,
  type InteractionField,
  interactionKinds,
} from "../../../domain/interactions.ts";
import { loyaltyReads } from "../../../domain/loyalty.ts";
import { calendarDay } from "../../../domain/trends.ts";
import { userMessageOf } from "../../../errors.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import { logInteraction } from "../../../services/interactions/log-interaction.ts";
import { ids } from "../../ids.ts";
import { buildInteractionLogged, interactionInput as input } from "../../views/interaction-modal.ts";
import { parseRecordMetadata, type RecordMetadata } from "../../views/record-form.ts";

type FieldErrors = Record<string, string>;

const nullableText = z
  .string()
  .nullish()
  .transform((value) => value ?? null);
const selected = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .object({ value: z.enum(values) })
    .nullish()
    .transform((option) => option?.value ?? null);
const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((items) => items ?? []);

/** One input as Slack sends it, `values[blockId][actionId]` (both the same id here); absent when the block is. */
function inputValue<K extends string, S extends z.ZodRawShape>(id: K, shape: S) {
  return z.object({ [id]: z.object(shape) } as Record<K, z.ZodObject<S>>).optional();
}

// Inputs left empty arrive with null values; the contacts block is missing when there are no contacts.
const ZInteractionState = z.object({
  [input.kind]: inputValue(input.kind, { selected_option: selected(interactionKinds) }),
  [input.occurredOn]: inputValue(input.occurredOn, { selected_date: nullableText }),
  [input.ourParticipants]: inputValue(input.ourParticipants, { selected_users: list(z.string().min(1)) }),
  [input.contactIds]: inputValue(input.contactIds, { selected_options: list(z.object({ value: z.uuid() })) }),
  [input.summary]: inputValue(input.summary, { value: nullableText }),
  [input.praised]: inputValue(input.praised, { value: nullableText }),
  [input.complained]: inputValue(input.complained, { value: nullableText }),
  [input.loyalty]: inputValue(input.loyalty, { selected_option: selected(loyaltyReads) }),
  [input.nextStep]: inputValue(input.nextStep, { value: nullableText }),
  [input.dueOn]: inputValue(input.dueOn, { selected_date: nullableText }),
  [input.ownerSlackId]: inputValue(input.ownerSlackId, { selected_user: nullableText }),
});

/** Reads `view.state.values` into a draft, or says which inputs could not be read. */
function readInteractionDraft(
  values: unknown,
): { ok: true; draft: InteractionDraft } | { ok: false; errors: FieldErrors } {
  const parsed = ZInteractionState.safeParse(values);
  if (!parsed.success) {
    const errors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const blockId = String(issue.path[0] ?? input.summary);
      errors[blockId] ??= "This value could not be read: set it again.";
    }
    return { ok: false, errors };
  }
  const s = parsed.data;
  return {
    ok: true,
    draft: {
      kind: s[input.kind]?.[input.kind].selected_option ?? null,
      occurredOn: s[input.occurredOn]?.[input.occurredOn].selected_date ?? null,
      ourParticipants: s[input.ourParticipants]?.[input.ourParticipants].selected_users ?? [],
      contactIds: (s[input.contactIds]?.[input.contactIds].selected_options ?? []).map((o) => o.value),
      summary: s[input.summary]?.[input.summary].value ?? null,
      praised: s[input.praised]?.[input.praised].value ?? null,
      complained: s[input.complained]?.[input.complained].value ?? null,
      loyalty: s[input.loyalty]?.[input.loyalty].selected_option ?? null,
      nextStep: s[input.nextStep]?.[input.nextStep].value ?? null,
      dueOn: s[input.dueOn]?.[input.dueOn].selected_date ?? null,
      ownerSlackId: s[input.ownerSlackId]?.[input.ownerSlackId].selected_user ?? null,
    },
  };
}

function blockErrors(errors: Partial<Record<InteractionField, string>>): FieldErrors {
  return Object.fromEntries(
    Object.entries(errors).map(([name, message]) => [input[name as InteractionField], message]),
  );
}

export function register(app: App, deps: ServiceDeps): void {
  app.view<ViewSubmitAction>(ids.view.interaction, async ({ ack, body, view, client }) => {
    const userId = body.user.id;
    const refuse = (errors: FieldErrors) => ack({ response_action: "errors", errors });

    let metadata: RecordMetadata;
    try {
      metadata = parseRecordMetadata(view.private_metadata);
    } catch {
      await refuse({
        [input.summary]: "This form is out of date: copy your text, then open it again from the card.",
      });
      return;
    }
    const read = readInteractionDraft(view.state.values);
    if (!read.ok) {
      await refuse(read.errors);
      return;
    }
    const today = calendarDay(deps.now(), deps.timeZone);
    const check = checkInteraction(read.draft, { today, submittedBy: userId });
    if (!check.ok) {
      await refuse(blockErrors(check.errors));
      return;
    }

    // Saved before the ack (a small transaction, well inside Slack's 3 seconds): if saving fails,
    // the form stays open with its text and says so, instead of closing on a lost record.
    let result: Awaited<ReturnType<typeof logInteraction>>;
    try {
      result = await logInteraction(deps, {
        ...check.value,
        accountId: metadata.accountId,
        submissionKey: view.id,
        createdBy: userId,
        sourcePermalink: metadata.permalink ?? null,
      });
    } catch (error) {
      deps.logger.error({ err: error, viewId: view.id }, "saving an interaction failed");
      await refuse({ [input.summary]: `${userMessageOf(error)} Nothing was saved: try again.` });
      return;
    }
    if (!result.ok) {
      await refuse({ [result.field === "contactIds" ? input.contactIds : input.summary]: result.message });
      return;
    }
    await ack();
    if (!result.created) {
      deps.logger.info(
        { viewId: view.id, interactionId: result.interactionId },
        "interaction submitted again: nothing new",
      );
      return;
    }
    deps.logger.info(
      { interactionId: result.interactionId, followUpId: result.followUpId, accountId: metadata.accountId },
      "interaction logged",
    );
    try {
      await client.chat.postMessage({
        channel: userId,
        ...buildInteractionLogged({
          accountName: result.accountName,
          kind: check.value.kind,
          occurredOn: check.value.occurredOn,
          summary: check.value.summary,
          loyalty: check.value.loyalty,
          nextStep: check.value.nextStep,
        }),
      });
    } catch (error) {
      // The record is saved and the modal closed: the confirmation is a courtesy, not the result.
      deps.logger.warn(
        { err: error, interactionId: result.interactionId },
        "could not confirm a logged interaction",
      );
    }
  });
}
