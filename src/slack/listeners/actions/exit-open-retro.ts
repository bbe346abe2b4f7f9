// Task 5's "Open retrospective": opens the thread in the retro channel once and tells the clicker
// where it is (or why it could not be opened, and how to fix that).
import type { App, BlockButtonAction } from "@slack/bolt";
import { AppError, userMessageOf } from "../../../errors.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import { type OpenRetroResult, openRetrospective } from "../../../services/retro/open-retrospective.ts";
import { ids } from "../../ids.ts";
import { ZCaseIdValue } from "../../views/exit-case.ts";
import { channelMention } from "../../views/mrkdwn.ts";
import { retroLink, retroRenderers } from "../../views/retro-thread.ts";

function answer(result: OpenRetroResult): string {
  switch (result.kind) {
    case "opened":
      return result.incomplete
        ? `The retrospective is open ${retroLink(result.where, "here")}, but part of its thread could not be posted (${result.incomplete}).`
        : `:mag: The retrospective is open ${retroLink(result.where, "here")}: ask everyone who worked with the customer to answer in its thread, then press *Summarize* there.`;
    case "already_open":
      return `The retrospective is already open ${retroLink(result.where, "here")}.`;
    case "opening":
      return `Someone is opening this retrospective right now: it will be in ${channelMention(result.channelId)} in a moment.`;
    case "no_channel":
      return "No channel is set for retrospectives. Set `RETRO_CHANNEL` (or `MANAGERS_CHANNEL`) to a channel id such as C0123456789, restart Churnwatch and invite the bot there, then click again.";
    case "closed":
      return "This customer's exit handling is closed, and no retrospective was opened while it ran.";
    case "post_failed":
      return result.unreachable
        ? `The bot cannot post in ${channelMention(result.channelId)} (${result.error}): invite it with \`/invite @Churnwatch\`, then click again.`
        : `Slack did not take the retrospective (${result.error ?? "no answer"}): try again in a minute.`;
  }
}

export function register(app: App, deps: ServiceDeps): void {
  app.action<BlockButtonAction>(ids.action.exitOpenRetro, async ({ ack, action, body, client, respond }) => {
    await ack();
    const tell = (text: string) => respond({ response_type: "ephemeral", replace_original: false, text });
    try {
      const parsed = ZCaseIdValue.safeParse(action.value);
      if (!parsed.success) throw new AppError("bad_request", "That button is out of date.");
      const result = await openRetrospective(deps, {
        slack: client,
        caseId: parsed.data,
        actorSlackId: body.user.id,
        render: retroRenderers,
      });
      deps.logger.info({ caseId: parsed.data, result: result.kind, by: body.user.id }, "open retrospective");
      await tell(answer(result));
    } catch (error) {
      deps.logger.error({ err: error }, "opening a retrospective failed");
      await tell(userMessageOf(error)).catch((err: unknown) =>
        deps.logger.error({ err }, "could not tell the user opening a retrospective failed"),
      );
    }
  });
}
