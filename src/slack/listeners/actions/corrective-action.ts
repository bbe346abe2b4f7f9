// Done on a corrective action's reminder: mark it done once (who and when), show it done in the
// message, and tell the retrospective's thread. A second click says it is done already.
import type { App, BlockButtonAction } from "@slack/bolt";
import { z } from "zod";
import { calendarDay } from "../../../domain/trends.ts";
import { userMessageOf } from "../../../errors.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import {
  type CorrectiveActionDetails,
  markCorrectiveActionDone,
  postInRetroThread,
} from "../../../services/retro/corrective-actions.ts";
import { ids } from "../../ids.ts";
import {
  buildActionDoneLine,
  type FinishedAction,
  markActionDoneInReminder,
} from "../../views/corrective-action-reminder.ts";
import { userMention } from "../../views/mrkdwn.ts";

// Blocks as Slack echoes them back: kept as they are, except the one done.
const ZMessage = z.object({
  text: z.string().optional(),
  blocks: z.array(z.looseObject({ type: z.string(), block_id: z.string().optional() })).optional(),
});

export function register(app: App, deps: ServiceDeps): void {
  app.action<BlockButtonAction>(
    ids.action.correctiveActionDone,
    async ({ ack, action, body, client, respond }) => {
      await ack();
      const tell = (text: string) => respond({ response_type: "ephemeral", replace_original: false, text });
      const actionId = z.uuid().safeParse(action.value);
      if (!actionId.success) {
        await tell("That Done button does not point to a corrective action.");
        return;
      }
      try {
        const result = await markCorrectiveActionDone(deps, {
          actionId: actionId.data,
          actorSlackId: body.user.id,
        });
        if (result.status === "not_found") {
          await tell("That corrective action no longer exists.");
          return;
        }
        const finished = finishedOf(result.action, deps.timeZone);
        if (result.status === "done") {
          deps.logger.info({ actionId: actionId.data, by: body.user.id }, "corrective action done");
          await postInRetroThread(deps, {
            slack: client,
            action: result.action,
            message: buildActionDoneLine(finished),
          });
        } else {
          await tell(
            `This corrective action is already done (by ${userMention(finished.doneBy)}${finished.doneOn ? ` on ${finished.doneOn}` : ""}).`,
          );
        }
        const message = ZMessage.safeParse(body.message);
        const blocks = message.success ? markActionDoneInReminder(message.data.blocks ?? [], finished) : null;
        if (message.success && blocks)
          await respond({
            replace_original: true,
            text: message.data.text ?? "Corrective actions due",
            blocks,
          });
      } catch (error) {
        deps.logger.error({ err: error, actionId: actionId.data }, "marking a corrective action done failed");
        await tell(userMessageOf(error)).catch((err: unknown) =>
          deps.logger.error({ err }, "could not tell the user a corrective action button failed"),
        );
      }
    },
  );
}

function finishedOf(
  action: CorrectiveActionDetails,
  timeZone: string,
): FinishedAction & { ownerSlackId: string } {
  return {
    id: action.id,
    accountName: action.accountName,
    description: action.description,
    dueOn: action.dueOn,
    ownerSlackId: action.ownerSlackId,
    doneBy: action.doneBy,
    doneOn: action.doneAt ? calendarDay(action.doneAt, timeZone) : null,
  };
}
