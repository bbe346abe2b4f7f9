// Shared by button listeners: reading a value with its schema, and buttons that open a modal.
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { AppError, isAppError, userMessageOf } from "../../../errors.ts";
import type { ServiceDeps } from "../../../services/deps.ts";

export type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** A value that does not fit its schema is an out-of-date button. */
export function parseButtonValue<T>(
  schema: { parse(value: unknown): T },
  value: string | undefined,
  format: "json" | "text",
): T {
  try {
    return schema.parse(format === "json" ? JSON.parse(value ?? "") : value);
  } catch (error) {
    throw new AppError("bad_request", "That button is out of date.", { cause: error });
  }
}

/** Opens the modal `open` builds; failures go to the clicker only. */
export function opener(deps: ServiceDeps, what: string, open: (args: ButtonArgs) => Promise<unknown>) {
  return async (args: ButtonArgs) => {
    await args.ack();
    try {
      await open(args);
    } catch (error) {
      // A refusal (already leaving, case closed) is the user's news, not the app's failure.
      if (isAppError(error)) deps.logger.info({ reason: error.userMessage }, `${what} refused`);
      else deps.logger.error({ err: error }, `${what} failed`);
      await args
        .respond({ response_type: "ephemeral", replace_original: false, text: userMessageOf(error) })
        .catch((err: unknown) => deps.logger.error({ err }, `could not tell the user ${what} failed`));
    }
  };
}
