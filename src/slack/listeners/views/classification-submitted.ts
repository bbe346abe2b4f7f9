// Classification modal submitted: checked in the form (managers' fields, black-face reason), saved once,
// the account re-classified at once; a key account's class change is noted in its channel.
import type { App, ViewSubmitAction } from "@slack/bolt";
import { isAppError, userMessageOf } from "../../../errors.ts";
import { reclassifyAccount } from "../../../services/classification/classify-accounts.ts";
import {
  type SaveDesignationsResult,
  saveDesignations,
} from "../../../services/classification/designations.ts";
import { postClassNotes } from "../../../services/classification/post-class-notes.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import { ids } from "../../ids.ts";
import {
  buildClassNote,
  classBlock,
  parseClassificationMetadata,
  readClassificationState,
} from "../../views/classification.ts";
import { escapeMrkdwn, oneLine } from "../../views/mrkdwn.ts";

export function register(app: App, deps: ServiceDeps): void {
  app.view<ViewSubmitAction>(ids.view.classification, async ({ ack, body, view, client }) => {
    const refuse = (errors: Record<string, string>) => ack({ response_action: "errors", errors });
    let accountId: string;
    let version: string;
    try {
      ({ accountId, version } = parseClassificationMetadata(view.private_metadata));
    } catch {
      await refuse({ [classBlock.facts]: "This form is out of date: close it and open it again." });
      return;
    }
    let result: SaveDesignationsResult;
    try {
      result = await saveDesignations(deps, {
        accountId,
        userId: body.user.id,
        submissionKey: view.id,
        version,
        values: readClassificationState(view.state.values),
      });
    } catch (error) {
      if (!isAppError(error))
        deps.logger.error({ err: error, accountId }, "saving the classification failed");
      await refuse({ [classBlock.facts]: `${userMessageOf(error)} Nothing was saved.` });
      return;
    }
    if (!result.ok) {
      await refuse(
        Object.fromEntries(
          Object.entries(result.errors).map(([field, message]) => [
            classBlock[field as keyof typeof classBlock],
            message,
          ]),
        ),
      );
      return;
    }
    await ack();
    if (!result.changed) return;
    // After Slack's answer: re-classifying may wait for a running scan, or classify everyone at first.
    const reclassified = await reclassifyAccount(deps, accountId).catch((error: unknown) => {
      deps.logger.error({ err: error, accountId }, "re-classifying after a designation failed");
      return null;
    });
    const name = escapeMrkdwn(oneLine(result.accountName, 150));
    const outcome =
      reclassified === null
        ? "; its class will be brought up to date by the next scan."
        : reclassified
          ? ": its class changed, the card shows it now."
          : "; its class stays the same.";
    await client.chat
      .postMessage({ channel: body.user.id, text: `Classification of ${name} saved${outcome}` })
      .catch((error: unknown) => deps.logger.warn({ err: error }, "could not confirm a classification"));
    if (reclassified) {
      await postClassNotes(deps, { slack: client, render: buildClassNote, accountId }).catch(
        (error: unknown) =>
          deps.logger.error({ err: error, accountId }, "posting a class-change note failed"),
      );
    }
  });
}
