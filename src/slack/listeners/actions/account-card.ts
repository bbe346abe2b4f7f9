// Buttons around the card: pick one account from a list, share the card in the channel, mark a lost
// customer won back.
import type { App, BlockButtonAction } from "@slack/bolt";
import { z } from "zod";
import { isAppError, userMessageOf } from "../../../errors.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import { winBack } from "../../../services/exit/win-back.ts";
import { getAccountCard } from "../../../services/get-account-card.ts";
import { ids } from "../../ids.ts";
import { buildAccountCard } from "../../views/account-card.ts";
import { escapeMrkdwn } from "../../views/mrkdwn.ts";

const ZAccountButton = z.object({
  value: z.uuid("not an account id"),
});

export function register(app: App, deps: ServiceDeps): void {
  // Replaces the pick list (or suggestions) with the chosen account's card, still private.
  app.action<BlockButtonAction>(
    new RegExp(`^${ids.action.pickAccount}(:\\d+)?$`),
    async ({ ack, action, body, respond }) => {
      await ack();
      try {
        const { value } = ZAccountButton.parse(action);
        const card = await getAccountCard(deps, value, body.user.id);
        await respond({
          replace_original: true,
          response_type: "ephemeral",
          ...buildAccountCard(card, { shareable: true }),
        });
      } catch (error) {
        deps.logger.error({ err: error }, "picking an account failed");
        await respond({ replace_original: false, response_type: "ephemeral", text: userMessageOf(error) });
      }
    },
  );

  // Posts the card for everyone in the channel, then removes the private copy.
  app.action<BlockButtonAction>(ids.action.shareCard, async ({ ack, action, body, respond }) => {
    await ack();
    try {
      const { value } = ZAccountButton.parse(action);
      // Everyone in the channel sees it: what a channel's audience may see.
      const card = await getAccountCard(deps, value, null);
      await respond({
        response_type: "in_channel",
        replace_original: false,
        ...buildAccountCard(card, { shareable: false, sharedBy: body.user.id }),
      });
      await respond({ delete_original: true });
    } catch (error) {
      deps.logger.error({ err: error }, "sharing a card failed");
      await respond({ replace_original: false, response_type: "ephemeral", text: userMessageOf(error) });
    }
  });

  // The clicker's card is replaced with the account as it is now, saying what changed.
  app.action<BlockButtonAction>(ids.action.winBack, async ({ ack, action, body, respond }) => {
    await ack();
    try {
      const { value } = ZAccountButton.parse(action);
      const { accountName } = await winBack(deps, { accountId: value, actorSlackId: body.user.id });
      deps.logger.info({ accountId: value, by: body.user.id }, "lost account won back");
      const card = await getAccountCard(deps, value, body.user.id);
      const view = buildAccountCard(card, { shareable: true });
      await respond({
        replace_original: true,
        response_type: "ephemeral",
        text: view.text,
        blocks: [
          {
            type: "context",
            elements: [
              {
                type: "mrkdwn",
                text: `:tada: ${escapeMrkdwn(accountName)} is active again: won back by <@${body.user.id}>. Its history is kept.`,
              },
            ],
          },
          ...view.blocks,
        ],
      });
    } catch (error) {
      if (isAppError(error)) deps.logger.info({ reason: error.userMessage }, "winning back: refused");
      else deps.logger.error({ err: error }, "winning back an account failed");
      await respond({ replace_original: false, response_type: "ephemeral", text: userMessageOf(error) });
    }
  });
}
