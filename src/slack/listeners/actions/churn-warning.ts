// Acknowledge / Snooze on a churn warning's message: record who and when, then update the message in place.
import type { AllMiddlewareArgs, App, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { AppError, userMessageOf } from "../../../errors.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import {
  refreshWarningMessage,
  respondToWarning,
  type WarningResponse,
} from "../../../services/warnings/respond-to-warning.ts";
import { ids } from "../../ids.ts";
import {
  buildChurnWarning,
  warningSnoozePattern,
  ZWarningAckValue,
  ZWarningSnoozeValue,
} from "../../views/churn-warning.ts";

function parseButton(action: BlockButtonAction["actions"][number]): {
  warningId: string;
  response: WarningResponse;
} {
  try {
    if (action.action_id === ids.action.warningAcknowledge)
      return { warningId: ZWarningAckValue.parse(action.value), response: { kind: "acknowledge" } };
    const { warningId, days } = ZWarningSnoozeValue.parse(JSON.parse(action.value ?? ""));
    return { warningId, response: { kind: "snooze", days } };
  } catch (error) {
    throw new AppError("bad_request", "That button is out of date.", { cause: error });
  }
}

export function register(app: App, deps: ServiceDeps): void {
  const handler = async ({
    ack,
    action,
    body,
    client,
    respond,
  }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs) => {
    await ack();
    try {
      const { warningId, response } = parseButton(action);
      const recorded = await respondToWarning(deps, { warningId, actorSlackId: body.user.id, response });
      if (!recorded) throw new AppError("bad_request", "That warning is not posted yet.");
      deps.logger.info({ warningId, response: response.kind, by: body.user.id }, "churn warning answered");
      await refreshWarningMessage(deps, { slack: client, warningId, render: buildChurnWarning });
    } catch (error) {
      deps.logger.error({ err: error }, "a churn warning button failed");
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        text: userMessageOf(error),
      }).catch((err: unknown) =>
        deps.logger.error({ err }, "could not tell the user a warning button failed"),
      );
    }
  };
  app.action<BlockButtonAction>(ids.action.warningAcknowledge, handler);
  app.action<BlockButtonAction>(warningSnoozePattern, handler);
}
