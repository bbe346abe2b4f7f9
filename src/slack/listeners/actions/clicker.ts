// Message buttons: read a button's JSON value, and answer privately whoever clicked it.
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs, types } from "@slack/bolt";
import type { z } from "zod";
import { AppError } from "../../../errors.ts";

/** The button's value read by `schema`; an unreadable one (an old message) is a clear refusal. */
export function parseButtonValue<T extends z.ZodType>(
  schema: T,
  value: string | undefined,
  json: boolean,
): z.infer<T> {
  try {
    return schema.parse(json ? JSON.parse(value ?? "") : value);
  } catch (error) {
    throw new AppError("bad_request", "That button is out of date.", { cause: error });
  }
}

/** Ephemeral under the message, else (no response URL) by direct message. */
export function replyToClicker({
  body,
  respond,
  client,
}: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs) {
  return async (message: { text: string; blocks?: types.KnownBlock[] }): Promise<void> => {
    if (body.response_url) {
      await respond({ response_type: "ephemeral", replace_original: false, ...message });
      return;
    }
    await client.chat.postMessage({ channel: body.user.id, ...message });
  };
}
