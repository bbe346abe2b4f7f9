// Acknowledge or snooze a posted churn warning (who and when), then show it updated in place.
import type { SnoozeDays } from "../../domain/risk/warnings.ts";
import type { ServiceDeps } from "../deps.ts";
import { getWarning } from "./get-warning.ts";
import type { WarningRenderer, WarningSlackClient } from "./post-pending-warnings.ts";

const MS_PER_DAY = 86_400_000;

export type WarningResponse = { kind: "acknowledge" } | { kind: "snooze"; days: SnoozeDays };

/** Records the response; false when the warning was not posted yet (nothing to respond to). */
export async function respondToWarning(
  deps: ServiceDeps,
  input: { warningId: string; actorSlackId: string; response: WarningResponse },
): Promise<boolean> {
  const now = deps.now();
  const responded = { not: "pending" } as const;
  const { count } =
    input.response.kind === "acknowledge"
      ? await deps.prisma.churnWarning.updateMany({
          where: { id: input.warningId, status: responded },
          data: {
            status: "acknowledged",
            acknowledgedBy: input.actorSlackId,
            acknowledgedAt: now,
            updatedAt: now,
          },
        })
      : await deps.prisma.churnWarning.updateMany({
          where: { id: input.warningId, status: responded },
          data: {
            status: "snoozed",
            snoozedBy: input.actorSlackId,
            snoozedUntil: new Date(now.getTime() + input.response.days * MS_PER_DAY),
            updatedAt: now,
          },
        });
  return count === 1;
}

/** Re-renders the warning's message; false when it has none or Slack refused (the change stands). */
export async function refreshWarningMessage(
  deps: ServiceDeps,
  input: { slack: WarningSlackClient; warningId: string; render: WarningRenderer },
): Promise<boolean> {
  const warning = await getWarning(deps, input.warningId);
  if (!warning.channelId || !warning.messageTs) return false;
  try {
    await input.slack.chat.update({
      channel: warning.channelId,
      ts: warning.messageTs,
      ...input.render(warning),
    });
    return true;
  } catch (error) {
    deps.logger.warn({ warningId: warning.id, err: error }, "updating a churn warning message failed");
    return false;
  }
}
