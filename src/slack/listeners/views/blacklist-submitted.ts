// The blacklist modal submitted: a manager's decision saved once with its reason; refusals and a
// missing reason are shown in the modal, nothing is half-written. The manager is told by DM.
import type { App, ViewSubmitAction } from "@slack/bolt";
import { z } from "zod";
import { isAppError, userMessageOf } from "../../../errors.ts";
import { changeBlacklisting } from "../../../services/accounts/blacklist.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import { ids } from "../../ids.ts";
import { BLACKLIST_REASON, ZBlacklistTarget } from "../../views/blacklist-modal.ts";
import { escapeMrkdwn } from "../../views/mrkdwn.ts";

const ZReason = z.object({
  [BLACKLIST_REASON]: z.object({ [BLACKLIST_REASON]: z.object({ value: z.string().nullish() }) }),
});

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function register(app: App, deps: ServiceDeps): void {
  app.view<ViewSubmitAction>(ids.view.blacklist, async ({ ack, body, view, client }) => {
    const values = ZReason.safeParse(view.state.values);
    const target = ZBlacklistTarget.safeParse(parseJson(view.private_metadata));
    if (!values.success || !target.success) {
      await ack({
        response_action: "errors",
        errors: { [BLACKLIST_REASON]: "This form is out of date. Close it and start again." },
      });
      return;
    }
    let result: Awaited<ReturnType<typeof changeBlacklisting>>;
    try {
      result = await changeBlacklisting(deps, {
        ...target.data,
        reason: values.data[BLACKLIST_REASON][BLACKLIST_REASON].value ?? "",
        actorSlackId: body.user.id,
        submissionKey: view.id,
      });
    } catch (error) {
      if (isAppError(error)) deps.logger.info({ reason: error.userMessage }, "blacklisting refused");
      else deps.logger.error({ err: error }, "blacklisting failed");
      await ack({ response_action: "errors", errors: { [BLACKLIST_REASON]: userMessageOf(error) } });
      return;
    }
    await ack();
    if (!result.changed) return;
    deps.logger.info({ accountId: target.data.accountId, by: body.user.id }, "blacklisting changed");
    const name = escapeMrkdwn(result.accountName);
    await client.chat
      .postMessage({
        channel: body.user.id,
        text: target.data.blacklisted
          ? `:no_entry: ${name} is blacklisted: no more churn warnings. The reason is kept with its history.`
          : `:white_check_mark: ${name} is off the blacklist and active again.`,
      })
      .catch((error: unknown) => deps.logger.error({ err: error }, "could not confirm blacklisting"));
  });
}
