// Home tab "Show more": publishes that section's next page (or the first again), keeping the others.
import type { App, BlockButtonAction } from "@slack/bolt";
import { z } from "zod";
import type { ServiceDeps } from "../../../services/deps.ts";
import { ids } from "../../ids.ts";
import { parseHomeMetadata, ZHomePageButton } from "../../views/home.ts";
import { publishHome } from "../events/app-home-opened.ts";

const ZPageButton = z.object({
  value: z
    .string()
    .transform((value, ctx) => {
      try {
        return JSON.parse(value) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: "not JSON" });
        return z.NEVER;
      }
    })
    .pipe(ZHomePageButton),
});

export function register(app: App, deps: ServiceDeps): void {
  app.action<BlockButtonAction>(ids.action.homePage, async ({ ack, action, body, client }) => {
    await ack();
    const { section, page } = ZPageButton.parse(action).value;
    // The pages the user sees now come from the view itself, so paging one section keeps the others.
    const pages = { ...parseHomeMetadata(body.view?.private_metadata), [section]: page };
    await publishHome(deps, client, body.user.id, pages);
  });
}
