// Posts an exit case's message (the account's channel, else the warnings channel, else whoever started
// it, by DM) and keeps it current: each change re-renders it in place and adds a line to its thread.
import type { webApi } from "@slack/bolt";
import { CHANNEL_UNREACHABLE_ERRORS } from "../../domain/risk/warnings.ts";
import { calendarDay } from "../../domain/trends.ts";
import type { SlackMessage } from "../../slack/views/account-card.ts";
import type { ExitPlacement } from "../../slack/views/exit-case.ts";
import { slackErrorCode } from "../complaints/complaint-message.ts";
import type { ServiceDeps } from "../deps.ts";
import { type ExitCaseDetails, getExitCase } from "./get-exit-case.ts";

/** The Slack calls this needs: the bot's Web API client, or a stand-in in tests. */
export type ExitSlackClient = { chat: Pick<webApi.WebClient["chat"], "postMessage" | "update"> };

/** Block Kit is the Slack layer's business: the caller passes its builders. */
export type ExitRenderers = {
  message(exitCase: ExitCaseDetails, options: { today: string; placement?: ExitPlacement }): SlackMessage;
  update(actorSlackId: string, update: string): SlackMessage;
};

/** Posts the case's message once; returns where it went (null when nowhere would take it). */
export async function postExitCase(
  deps: ServiceDeps,
  input: { slack: ExitSlackClient; caseId: string; render: ExitRenderers },
): Promise<{ channelId: string; ts: string; placement: ExitPlacement } | null> {
  const exitCase = await getExitCase(deps, input.caseId);
  if (exitCase.message) return { ...exitCase.message, placement: { misrouted: null } };
  const today = calendarDay(deps.now(), deps.timeZone);
  const intended = exitCase.account.channelId;
  const fallbacks = [deps.channels.warnings, exitCase.startedBy].filter((c): c is string => Boolean(c));
  let misrouted: ExitPlacement["misrouted"] = null;
  for (const channel of intended ? [intended, ...fallbacks] : fallbacks) {
    const placement: ExitPlacement = { misrouted };
    try {
      const response = await input.slack.chat.postMessage({
        channel,
        ...input.render.message(exitCase, { today, placement }),
      });
      if (!response.channel || !response.ts)
        throw new Error("chat.postMessage answered without channel or ts");
      await deps.prisma.exitCase.update({
        where: { id: exitCase.id },
        data: { channelId: response.channel, messageTs: response.ts },
      });
      return { channelId: response.channel, ts: response.ts, placement };
    } catch (error) {
      const code = slackErrorCode(error);
      deps.logger.warn({ caseId: exitCase.id, channel, slackError: code }, "posting an exit case failed");
      if (channel === intended && code && CHANNEL_UNREACHABLE_ERRORS.has(code))
        misrouted = { intendedChannelId: intended, error: code };
    }
  }
  deps.logger.error({ caseId: exitCase.id }, "an exit case message could not be posted anywhere");
  return null;
}

/**
 * After a change: re-renders the case's message in place and posts `update` in its thread. Slack
 * failures are logged, never thrown: the change itself is already saved.
 */
export async function refreshExitCase(
  deps: ServiceDeps,
  input: {
    slack: ExitSlackClient;
    caseId: string;
    update: { actorSlackId: string; text: string } | null;
    render: ExitRenderers;
  },
): Promise<void> {
  const exitCase = await getExitCase(deps, input.caseId);
  if (!exitCase.message) return;
  const { channelId, ts } = exitCase.message;
  const today = calendarDay(deps.now(), deps.timeZone);
  const misrouted =
    exitCase.account.channelId && exitCase.account.channelId !== channelId
      ? { intendedChannelId: exitCase.account.channelId, error: "not_in_channel" }
      : null;
  try {
    await input.slack.chat.update({
      channel: channelId,
      ts,
      ...input.render.message(exitCase, { today, placement: { misrouted } }),
    });
    if (input.update)
      await input.slack.chat.postMessage({
        channel: channelId,
        thread_ts: ts,
        ...input.render.update(input.update.actorSlackId, input.update.text),
      });
  } catch (error) {
    deps.logger.warn(
      { caseId: exitCase.id, slackError: slackErrorCode(error) },
      "updating an exit case failed",
    );
  }
}
