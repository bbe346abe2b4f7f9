// A rep leaves (Slack deactivated them, or a manager recorded it): §3 "our rep leaving" is a sign on each
// account they hold, and the managers are told once which accounts are at stake, most first, and how to
// hand them over. Every step is idempotent, so a retried event or the event after the command adds
// nothing. Nothing is deleted and the accounts keep their owner until a manager hands them over.
import type { webApi } from "@slack/bolt";
import { type AccountAtStake, rankAccountsAtStake } from "../../domain/ownership.ts";
import { calendarDay } from "../../domain/trends.ts";
import type { RepDepartureSource } from "../../generated/prisma/client.ts";
import { buildRepDepartureAlert } from "../../slack/views/rep-departure.ts";
import { dateOf } from "../calendar-days.ts";
import type { ServiceDeps } from "../deps.ts";

export type DepartureDeps = ServiceDeps & { slack: Pick<webApi.WebClient, "chat"> };

export type RepDepartureInput = {
  repId: string;
  source: RepDepartureSource;
  /** The manager who recorded it; null for a deactivation reported by Slack. */
  recordedBy: string | null;
};

export type DepartureAccount = AccountAtStake & { externalId: string };

export type RepDepartureResult = {
  /** False when this rep's departure was recorded before (by the event or the command). */
  newDeparture: boolean;
  departure: { source: RepDepartureSource; recordedBy: string | null; recordedOn: string };
  /** The accounts the rep still owns (not lost or blacklisted), most at stake first. */
  accounts: DepartureAccount[];
  signsCreated: number;
  /** Where the managers were told now; "already" when an earlier run told them. */
  alert: "channel" | "managers" | "nobody" | "already" | "failed" | "no_accounts";
};

const SYSTEM_AUTHOR = "churnwatch";

/** A sign's dedupe key: one "our rep leaving" sign per rep and account. */
export function repLeavingKey(repId: string, accountId: string): string {
  return `rep_leaving:${repId}:${accountId}`;
}

async function accountsAtStake(deps: ServiceDeps, repId: string): Promise<DepartureAccount[]> {
  const accounts = await deps.prisma.account.findMany({
    where: { ownerSlackId: repId, status: { notIn: ["lost", "blacklisted"] } },
    select: { id: true, name: true, externalId: true },
  });
  if (accounts.length === 0) return [];
  const ids = accounts.map((account) => account.id);
  const now = deps.now();
  const since = new Date(now.getTime() - 365 * 86_400_000);
  const [revenue, risk] = await Promise.all([
    deps.pool.query<{ account_id: string; currency: string; revenue: string }>(
      `SELECT account_id, currency, SUM(amount)::text AS revenue
         FROM "order" WHERE account_id = ANY($1::uuid[]) AND ordered_at >= $2 AND ordered_at <= $3
        GROUP BY account_id, currency`,
      [ids, since, now],
    ),
    deps.pool.query<{ account_id: string; band: "low" | "medium" | "high" | "critical"; risk: number }>(
      `SELECT DISTINCT ON (account_id) account_id, band::text AS band, risk
         FROM risk_assessment WHERE account_id = ANY($1::uuid[])
        ORDER BY account_id, as_of DESC, created_at DESC`,
      [ids],
    ),
  ]);
  // Each account's main currency: the one with the most order value (a net refund is no revenue).
  const main = new Map<string, { currency: string; revenue: bigint }>();
  for (const row of revenue.rows) {
    const value = BigInt(row.revenue);
    const best = main.get(row.account_id);
    if (!best || value > best.revenue)
      main.set(row.account_id, { currency: row.currency.trim(), revenue: value });
  }
  const riskOf = new Map(risk.rows.map((row) => [row.account_id, { band: row.band, risk: row.risk }]));
  return rankAccountsAtStake(
    accounts.map((account) => {
      const money = main.get(account.id);
      return {
        accountId: account.id,
        name: account.name,
        externalId: account.externalId,
        revenue12m: money && money.revenue > 0n ? money.revenue : 0n,
        currency: money?.currency ?? null,
        risk: riskOf.get(account.id) ?? null,
      };
    }),
  );
}

async function alertManagers(
  deps: DepartureDeps,
  message: { text: string; blocks: unknown[] },
): Promise<"channel" | "managers" | "nobody"> {
  const post = (channel: string) =>
    deps.slack.chat.postMessage({
      channel,
      text: message.text,
      blocks: message.blocks as webApi.KnownBlock[],
    });
  if (deps.channels.managers) {
    await post(deps.channels.managers);
    return "channel";
  }
  const managers = await deps.roles.managerIds();
  if (managers.length === 0) return "nobody";
  // Each manager on their own: one who cannot be reached does not keep the others from hearing.
  const sent = await Promise.allSettled(managers.map((id) => post(id)));
  const failed = sent.filter((s) => s.status === "rejected");
  if (failed.length === managers.length) throw (failed[0] as PromiseRejectedResult).reason;
  for (const f of failed)
    deps.logger.error(
      { err: (f as PromiseRejectedResult).reason },
      "rep departure alert to a manager failed",
    );
  return "managers";
}

export async function recordRepDeparture(
  deps: DepartureDeps,
  input: RepDepartureInput,
): Promise<RepDepartureResult> {
  const now = deps.now();
  const today = calendarDay(now, deps.timeZone);
  const inserted = await deps.prisma.repDeparture.createMany({
    data: [{ slackId: input.repId, source: input.source, recordedBy: input.recordedBy, recordedAt: now }],
    skipDuplicates: true,
  });
  const departure = await deps.prisma.repDeparture.findUniqueOrThrow({ where: { slackId: input.repId } });
  const accounts = await accountsAtStake(deps, input.repId);

  const why =
    departure.source === "deactivated"
      ? "their Slack account was deactivated"
      : `recorded by <@${departure.recordedBy ?? ""}>`;
  const signs = await deps.prisma.warningSign.createMany({
    data: accounts.map((account) => ({
      accountId: account.accountId,
      kind: "rep_leaving" as const,
      observedOn: dateOf(calendarDay(departure.recordedAt, deps.timeZone)),
      details: `Our rep <@${input.repId}> is leaving (${why}). Hand the account over to a new owner.`,
      submissionKey: repLeavingKey(input.repId, account.accountId),
      createdBy: departure.recordedBy ?? SYSTEM_AUTHOR,
    })),
    skipDuplicates: true,
  });

  const result = {
    newDeparture: inserted.count === 1,
    departure: {
      source: departure.source,
      recordedBy: departure.recordedBy,
      recordedOn: calendarDay(departure.recordedAt, deps.timeZone),
    },
    accounts,
    signsCreated: signs.count,
  };
  if (accounts.length === 0) return { ...result, alert: "no_accounts" };

  // Claim the alert: of two deliveries at once only one sees alerted_at still empty.
  const claim = await deps.prisma.repDeparture.updateMany({
    where: { slackId: input.repId, alertedAt: null },
    data: { alertedAt: now },
  });
  if (claim.count === 0) return { ...result, alert: "already" };
  try {
    const where = await alertManagers(
      deps,
      buildRepDepartureAlert({ repId: input.repId, ...result.departure, accounts, today }),
    );
    if (where === "nobody")
      deps.logger.warn(
        { rep: input.repId, accounts: accounts.length },
        "a rep is leaving but no managers are configured and MANAGERS_CHANNEL is unset: nobody was alerted",
      );
    deps.logger.info({ rep: input.repId, accounts: accounts.length, alert: where }, "rep departure recorded");
    return { ...result, alert: where };
  } catch (error) {
    // Release the claim so the next delivery (an event retry, the command) tries again.
    await deps.prisma.repDeparture.update({ where: { slackId: input.repId }, data: { alertedAt: null } });
    deps.logger.error({ err: error, rep: input.repId }, "rep departure alert failed");
    return { ...result, alert: "failed" };
  }
}

/** Departures whose managers' alert has not gone out (it failed): tried again, oldest first. */
export const ALERT_RETRIES_PER_RUN = 50;

export async function retryRepDepartureAlerts(
  deps: DepartureDeps,
): Promise<{ retried: number; alerted: number }> {
  const pending = await deps.prisma.repDeparture.findMany({
    where: { alertedAt: null },
    orderBy: { recordedAt: "asc" },
    take: ALERT_RETRIES_PER_RUN,
  });
  let alerted = 0;
  for (const departure of pending) {
    const result = await recordRepDeparture(deps, {
      repId: departure.slackId,
      source: departure.source,
      recordedBy: departure.recordedBy,
    });
    if (result.alert === "channel" || result.alert === "managers") alerted += 1;
  }
  return { retried: pending.length, alerted };
}
