// /customer <query>: ack at once, then answer privately with the card, a pick list, or suggestions.
import type { App } from "@slack/bolt";
import { z } from "zod";
import { userMessageOf } from "../../../errors.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import { lookupAccount } from "../../../services/lookup-account.ts";
import { ids } from "../../ids.ts";
import { buildAccountCard } from "../../views/account-card.ts";
import { buildNoMatch, buildPickList, buildUsage } from "../../views/account-lookup.ts";

const ZCustomerCommand = z.object({
  command: z.string(),
  text: z.string().transform((text) => text.trim().replace(/\s+/g, " ")),
  user_id: z.string(),
});

export function register(app: App, deps: ServiceDeps): void {
  app.command(ids.command.customer, async ({ ack, command, respond }) => {
    await ack();
    const input = ZCustomerCommand.parse(command);
    if (input.text === "" || input.text.toLowerCase() === "help") {
      await respond({ response_type: "ephemeral", ...buildUsage(input.command) });
      return;
    }
    try {
      const result = await lookupAccount(deps, input.text);
      const message =
        result.kind === "one"
          ? buildAccountCard(result.card, { shareable: true })
          : result.kind === "several"
            ? buildPickList(input.text, result.accounts, result.more)
            : buildNoMatch(input.text, result.suggestions);
      await respond({ response_type: "ephemeral", ...message });
    } catch (error) {
      deps.logger.error({ err: error }, "/customer failed");
      await respond({ response_type: "ephemeral", text: userMessageOf(error) });
    }
  });
}
