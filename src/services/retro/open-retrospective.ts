// Task 5: opens the lost customer's retrospective once, as a thread in the retro channel (the case
// file, then the questions with Summarize), starts task 5 and points the case's thread at it.
import type { webApi } from "@slack/bolt";
import { CHANNEL_UNREACHABLE_ERRORS } from "../../domain/risk/warnings.ts";
import type { SlackMessage } from "../../slack/views/account-card.ts";
import { slackErrorCode } from "../complaints/complaint-message.ts";
import type { ServiceDeps } from "../deps.ts";
import { type ExitRenderers, refreshExitCase } from "../exit/exit-message.ts";
import { getExitCase } from "../exit/get-exit-case.ts";
import { changeTaskStatus } from "../exit/update-task.ts";
import { getRetroCaseFile, type RetroCaseFile } from "./get-retro-case-file.ts";

export type RetroSlackClient = {
  chat: Pick<webApi.WebClient["chat"], "postMessage" | "update" | "getPermalink">;
};

/** Where the retrospective's thread is; the permalink is null when Slack would not give one. */
export type RetroWhere = { channelId: string; ts: string; permalink: string | null };

export type RetroRenderers = {
  caseFile(file: RetroCaseFile): SlackMessage[];
  prompts(caseId: string): SlackMessage;
  exit: ExitRenderers;
  /** The line in the case's own thread that points at the retrospective. */
  opened(actorSlackId: string, update: string, where: RetroWhere): SlackMessage;
};

export type OpenRetroResult =
  | { kind: "opened"; where: RetroWhere; incomplete: string | null }
  | { kind: "already_open"; where: RetroWhere }
  /** Another click is opening it right now. */
  | { kind: "opening"; channelId: string }
  | { kind: "no_channel" }
  | { kind: "closed" }
  | { kind: "post_failed"; channelId: string; error: string | null; unreachable: boolean };

/** A claim older than this is taken over: the run that made it died between claim and post. */
export const RETRO_CLAIM_LEASE_MS = 2 * 60_000;

export async function retroPermalink(
  slack: Pick<RetroSlackClient, "chat">,
  channelId: string,
  ts: string,
): Promise<string | null> {
  try {
    const response = await slack.chat.getPermalink({ channel: channelId, message_ts: ts });
    return response.permalink ?? null;
  } catch {
    return null;
  }
}

export async function openRetrospective(
  deps: ServiceDeps,
  input: { slack: RetroSlackClient; caseId: string; actorSlackId: string; render: RetroRenderers },
): Promise<OpenRetroResult> {
  const { slack, caseId } = input;
  const existing = await getExitCase(deps, caseId);
  const where = async (retro: { channelId: string; ts: string }): Promise<RetroWhere> => ({
    ...retro,
    permalink: await retroPermalink(slack, retro.channelId, retro.ts),
  });
  if (existing.retro) return { kind: "already_open", where: await where(existing.retro) };
  if (existing.status !== "open") return { kind: "closed" };
  const channelId = deps.channels.retro;
  if (!channelId) return { kind: "no_channel" };

  // Claim first (a conditional update), so two clicks at once open one thread.
  const claimedAt = deps.now();
  const claim = await deps.prisma.exitCase.updateMany({
    where: {
      id: caseId,
      status: "open",
      retroTs: null,
      OR: [
        { retroOpenedAt: null },
        { retroOpenedAt: { lt: new Date(claimedAt.getTime() - RETRO_CLAIM_LEASE_MS) } },
      ],
    },
    data: { retroOpenedAt: claimedAt },
  });
  if (claim.count === 0) {
    const current = await getExitCase(deps, caseId);
    if (current.retro) return { kind: "already_open", where: await where(current.retro) };
    return current.status === "open" ? { kind: "opening", channelId } : { kind: "closed" };
  }

  const [top, ...replies] = input.render.caseFile(await getRetroCaseFile(deps, caseId));
  let ts: string;
  try {
    if (!top) throw new Error("the case file has no message");
    const response = await slack.chat.postMessage({ channel: channelId, ...top });
    if (!response.ts) throw new Error("chat.postMessage answered without ts");
    ts = response.ts;
  } catch (error) {
    const code = slackErrorCode(error);
    deps.logger.warn({ caseId, channel: channelId, slackError: code }, "posting a retrospective failed");
    await deps.prisma.exitCase.updateMany({
      where: { id: caseId, retroTs: null, retroOpenedAt: claimedAt },
      data: { retroOpenedAt: null },
    });
    return {
      kind: "post_failed",
      channelId,
      error: code,
      unreachable: code !== null && CHANNEL_UNREACHABLE_ERRORS.has(code),
    };
  }
  await deps.prisma.exitCase.update({
    where: { id: caseId },
    data: { retroChannelId: channelId, retroTs: ts, retroOpenedAt: claimedAt },
  });

  let incomplete: string | null = null;
  for (const message of [...replies, input.render.prompts(caseId)]) {
    try {
      await slack.chat.postMessage({ channel: channelId, thread_ts: ts, ...message });
    } catch (error) {
      incomplete ??= slackErrorCode(error) ?? "unknown_error";
      deps.logger.warn({ caseId, slackError: incomplete }, "a retrospective thread reply failed");
    }
  }

  const updates = ["Retrospective opened"];
  const task5 = existing.tasks.find((task) => task.number === 5);
  if (task5?.status === "todo") {
    try {
      const change = await changeTaskStatus(deps, {
        taskId: task5.id,
        to: "doing",
        actorSlackId: input.actorSlackId,
      });
      updates.push(change.update);
    } catch (error) {
      // Someone moved task 5 meanwhile (or the case just closed): the retrospective is open anyway.
      deps.logger.info({ caseId, err: error }, "task 5 was not started with the retrospective");
    }
  }
  const opened = await where({ channelId, ts });
  await refreshExitCase(deps, {
    slack,
    caseId,
    update: { actorSlackId: input.actorSlackId, text: updates.join(" · ") },
    render: {
      message: input.render.exit.message,
      update: (actor, text) => input.render.opened(actor, text, opened),
    },
  });
  return { kind: "opened", where: opened, incomplete };
}
