// user_change: the user's time zone and state are remembered (owner reminders go out in it); when
// Slack reports a user deactivated (deleted: true), their departure is recorded once, their accounts
// get the "our rep leaving" sign and the managers are alerted. Retries add nothing.
import type { App } from "@slack/bolt";
import { z } from "zod";
import type { ServiceDeps } from "../../../services/deps.ts";
import { rememberSlackUser } from "../../../services/key-care/owner-time-zone.ts";
import { recordRepDeparture } from "../../../services/ownership/record-rep-departure.ts";

const ZUserChange = z.object({
  user: z.object({
    id: z.string().min(1),
    deleted: z.boolean().optional(),
    is_bot: z.boolean().optional(),
    tz: z.string().nullish(),
  }),
});

export function register(app: App, deps: ServiceDeps): void {
  app.event("user_change", async ({ event, client }) => {
    const parsed = ZUserChange.safeParse(event);
    if (!parsed.success) {
      deps.logger.warn({ issues: parsed.error.issues.length }, "user_change without a user: ignored");
      return;
    }
    const { user } = parsed.data;
    if (user.is_bot === true) return;
    await rememberSlackUser(
      deps,
      { slackId: user.id, timeZone: user.tz ?? null, deleted: user.deleted === true },
      deps.now(),
    );
    if (user.deleted !== true) return;
    await recordRepDeparture(
      { ...deps, slack: client },
      { repId: user.id, source: "deactivated", recordedBy: null },
    );
  });
}
