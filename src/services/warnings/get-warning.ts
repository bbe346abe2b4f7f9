// Reads one churn warning as its message shows it: in an account's channel (or WARNINGS_CHANNEL), margin
// and profit figures only while roles are off (§7); in the managers' channel, everything.
import { z } from "zod";
import { withoutMarginFigures } from "../../domain/account-card.ts";
import { verdictLabel } from "../../domain/risk/judgments.ts";
import type { WarningDetails } from "../../domain/risk/warnings.ts";
import { calendarDay } from "../../domain/trends.ts";
import { AppError } from "../../errors.ts";
import type { ServiceDeps } from "../deps.ts";

// Stored JSON is ours, but a row written by an older version must not crash a render.
const ZReasons = z.array(z.object({ code: z.string(), text: z.string(), strong: z.boolean().catch(false) }));
const ZActions = z.array(z.object({ action: z.string(), text: z.string() }));

export type WarningRecord = WarningDetails & {
  channelId: string | null;
  messageTs: string | null;
  accountChannelId: string | null;
};

/** Who reads the warning: a channel's audience (the warning itself) or the managers (its escalation). */
export type WarningAudience = "channel" | "managers";

export async function getWarning(
  deps: ServiceDeps,
  warningId: string,
  audience: WarningAudience = "channel",
): Promise<WarningRecord> {
  const row = await deps.prisma.churnWarning.findUnique({
    where: { id: warningId },
    include: { account: { select: { id: true, name: true, externalId: true, channelId: true } } },
  });
  if (!row) throw new AppError("not_found", "That warning no longer exists.");
  const exitCase = await deps.prisma.exitCase.findFirst({
    where: { warningId: row.id },
    orderBy: { createdAt: "desc" },
    select: { startedBy: true, createdAt: true, channelId: true },
  });
  const reasons = ZReasons.catch([]).parse(row.reasons);
  // The fight-hard headline quotes the expected profit; its label says the same without the figure.
  const marginHidden = audience === "channel" && deps.roles.configured;
  return {
    id: row.id,
    account: { id: row.account.id, name: row.account.name, externalId: row.account.externalId },
    accountChannelId: row.account.channelId,
    asOf: row.asOf.toISOString().slice(0, 10),
    risk: row.risk,
    band: row.band,
    previousBand: row.previousBand,
    newSignalCodes: row.newSignalCodes,
    reasons: marginHidden ? reasons.map(withoutMarginFigures) : reasons,
    verdict: row.verdict,
    verdictHeadline:
      marginHidden && row.verdict === "fight_hard" ? verdictLabel.fight_hard : row.verdictHeadline,
    actions: ZActions.catch([]).parse(row.actions),
    status: row.status,
    acknowledgedBy: row.acknowledgedBy,
    acknowledgedAt: row.acknowledgedAt,
    snoozedBy: row.snoozedBy,
    snoozedUntil: row.snoozedUntil,
    misrouted:
      row.intendedChannelId && row.misrouteError
        ? { intendedChannelId: row.intendedChannelId, error: row.misrouteError }
        : null,
    exitStarted: exitCase
      ? {
          startedBy: exitCase.startedBy,
          startedOn: calendarDay(exitCase.createdAt, deps.timeZone),
          channelId: exitCase.channelId,
        }
      : null,
    channelId: row.channelId,
    messageTs: row.messageTs,
  };
}
