// /customer [log|complaint|sign|leaving] <query>, /customer lessons [words], /customer report [period],
// /customer handover and rep-leaving: ack at once, then the card, a modal, a pick list or suggestions,
// lessons, the churn report or the ownership answer. The text comes escaped (should_escape: true).
import type { App, types } from "@slack/bolt";
import { z } from "zod";
import { parsePeriodKind, type ReportPeriodKind } from "../../../domain/churn-report.ts";
import { isAppError, userMessageOf } from "../../../errors.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import { getExitStartForm } from "../../../services/exit/exit-forms.ts";
import { getRecordForm } from "../../../services/get-record-form.ts";
import { lookupAccount } from "../../../services/lookup-account.ts";
import { getChurnReport } from "../../../services/report/get-churn-report.ts";
import { ids } from "../../ids.ts";
import { buildAccountCard } from "../../views/account-card.ts";
import { buildNoMatch, buildPickList, buildUsage } from "../../views/account-lookup.ts";
import { buildChurnReport, buildUnknownPeriod } from "../../views/churn-report.ts";
import { buildExitStartModal } from "../../views/exit-start-modal.ts";
import type { RecordKind } from "../../views/record-form.ts";
import { buildRecordModal } from "../../views/record-modals.ts";
import { plainCommandText } from "./command-text.ts";
import { answerLessons, parseLessonsCommand } from "./customer-lessons.ts";
import { answerOwnership, parseOwnershipCommand } from "./customer-ownership.ts";

/** `leaving` opens the exit modal; the others a record's modal. */
type CommandKind = RecordKind | "leaving";

const subcommands: Record<string, CommandKind> = {
  log: "interaction",
  complaint: "complaint",
  sign: "sign",
  leaving: "leaving",
};

const ZCustomerCommand = z.object({
  command: z.string(),
  /** As Slack sends it: mentions as <@U…|name>, and &, <, > escaped. */
  text: z.string(),
  user_id: z.string(),
  trigger_id: z.string(),
});

/** "log acme corp" → { kind: interaction, query: "acme corp" }; anything else is a lookup. */
export function parseCustomerText(text: string): { kind: CommandKind | null; query: string } {
  const [first = "", ...rest] = text.split(" ");
  const kind = subcommands[first.toLowerCase()];
  return kind ? { kind, query: rest.join(" ") } : { kind: null, query: text };
}

/** "report", "report quarter" → the period; "report week" → the word not understood; else null. */
export function parseReportText(text: string): { period: ReportPeriodKind } | { unknown: string } | null {
  const [first = "", ...rest] = text.split(" ");
  if (first.toLowerCase() !== "report") return null;
  const word = rest.join(" ");
  const period = parsePeriodKind(word);
  return period ? { period } : { unknown: word };
}

/** The modal of a subcommand for one account (a leaving or lost account is refused: AppError). */
async function modalFor(
  deps: ServiceDeps,
  kind: CommandKind,
  accountId: string,
  userId: string,
): Promise<types.ModalView> {
  if (kind === "leaving") {
    const form = await getExitStartForm(deps, { accountId, warningId: null });
    return buildExitStartModal({
      accountName: form.account.name,
      target: { accountId, warningId: null },
      aiClassifies: deps.assistant !== undefined,
    });
  }
  const form = await getRecordForm(deps, { accountId, userId });
  return buildRecordModal(kind, form, deps.responseTargets);
}

export function register(app: App, deps: ServiceDeps): void {
  app.command(ids.command.customer, async ({ ack, command, respond, client }) => {
    await ack();
    const parsed = ZCustomerCommand.parse(command);
    const ownership = parseOwnershipCommand(parsed.text);
    if (ownership) {
      const answer = await answerOwnership(deps, client, {
        command: parsed.command,
        userId: parsed.user_id,
        parsed: ownership,
      }).catch((error: unknown) => {
        if (!isAppError(error)) deps.logger.error({ err: error }, `/customer ${ownership.kind} failed`);
        return { text: userMessageOf(error) };
      });
      await respond({ response_type: "ephemeral", ...answer });
      return;
    }
    // Everything else reads plain text: mentions as @name, escapes undone.
    const input = { ...parsed, text: plainCommandText(parsed.text).trim().replace(/\s+/g, " ") };
    const report = parseReportText(input.text);
    if (report && "unknown" in report) {
      await respond({ response_type: "ephemeral", ...buildUnknownPeriod(input.command, report.unknown) });
      return;
    }
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
      if (report) {
        const churn = await getChurnReport(deps, { period: report.period }, input.user_id);
        await respond({ response_type: "ephemeral", ...buildChurnReport(churn) });
        return;
      }
      const result = await lookupAccount(deps, query, input.user_id);
      if (result.kind === "one" && kind !== null) {
        const view = await modalFor(deps, kind, result.card.account.id, input.user_id);
        const opened = await client.views
          .open({ trigger_id: input.trigger_id, view })
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
