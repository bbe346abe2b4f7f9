// Escalates high and critical churn warnings left unanswered too long to the managers' channel, each once.
import type { webApi } from "@slack/bolt";
import type { Band } from "../../domain/risk/score.ts";
import type { SlackMessage } from "../../slack/views/account-card.ts";
import { slackErrorCode } from "../complaints/complaint-message.ts";
import type { ServiceDeps } from "../deps.ts";
import { getWarning } from "./get-warning.ts";

const MS_PER_DAY = 86_400_000;
/** A claim older than this belongs to a run that died (longer than the client's 429 retries). */
const CLAIM_LEASE_MS = 60 * 60 * 1000;
/** Reasons an escalation shows; the original warning has them all. */
const TOP_REASONS = 3;

export type EscalationSlackClient = {
  chat: Pick<webApi.WebClient["chat"], "postMessage" | "getPermalink">;
};

/** What an escalation message shows. */
export type EscalationDetails = {
  warningId: string;
  account: { id: string; name: string; externalId: string };
  band: Band;
  risk: number;
  /** Whole days since the warning was posted. */
  ageDays: number;
  ownerSlackId: string | null;
  /** Link to the original warning; null when Slack would not give one. */
  permalink: string | null;
  reasons: { text: string; strong: boolean }[];
};

export type EscalateInput = {
  slack: EscalationSlackClient;
  managersChannel: string;
  escalateAfterDays: number;
  render: (details: EscalationDetails) => SlackMessage;
};

export type EscalateResult = { escalated: number; failed: number };

/** Still unanswered: posted, or snoozed with the snooze run out (neither acknowledged). */
const UNANSWERED = "(status = 'posted' OR (status = 'snoozed' AND snoozed_until <= $2))";

/**
 * Takes the warning for this run, only if it is still unanswered, not escalated, and nobody else
 * holds a live claim: two runs or instances escalate it once, and a run that died mid-way (claim
 * taken, nothing posted) is taken over after the lease instead of losing the escalation.
 */
async function claim(deps: ServiceDeps, id: string, now: Date): Promise<boolean> {
  const { rowCount } = await deps.pool.query(
    `UPDATE churn_warning SET escalation_claimed_at = $2, updated_at = $2
      WHERE id = $1 AND ${UNANSWERED} AND escalated_at IS NULL
        AND (escalation_claimed_at IS NULL OR escalation_claimed_at < $3)`,
    [id, now, new Date(now.getTime() - CLAIM_LEASE_MS)],
  );
  return rowCount === 1;
}

/** Marks the escalation posted (the claim is done with). */
async function markEscalated(deps: ServiceDeps, id: string, claimedAt: Date): Promise<void> {
  await deps.pool.query(
    `UPDATE churn_warning SET escalated_at = $3, escalation_claimed_at = NULL, updated_at = $3
      WHERE id = $1 AND escalation_claimed_at = $2`,
    [id, claimedAt, deps.now()],
  );
}

/** Gives the claim back after a failed post, so the next run tries again. */
async function unclaim(deps: ServiceDeps, id: string, claimedAt: Date): Promise<void> {
  await deps.pool.query(
    `UPDATE churn_warning SET escalation_claimed_at = NULL, updated_at = $3
      WHERE id = $1 AND escalation_claimed_at = $2`,
    [id, claimedAt, deps.now()],
  );
}

async function permalinkOf(
  deps: ServiceDeps,
  slack: EscalationSlackClient,
  channel: string | null,
  ts: string | null,
): Promise<string | null> {
  if (!channel || !ts) return null;
  try {
    const response = await slack.chat.getPermalink({ channel, message_ts: ts });
    return response.permalink ?? null;
  } catch (error) {
    deps.logger.warn({ channel, slackError: slackErrorCode(error) }, "no permalink for a churn warning");
    return null;
  }
}

/**
 * Posts every high or critical warning left unanswered for more than `escalateAfterDays` to the
 * managers' channel, once: counted from its post, or from the end of its snooze when a snooze ran
 * out without an answer. A failed post un-claims it.
 */
export async function escalateWarnings(deps: ServiceDeps, input: EscalateInput): Promise<EscalateResult> {
  const now = deps.now();
  const cutoff = new Date(now.getTime() - input.escalateAfterDays * MS_PER_DAY);
  const due = await deps.prisma.churnWarning.findMany({
    where: {
      escalatedAt: null,
      band: { in: ["high", "critical"] },
      OR: [
        { status: "posted", postedAt: { lt: cutoff } },
        { status: "snoozed", snoozedUntil: { lt: cutoff } },
      ],
    },
    orderBy: [{ postedAt: "asc" }, { id: "asc" }],
    select: { id: true },
  });
  const result: EscalateResult = { escalated: 0, failed: 0 };
  for (const { id } of due) {
    const claimedAt = deps.now();
    if (!(await claim(deps, id, claimedAt))) continue;
    try {
      // Posted in the managers' channel: the reasons keep their margin figures.
      const warning = await getWarning(deps, id, "managers");
      const owner = await deps.prisma.account.findUnique({
        where: { id: warning.account.id },
        select: { ownerSlackId: true },
      });
      const posted = await deps.prisma.churnWarning.findUnique({ where: { id }, select: { postedAt: true } });
      const postedAt = posted?.postedAt ?? now;
      const details: EscalationDetails = {
        warningId: id,
        account: warning.account,
        band: warning.band,
        risk: warning.risk,
        ageDays: Math.floor((now.getTime() - postedAt.getTime()) / MS_PER_DAY),
        ownerSlackId: owner?.ownerSlackId ?? null,
        permalink: await permalinkOf(deps, input.slack, warning.channelId, warning.messageTs),
        reasons: warning.reasons.slice(0, TOP_REASONS).map(({ text, strong }) => ({ text, strong })),
      };
      await input.slack.chat.postMessage({ channel: input.managersChannel, ...input.render(details) });
      await markEscalated(deps, id, claimedAt);
      result.escalated += 1;
    } catch (error) {
      result.failed += 1;
      deps.logger.error(
        { warningId: id, slackError: slackErrorCode(error), err: error },
        "escalating a churn warning failed: it is tried again on the next run",
      );
      await unclaim(deps, id, claimedAt).catch(() => {});
    }
  }
  if (result.escalated + result.failed > 0) deps.logger.info(result, "churn warnings escalated");
  return result;
}
