// "Blacklist…" / "Take off blacklist" on the card: managers get the modal, anyone else is told why not.
import type { App, BlockButtonAction } from "@slack/bolt";
import { assertMayBlacklist, blacklistForm } from "../../../services/accounts/blacklist.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import { ids } from "../../ids.ts";
import { buildBlacklistModal, ZBlacklistTarget } from "../../views/blacklist-modal.ts";
import { opener, parseButtonValue } from "./button-helpers.ts";

export function register(app: App, deps: ServiceDeps): void {
  app.action<BlockButtonAction>(
    ids.action.blacklist,
    opener(deps, "opening the blacklist modal", async ({ action, body, client }) => {
      const target = parseButtonValue(ZBlacklistTarget, action.value, "json");
      await assertMayBlacklist(deps, body.user.id);
      const form = await blacklistForm(deps, target);
      await client.views.open({
        trigger_id: body.trigger_id,
        view: buildBlacklistModal({ ...form, target }),
      });
    }),
  );
}
