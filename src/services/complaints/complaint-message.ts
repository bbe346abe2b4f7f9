// Posts a complaint's message (account channel, else its owner directly) and keeps it up to date in place.
import type { webApi } from "@slack/bolt";
import { type ComplaintDetails, type ComplaintPlacement, placementOf } from "../../domain/complaints.ts";
import type { SlackMessage } from "../../slack/views/account-card.ts";
import type { PostFailureNotice } from "../../slack/views/complaint-message.ts";
import type { ServiceDeps } from "../deps.ts";
import { getComplaintDetails } from "./get-complaint-details.ts";

/** The Slack calls this needs: the bot's Web API client, or a stand-in in tests. */
export type ComplaintSlackClient = { chat: Pick<webApi.WebClient["chat"], "postMessage" | "update"> };

/** Block Kit is the Slack layer's business: the caller passes its builders. */
export type ComplaintRenderers = {
  message(details: ComplaintDetails, placement: ComplaintPlacement): SlackMessage;
  postFailure(notice: PostFailureNotice): SlackMessage;
};

export type PostComplaintResult = {
  /** Where the message went; null when it could not be posted anywhere. */
  posted: { channelId: string; ts: string; placement: ComplaintPlacement } | null;
  /** Slack's error for the account's channel (null when Slack was unreachable or there was no failure). */
  channelError: string | null;
  /** Whether the submitter was told by DM that the channel post failed. */
  submitterNotified: boolean;
};

/** Slack's error code from a failed Web API call (`not_in_channel` ...); null for network failures. */
export function slackErrorCode(error: unknown): string | null {
  const code = (error as { data?: { error?: unknown } } | null)?.data?.error;
  return typeof code === "string" ? code : null;
}

export async function postComplaintMessage(
  deps: ServiceDeps,
  input: {
    slack: ComplaintSlackClient;
    complaintId: string;
    /** Who recorded it: told by DM when the channel post fails. */
    submitterSlackId: string;
    render: ComplaintRenderers;
  },
): Promise<PostComplaintResult> {
  const { details } = await getComplaintDetails(deps, input.complaintId);
  const channelId = details.account.channelId;
  const direct: ComplaintPlacement = channelId
    ? { kind: "direct", reason: "channel_failed", channelId }
    : { kind: "direct", reason: "no_channel" };
  // The account's channel first; then its owner directly; last the submitter, so the buttons are somewhere.
  const destinations: { channel: string; placement: ComplaintPlacement }[] = [
    ...(channelId ? [{ channel: channelId, placement: { kind: "channel" } as const }] : []),
    { channel: details.ownerSlackId, placement: direct },
    ...(input.submitterSlackId !== details.ownerSlackId
      ? [{ channel: input.submitterSlackId, placement: direct }]
      : []),
  ];
  let posted: PostComplaintResult["posted"] = null;
  // The user a direct message went to (a DM lands in a D… channel, not the user id tried).
  let sentTo: string | null = null;
  let channelFailed = false;
  let channelError: string | null = null;
  for (const destination of destinations) {
    try {
      const message = input.render.message(details, destination.placement);
      const response = await input.slack.chat.postMessage({ channel: destination.channel, ...message });
      if (!response.channel || !response.ts)
        throw new Error("chat.postMessage answered without channel or ts");
      posted = { channelId: response.channel, ts: response.ts, placement: destination.placement };
      sentTo = destination.placement.kind === "direct" ? destination.channel : null;
      break;
    } catch (error) {
      const code = slackErrorCode(error);
      if (destination.placement.kind === "channel") {
        channelFailed = true;
        channelError = code;
      }
      deps.logger.warn(
        {
          complaintId: details.id,
          channel: destination.channel,
          slackError: code,
          err: code ? undefined : error,
        },
        "posting a complaint message failed",
      );
    }
  }
  if (posted) {
    await deps.prisma.complaint.update({
      where: { id: details.id },
      data: { messageChannelId: posted.channelId, messageTs: posted.ts, updatedAt: deps.now() },
    });
  } else {
    deps.logger.error({ complaintId: details.id }, "a complaint message could not be posted anywhere");
  }
  // The submitter learns why and how to fix it, unless the complaint itself (which says so) went to them.
  let submitterNotified = false;
  if ((channelFailed || !posted) && sentTo !== input.submitterSlackId) {
    const notice = input.render.postFailure({
      accountName: details.account.name,
      channelId,
      error: channelError,
      sentTo,
    });
    try {
      await input.slack.chat.postMessage({ channel: input.submitterSlackId, ...notice });
      submitterNotified = true;
    } catch (error) {
      deps.logger.error(
        { complaintId: details.id, slackError: slackErrorCode(error) },
        "could not tell the submitter",
      );
    }
  }
  return { posted, channelError, submitterNotified };
}

/**
 * Re-renders the complaint's message in place after a change. Returns false when it has no message
 * or Slack refused the update (a deleted message, say): the change itself stands either way.
 */
export async function refreshComplaintMessage(
  deps: ServiceDeps,
  input: { slack: ComplaintSlackClient; complaintId: string; render: ComplaintRenderers },
): Promise<boolean> {
  const { details, message } = await getComplaintDetails(deps, input.complaintId);
  if (!message) return false;
  const rendered = input.render.message(details, placementOf(details.account.channelId, message.channelId));
  try {
    await input.slack.chat.update({ channel: message.channelId, ts: message.ts, ...rendered });
    return true;
  } catch (error) {
    deps.logger.warn(
      { complaintId: details.id, slackError: slackErrorCode(error) },
      "updating a complaint message failed",
    );
    return false;
  }
}
