// app_home_opened (Home tab): publishes the user's Home, first page of every section.
import type { App, webApi } from "@slack/bolt";
import { z } from "zod";
import type { HomePages } from "../../../domain/home.ts";
import { userMessageOf } from "../../../errors.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import { getHome } from "../../../services/home/get-home.ts";
import { buildHome, buildHomeError } from "../../views/home.ts";

const ZHomeOpened = z.object({ user: z.string().min(1), tab: z.string().optional() });

/**
 * Loads and publishes one user's Home (also after a paging click or a follow-up done). On failure the
 * user sees why on the tab itself, and the error goes on to the caller.
 */
export async function publishHome(
  deps: ServiceDeps,
  client: webApi.WebClient,
  userId: string,
  pages?: Partial<HomePages>,
): Promise<void> {
  let view: ReturnType<typeof buildHome>;
  try {
    view = buildHome(await getHome(deps, { userId, ...(pages ? { pages } : {}) }));
  } catch (error) {
    await client.views.publish({ user_id: userId, view: buildHomeError(userMessageOf(error)) });
    throw error;
  }
  await client.views.publish({ user_id: userId, view });
}

export function register(app: App, deps: ServiceDeps): void {
  app.event("app_home_opened", async ({ event, client }) => {
    const { user, tab } = ZHomeOpened.parse(event);
    // The Messages tab opens this event too; only the Home tab is ours to draw.
    if (tab !== undefined && tab !== "home") return;
    await publishHome(deps, client, user);
  });
}
