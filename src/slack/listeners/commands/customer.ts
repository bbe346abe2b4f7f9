// /customer [log|complaint|sign] <query> | lessons [words]: ack at once, then the card, a modal, a pick list or suggestions.
import type { App } from "@slack/bolt";
import { z } from "zod";
import { userMessageOf } from "../../../errors.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import { getRecordForm } from "../../../services/get-record-form.ts";
import { lookupAccount } from "../../../services/lookup-account.ts";
import { ids } from "../../ids.ts";
import { buildAccountCard } from "../../views/account-card.ts";
import { buildNoMatch, buildPickList, buildUsage } from "../../views/account-lookup.ts";
import type { RecordKind } from "../../views/record-form.ts";
import { buildRecordModal } from "../../views/record-modals.ts";
import { answerLessons, parseLessonsCommand } from "./customer-lessons.ts";

const subcommands: Record<string, RecordKind> = { log: "interaction", complaint: "complaint", sign: "sign" };

const ZCustomerCommand = z.object({
  command: z.string(),
  text: z.string().transform((text) => text.trim().replace(/\s+/g, " ")),
  user_id: z.string(),
  trigger_id: z.string(),
});

/** "log acme corp" → { kind: interaction, query: "acme corp" }; anything else is a lookup. */
export function parseCustomerText(text: string): { kind: RecordKind | null; query: string } {
  const [first = "", ...rest] = text.split(" ");
  const kind = subcommands[first.toLowerCase()];
  return kind ? { kind, query: rest.join(" ") } : { kind: null, query: text };
}

export function register(app: App, deps: ServiceDeps): void {
  app.command(ids.command.customer, async ({ ack, command, respond, client }) => {
    await ack();
    const input = ZCustomerCommand.parse(command);
    const lessonWords = parseLessonsCommand(input.text);
    if (lessonWords !== null) {
      const answer = await answerLessons(deps, client, input.command, lessonWords).catch((error: unknown) => {
        deps.logger.error({ err: error }, "/customer lessons failed");
        return { text: userMessageOf(error) };
      });
      await respond({ response_type: "ephemeral", ...answer });
      return;
    }
    const { kind, query } = parseCustomerText(input.text);
    if (query === "" || (kind === null && query.toLowerCase() === "help")) {
      await respond({ response_type: "ephemeral", ...buildUsage(input.command) });
      return;
    }
    try {
      const result = await lookupAccount(deps, query);
      if (result.kind === "one" && kind !== null) {
        const form = await getRecordForm(deps, { accountId: result.card.account.id, userId: input.user_id });
        const opened = await client.views
          .open({ trigger_id: input.trigger_id, view: buildRecordModal(kind, form, deps.responseTargets) })
          .then(() => true)
          .catch((error: unknown) => {
            // A trigger lives 3 seconds; if the lookup took longer, the card's buttons open the form.
            if ((error as { data?: { error?: string } }).data?.error === "expired_trigger_id") return false;
            throw error;
          });
        if (opened) return;
        await respond({ response_type: "ephemeral", ...buildAccountCard(result.card, { shareable: true }) });
        return;
      }
      const message =
        result.kind === "one"
          ? buildAccountCard(result.card, { shareable: true })
          : result.kind === "several"
            ? buildPickList(query, result.accounts, result.more)
            : buildNoMatch(query, result.suggestions);
      await respond({ response_type: "ephemeral", ...message });
    } catch (error) {
      deps.logger.error({ err: error }, "/customer failed");
      await respond({ response_type: "ephemeral", text: userMessageOf(error) });
    }
  });
}
