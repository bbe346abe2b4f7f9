// Log outreach submitted: wrong fields are marked in the form; else saved once, the case message
// refreshed and the outreach posted in its thread.
import type { App, ViewSubmitAction } from "@slack/bolt";
import { isAppError, userMessageOf } from "../../../errors.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import { refreshExitCase } from "../../../services/exit/exit-message.ts";
import { type LogOutreachResult, logOutreach } from "../../../services/exit/log-outreach.ts";
import { ids } from "../../ids.ts";
import { exitRenderers } from "../../views/exit-case.ts";
import {
  type OutreachMetadata,
  outreachBlock,
  outreachErrorBlock,
  parseOutreachMetadata,
  readOutreachState,
} from "../../views/exit-outreach-modal.ts";

export function register(app: App, deps: ServiceDeps): void {
  app.view<ViewSubmitAction>(ids.view.exitOutreach, async ({ ack, body, view, client }) => {
    const refuse = (errors: Record<string, string>) => ack({ response_action: "errors", errors });
    let metadata: OutreachMetadata;
    try {
      metadata = parseOutreachMetadata(view.private_metadata);
    } catch {
      await refuse({ [outreachBlock.outcome]: "This form is out of date: close it and open it again." });
      return;
    }
    const read = readOutreachState(view.state.values);
    if (!read.ok) {
      await refuse(read.errors);
      return;
    }
    let result: LogOutreachResult;
    try {
      result = await logOutreach(deps, {
        caseId: metadata.caseId,
        task: metadata.task,
        draft: read.draft,
        actorSlackId: body.user.id,
        submissionKey: view.id,
      });
    } catch (error) {
      if (!isAppError(error)) deps.logger.error({ err: error, viewId: view.id }, "logging outreach failed");
      await refuse({ [outreachBlock.outcome]: userMessageOf(error) });
      return;
    }
    if (!result.ok) {
      await refuse(
        Object.fromEntries(
          Object.entries(result.errors).map(([field, message]) => [
            outreachErrorBlock[field as keyof typeof outreachErrorBlock],
            message,
          ]),
        ),
      );
      return;
    }
    await ack();
    if (!result.created || result.updates.length === 0) return;
    await refreshExitCase(deps, {
      slack: client,
      caseId: metadata.caseId,
      update: { actorSlackId: body.user.id, text: result.updates.join(" · ") },
      render: exitRenderers,
    }).catch((error: unknown) =>
      deps.logger.error({ err: error, caseId: metadata.caseId }, "refreshing an exit case failed"),
    );
  });
}
