// "Log to customer" on any message: the picker modal, its customer type-ahead, and on to the record modal.
import type { App, MessageShortcut, ViewSubmitAction } from "@slack/bolt";
import { isAppError, userMessageOf } from "../../../errors.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import { getRecordForm } from "../../../services/get-record-form.ts";
import { searchAccounts } from "../../../services/search-accounts.ts";
import { ids } from "../../ids.ts";
import {
  buildAccountOptions,
  buildLogToCustomerModal,
  logToCustomerBlock,
  logToCustomerSource,
  parseLogToCustomerMetadata,
  readLogToCustomer,
} from "../../views/log-to-customer-modal.ts";
import { buildRecordModal } from "../../views/record-modals.ts";

export function register(app: App, deps: ServiceDeps): void {
  app.shortcut<MessageShortcut>(ids.shortcut.logToCustomer, async ({ ack, shortcut, client, respond }) => {
    await ack();
    let permalink: string | undefined;
    try {
      const link = await client.chat.getPermalink({
        channel: shortcut.channel.id,
        message_ts: shortcut.message_ts,
      });
      permalink = link.permalink;
    } catch (error) {
      // Not fatal: the record is still made, only without a link back (the modal says so).
      deps.logger.warn({ err: error, channel: shortcut.channel.id }, "no permalink for the message");
    }
    try {
      const source = logToCustomerSource(String(shortcut.message.text ?? ""), permalink);
      await client.views.open({ trigger_id: shortcut.trigger_id, view: buildLogToCustomerModal(source) });
    } catch (error) {
      deps.logger.error({ err: error }, "opening Log to customer failed");
      await respond({ response_type: "ephemeral", replace_original: false, text: userMessageOf(error) });
    }
  });

  app.options<"block_suggestion">(
    { type: "block_suggestion", action_id: ids.action.accountSelect },
    async ({ ack, payload }) => {
      try {
        await ack({ options: buildAccountOptions(await searchAccounts(deps, payload.value)) });
      } catch (error) {
        // Slack shows "no matches" for an empty list; the cause is in the log.
        deps.logger.error({ err: error }, "account search failed");
        await ack({ options: [] });
      }
    },
  );

  app.view<ViewSubmitAction>(ids.view.logToCustomer, async ({ ack, body, view }) => {
    const choice = readLogToCustomer(view.state.values);
    if (choice.accountId === null || choice.kind === null) {
      await ack({
        response_action: "errors",
        errors:
          choice.accountId === null
            ? { [logToCustomerBlock.account]: "Choose a customer." }
            : { [logToCustomerBlock.kind]: "Choose what to log." },
      });
      return;
    }
    try {
      const source = parseLogToCustomerMetadata(view.private_metadata);
      const form = await getRecordForm(deps, {
        accountId: choice.accountId,
        userId: body.user.id,
        prefill: { text: source.text, permalink: source.permalink },
      });
      await ack({
        response_action: "update",
        view: buildRecordModal(choice.kind, form, deps.responseTargets),
      });
    } catch (error) {
      if (!isAppError(error))
        deps.logger.error({ err: error }, "Log to customer: opening the record modal failed");
      await ack({
        response_action: "errors",
        errors: { [logToCustomerBlock.account]: userMessageOf(error) },
      });
    }
  });
}
