// Tasks 2 and 3, "Customers at risk": the accounts at domino risk of the leaving one, shown only to the clicker.
import type { App, BlockButtonAction } from "@slack/bolt";
import { isAppError, userMessageOf } from "../../../errors.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import { findDominoRisk } from "../../../services/exit/domino-risk.ts";
import { ids } from "../../ids.ts";
import { ZCaseTaskValue } from "../../views/exit-case.ts";
import { buildDominoList, DOMINO_SHOWN } from "../../views/exit-domino.ts";
import { parseButtonValue, replyToClicker } from "./clicker.ts";

export function register(app: App, deps: ServiceDeps): void {
  app.action<BlockButtonAction>(ids.action.exitDomino, async (args) => {
    await args.ack();
    const reply = replyToClicker(args);
    try {
      const { caseId, task } = parseButtonValue(ZCaseTaskValue, args.action.value, true);
      const list = await findDominoRisk(deps, { caseId, limit: DOMINO_SHOWN });
      await reply(buildDominoList(list, task));
    } catch (error) {
      if (!isAppError(error)) deps.logger.error({ err: error }, "listing customers at domino risk failed");
      await reply({ text: userMessageOf(error) }).catch((err: unknown) =>
        deps.logger.error({ err }, "could not tell the user the domino list failed"),
      );
    }
  });
}
