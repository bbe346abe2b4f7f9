// A Slack user's time zone (users.info `tz`), cached in SlackUser and refreshed once a day; unknown:
// the configured TIME_ZONE, so a reminder is never lost for want of a zone.
import type { webApi } from "@slack/bolt";
import { isTimeZone } from "../../domain/trends.ts";
import type { ServiceDeps } from "../deps.ts";

const REFRESH_MS = 24 * 60 * 60 * 1000;

export type SlackUserInfo = { timeZone: string; deleted: boolean };

/**
 * The user's zone and whether Slack says they are deactivated. Read from the cache when fetched within
 * the last day; otherwise asked of Slack and cached. When Slack cannot answer, the cached zone (however
 * old) or TIME_ZONE is used and the cache is left as it was, so the next run asks again.
 */
export async function slackUserInfo(
  deps: Pick<ServiceDeps, "prisma" | "logger" | "timeZone"> & { slack: Pick<webApi.WebClient, "users"> },
  slackId: string,
  now: Date,
): Promise<SlackUserInfo> {
  const cached = await deps.prisma.slackUser.findUnique({ where: { slackId } });
  const usable = (zone: string | null | undefined) => (zone && isTimeZone(zone) ? zone : deps.timeZone);
  if (cached && now.getTime() - cached.fetchedAt.getTime() < REFRESH_MS) {
    return { timeZone: usable(cached.timeZone), deleted: cached.deleted };
  }
  try {
    const answer = await deps.slack.users.info({ user: slackId });
    const zone = answer.user?.tz && isTimeZone(answer.user.tz) ? answer.user.tz : null;
    const deleted = answer.user?.deleted === true;
    await deps.prisma.slackUser.upsert({
      where: { slackId },
      create: { slackId, timeZone: zone, deleted, fetchedAt: now },
      update: { timeZone: zone, deleted, fetchedAt: now },
    });
    return { timeZone: usable(zone), deleted };
  } catch (error) {
    deps.logger.warn({ err: error, user: slackId }, "could not read the user's time zone from Slack");
    return { timeZone: usable(cached?.timeZone), deleted: cached?.deleted ?? false };
  }
}

/**
 * What Slack reported of a user in a `user_change` event: their zone and whether they are deactivated,
 * cached as if just fetched (a changed zone or a deactivation counts from now, not from tomorrow).
 */
export async function rememberSlackUser(
  deps: Pick<ServiceDeps, "prisma">,
  user: { slackId: string; timeZone: string | null; deleted: boolean },
  now: Date,
): Promise<void> {
  const timeZone = user.timeZone && isTimeZone(user.timeZone) ? user.timeZone : null;
  await deps.prisma.slackUser.upsert({
    where: { slackId: user.slackId },
    create: { slackId: user.slackId, timeZone, deleted: user.deleted, fetchedAt: now },
    update: { timeZone, deleted: user.deleted, fetchedAt: now },
  });
}

/** The hour (0–23) of an instant on the clock of `timeZone`. */
export function localHour(instant: Date, timeZone: string): number {
  const hour = new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", hourCycle: "h23" })
    .formatToParts(instant)
    .find((part) => part.type === "hour")?.value;
  return Number(hour) % 24;
}
