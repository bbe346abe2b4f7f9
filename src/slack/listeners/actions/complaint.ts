// Lifecycle buttons on a complaint's message: apply the step (resolve asks what was done first), update the message.
import type { App, BlockButtonAction } from "@slack/bolt";
import { actionRefusal } from "../../../domain/complaints.ts";
import { AppError, userMessageOf } from "../../../errors.ts";
import { refreshComplaintMessage } from "../../../services/complaints/complaint-message.ts";
import { getComplaintDetails } from "../../../services/complaints/get-complaint-details.ts";
import { transitionComplaint } from "../../../services/complaints/transition-complaint.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import {
  complaintActionPattern,
  complaintRenderers,
  ZComplaintButtonValue,
} from "../../views/complaint-message.ts";
import { buildComplaintResolveModal } from "../../views/complaint-resolve-modal.ts";

function parseButtonValue(value: string | undefined) {
  try {
    return ZComplaintButtonValue.parse(JSON.parse(value ?? ""));
  } catch (error) {
    throw new AppError("bad_request", "That button is out of date.", { cause: error });
  }
}

export function register(app: App, deps: ServiceDeps): void {
  app.action<BlockButtonAction>(complaintActionPattern, async ({ ack, action, body, client, respond }) => {
    await ack();
    // Only the clicker sees why nothing happened: ephemeral under the message, else (Home tab) by DM.
    const tell = async (text: string) => {
      if (body.response_url) {
        await respond({ response_type: "ephemeral", replace_original: false, text });
      } else {
        await client.chat.postMessage({ channel: body.user.id, text });
      }
    };
    const refresh = (complaintId: string) =>
      refreshComplaintMessage(deps, { slack: client, complaintId, render: complaintRenderers });
    try {
      const { complaintId, action: step } = parseButtonValue(action.value);
      if (step === "resolve") {
        const { details } = await getComplaintDetails(deps, complaintId);
        const refusal = actionRefusal(details.status, "resolve");
        if (refusal === null) {
          await client.views.open({ trigger_id: body.trigger_id, view: buildComplaintResolveModal(details) });
          return;
        }
        await tell(refusal);
        await refresh(complaintId);
        return;
      }
      const outcome = await transitionComplaint(deps, {
        complaintId,
        action: step,
        actorSlackId: body.user.id,
      });
      if (outcome.kind === "refused") await tell(outcome.reason);
      await refresh(complaintId);
    } catch (error) {
      deps.logger.error({ err: error }, "a complaint button failed");
      await tell(userMessageOf(error)).catch((err: unknown) =>
        deps.logger.error({ err }, "could not tell the user a complaint button failed"),
      );
    }
  });
}
