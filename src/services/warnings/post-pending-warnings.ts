// Posts pending churn warnings to the account's channel (else the default warnings channel), each exactly once.
import type { webApi } from "@slack/bolt";
import { CHANNEL_UNREACHABLE_ERRORS, type WarningDetails } from "../../domain/risk/warnings.ts";
import type { SlackMessage } from "../../slack/views/account-card.ts";
import { slackErrorCode } from "../complaints/complaint-message.ts";
import type { ServiceDeps } from "../deps.ts";
import { getWarning } from "./get-warning.ts";

/** The Slack calls warnings need: the bot's Web API client, or a stand-in in tests. */
export type WarningSlackClient = { chat: Pick<webApi.WebClient["chat"], "postMessage" | "update"> };

/** Block Kit is the Slack layer's business: the caller passes the builder. */
export type WarningRenderer = (details: WarningDetails) => SlackMessage;

export type PostWarningsInput = {
  slack: WarningSlackClient;
  /** Where warnings go when the account has no channel or the bot cannot post in it. */
  defaultChannelId: string | undefined;
  render: WarningRenderer;
};

export type PostWarningsResult = { posted: number; failed: number };

/**
 * A claim older than this is taken to belong to a run that died. Longer than the Web API client's
 * own retries on HTTP 429 (about 30 minutes), so a post waiting out a rate limit is not doubled.
 */
const CLAIM_LEASE_MS = 60 * 60 * 1000;
const PAGE = 200;

/** Takes the warning for this run; false when another run has it or it is no longer pending. */
async function claim(deps: ServiceDeps, id: string, now: Date): Promise<boolean> {
  const { rowCount } = await deps.pool.query(
    `UPDATE churn_warning SET claimed_at = $2, post_attempts = post_attempts + 1, updated_at = $2
      WHERE id = $1 AND status = 'pending' AND (claimed_at IS NULL OR claimed_at < $3)`,
    [id, now, new Date(now.getTime() - CLAIM_LEASE_MS)],
  );
  return rowCount === 1;
}

/** Gives the warning back for the next run, with why this one failed. */
async function release(deps: ServiceDeps, id: string, error: string): Promise<void> {
  await deps.prisma.churnWarning.updateMany({
    where: { id, status: "pending" },
    data: { claimedAt: null, lastPostError: error, updatedAt: deps.now() },
  });
}

type Attempt = { ok: true; channel: string; ts: string } | { ok: false; code: string | null; error: unknown };

async function post(input: PostWarningsInput, channel: string, message: SlackMessage): Promise<Attempt> {
  try {
    const response = await input.slack.chat.postMessage({ channel, ...message });
    if (!response.channel || !response.ts) throw new Error("chat.postMessage answered without channel or ts");
    return { ok: true, channel: response.channel, ts: response.ts };
  } catch (error) {
    return { ok: false, code: slackErrorCode(error), error };
  }
}

/** Posts one claimed warning; true when it is now posted somewhere. */
async function postOne(deps: ServiceDeps, input: PostWarningsInput, id: string): Promise<boolean> {
  const details = await getWarning(deps, id);
  const log = { warningId: id, accountId: details.account.id };
  let misrouted: WarningDetails["misrouted"] = null;
  let attempt: Attempt | null = null;
  if (details.accountChannelId) {
    attempt = await post(input, details.accountChannelId, input.render(details));
    if (!attempt.ok && attempt.code && CHANNEL_UNREACHABLE_ERRORS.has(attempt.code)) {
      deps.logger.warn(
        { ...log, channel: details.accountChannelId, slackError: attempt.code },
        "cannot post a churn warning in the account's channel: using the default channel",
      );
      misrouted = { intendedChannelId: details.accountChannelId, error: attempt.code };
      attempt = null;
    }
  }
  if (attempt === null) {
    if (!input.defaultChannelId) {
      const why = misrouted ? misrouted.error : "no_channel";
      deps.logger.error(
        { ...log, reason: why },
        "a churn warning has nowhere to go: set the account's channel or WARNINGS_CHANNEL",
      );
      await release(deps, id, why);
      return false;
    }
    attempt = await post(input, input.defaultChannelId, input.render({ ...details, misrouted }));
  }
  // Not a channel problem (rate limited, Slack down) or the default channel failed too: kept pending.
  if (!attempt.ok) {
    deps.logger.error(
      { ...log, slackError: attempt.code, err: attempt.code ? undefined : attempt.error },
      "posting a churn warning failed: it stays pending for the next run",
    );
    await release(deps, id, attempt.code ?? "request_failed");
    return false;
  }
  const now = deps.now();
  await deps.prisma.churnWarning.updateMany({
    where: { id, status: "pending" },
    data: {
      status: "posted",
      channelId: attempt.channel,
      messageTs: attempt.ts,
      postedAt: now,
      claimedAt: null,
      lastPostError: null,
      intendedChannelId: misrouted?.intendedChannelId ?? null,
      misrouteError: misrouted?.error ?? null,
      updatedAt: now,
    },
  });
  return true;
}

/**
 * Posts every pending warning once. Each is claimed with a conditional update first, so two runs
 * at once (or a run after a crash between creating and posting) post each warning exactly once.
 */
export async function postPendingWarnings(
  deps: ServiceDeps,
  input: PostWarningsInput,
): Promise<PostWarningsResult> {
  const result: PostWarningsResult = { posted: 0, failed: 0 };
  // Pages in id order, so a warning that failed in this run is not tried again until the next.
  let after: string | undefined;
  for (;;) {
    const page = await deps.prisma.churnWarning.findMany({
      where: { status: "pending", ...(after ? { id: { gt: after } } : {}) },
      orderBy: { id: "asc" },
      select: { id: true },
      take: PAGE,
    });
    if (page.length === 0) break;
    after = page.at(-1)?.id;
    for (const { id } of page) {
      if (!(await claim(deps, id, deps.now()))) continue;
      try {
        if (await postOne(deps, input, id)) result.posted += 1;
        else result.failed += 1;
      } catch (error) {
        result.failed += 1;
        deps.logger.error({ warningId: id, err: error }, "posting a churn warning failed");
        await release(deps, id, "internal").catch(() => {});
      }
    }
  }
  if (result.posted + result.failed > 0) deps.logger.info(result, "churn warnings posted");
  return result;
}
