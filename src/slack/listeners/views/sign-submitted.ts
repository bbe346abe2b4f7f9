// The sign modal: its kind select rebuilds it with that kind's fields; its submission records the sign.
import type { App, BlockAction, StaticSelectAction, ViewSubmitAction } from "@slack/bolt";
import { userMessageOf } from "../../../errors.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import { getRecordForm } from "../../../services/get-record-form.ts";
import { recordSign } from "../../../services/signs/record-sign.ts";
import { ids } from "../../ids.ts";
import { parseRecordMetadata } from "../../views/record-form.ts";
import {
  buildSignConfirmation,
  buildSignModal,
  readSignDraft,
  signBlock,
  signErrors,
} from "../../views/sign-modal.ts";

function blockIdsOf(blocks: readonly { block_id?: string }[]): string[] {
  return blocks.flatMap((block) => (block.block_id ? [block.block_id] : []));
}

export function register(app: App, deps: ServiceDeps): void {
  app.view<ViewSubmitAction>(ids.view.sign, async ({ ack, body, view, client }) => {
    let result: Awaited<ReturnType<typeof recordSign>>;
    try {
      const metadata = parseRecordMetadata(view.private_metadata);
      result = await recordSign(deps, {
        accountId: metadata.accountId,
        draft: readSignDraft(view.state.values),
        submissionKey: view.id,
        createdBy: body.user.id,
        sourcePermalink: metadata.permalink ?? null,
      });
    } catch (error) {
      // The modal stays open with the reason, so nothing typed is lost and the rep can try again.
      deps.logger.error({ err: error }, "recording a sign failed");
      await ack({
        response_action: "errors",
        errors: { [signBlock.kind]: `${userMessageOf(error)} Nothing was saved.` },
      });
      return;
    }
    if (!result.ok) {
      await ack({ response_action: "errors", errors: signErrors(result.errors, blockIdsOf(view.blocks)) });
      return;
    }
    await ack();
    // A replayed submit was confirmed the first time.
    if (result.created) {
      await client.chat.postMessage({ channel: body.user.id, ...buildSignConfirmation(result.summary) });
    }
  });

  app.action<BlockAction<StaticSelectAction>>(ids.action.signKind, async ({ ack, body, client }) => {
    await ack();
    const view = body.view;
    if (!view || view.callback_id !== ids.view.sign) return;
    const metadata = parseRecordMetadata(view.private_metadata);
    const draft = readSignDraft(view.state.values);
    const form = await getRecordForm(deps, {
      accountId: metadata.accountId,
      userId: body.user.id,
      prefill: { permalink: metadata.permalink },
    });
    // The hash makes Slack refuse this update if the view changed meanwhile: a later kind change won.
    try {
      await client.views.update({ view_id: view.id, hash: view.hash, view: buildSignModal(form, draft) });
    } catch (error) {
      if ((error as { data?: { error?: string } }).data?.error !== "hash_conflict") throw error;
      deps.logger.info({ viewId: view.id }, "sign modal changed meanwhile: update skipped");
    }
  });
}
