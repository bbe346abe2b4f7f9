// Done on a follow-up (reminder message or Home tab): mark it done, then show it done where it was clicked.
import type { App, BlockButtonAction } from "@slack/bolt";
import { z } from "zod";
import { userMessageOf } from "../../../errors.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import { markFollowUpDone } from "../../../services/interactions/follow-ups.ts";
import { ids } from "../../ids.ts";
import { markDoneInReminder } from "../../views/follow-up-reminder.ts";
import { parseHomeMetadata } from "../../views/home.ts";
import { publishHome } from "../events/app-home-opened.ts";

const ZDoneButton = z.object({ value: z.uuid() });
// Blocks as Slack echoes them back: kept as they are, except the one done.
const ZMessage = z.object({
  text: z.string().optional(),
  blocks: z.array(z.looseObject({ type: z.string(), block_id: z.string().optional() })).optional(),
});

export function register(app: App, deps: ServiceDeps): void {
  app.action<BlockButtonAction>(ids.action.followUpDone, async ({ ack, action, body, client, respond }) => {
    await ack();
    const userId = body.user.id;
    const inView = body.view !== undefined;
    // A message has a response URL for a private answer; the Home tab has none, so a DM says it there.
    const tell = async (text: string) => {
      if (inView) await client.chat.postMessage({ channel: userId, text });
      else await respond({ response_type: "ephemeral", replace_original: false, text });
    };

    const button = ZDoneButton.safeParse(action);
    if (!button.success) {
      deps.logger.warn({ actionId: action.action_id }, "follow-up Done without a follow-up id");
      await tell("That Done button does not point to a follow-up. Open your Home tab for the current list.");
      return;
    }
    try {
      const result = await markFollowUpDone(deps, { followUpId: button.data.value, doneBy: userId });
      if (result.status === "not_found") {
        await tell("That follow-up no longer exists. Open your Home tab for the current list.");
        return;
      }
      if (result.status === "done") {
        deps.logger.info({ followUpId: result.followUp.id, doneBy: userId }, "follow-up done");
      }
      if (body.view?.type === "home") {
        await publishHome(deps, client, userId, parseHomeMetadata(body.view.private_metadata));
        return;
      }
      const message = ZMessage.safeParse(body.message);
      const blocks = message.success ? markDoneInReminder(message.data.blocks ?? [], result.followUp) : null;
      if (message.success && blocks) {
        await respond({ replace_original: true, text: message.data.text ?? "Follow-ups due", blocks });
      }
    } catch (error) {
      deps.logger.error({ err: error, followUpId: button.data.value }, "marking a follow-up done failed");
      await tell(userMessageOf(error));
    }
  });
}
