// Lines about the retrospective: in the case's thread (where the retrospective is) and in the
// retrospective's own thread (the saved lessons and corrective actions).
import type { types } from "@slack/bolt";
import { churnReasonLabel } from "../../domain/exit.ts";
import type { ExitRenderers } from "../../services/exit/exit-message.ts";
import type { RetroRenderers, RetroWhere } from "../../services/retro/open-retrospective.ts";
import type { RetroSummaryRenderers, SavedRetroSummary } from "../../services/retro/save-retro-summary.ts";
import type { SlackMessage } from "./account-card.ts";
import { buildExitCaseMessage, buildExitUpdate } from "./exit-case.ts";
import { channelMention, escapeMrkdwn, oneLine, userMention } from "./mrkdwn.ts";
import { buildRetroCaseFile, buildRetroPrompts } from "./retro-case-file.ts";

type KnownBlock = types.KnownBlock;

const mrkdwn = (text: string): KnownBlock => ({ type: "section", text: { type: "mrkdwn", text } });

/** Where the retrospective is, as a link when Slack gave one. */
export function retroLink(where: Pick<RetroWhere, "channelId" | "permalink">, label: string): string {
  return where.permalink
    ? `<${where.permalink}|${label}> in ${channelMention(where.channelId)}`
    : `in ${channelMention(where.channelId)}`;
}

/** The case thread's line when the retrospective opens: the update, then a link to its thread. */
export function buildRetroOpenedUpdate(
  actorSlackId: string,
  update: string,
  where: RetroWhere,
): SlackMessage {
  const line = buildExitUpdate(actorSlackId, update);
  return {
    text: line.text,
    blocks: [
      ...line.blocks,
      {
        type: "context",
        elements: [{ type: "mrkdwn", text: `:mag: ${retroLink(where, "Go to the retrospective")}` }],
      },
    ],
  };
}

/**
 * The saved summary in the retrospective's thread. Lessons go in plain-text sections (no escaping,
 * so a 1,000-character lesson fits whole); each action in its own section.
 */
export function buildRetroSummarySaved(saved: SavedRetroSummary, actorSlackId: string): SlackMessage {
  const head = [`:memo: *Retrospective summarized* by ${userMention(actorSlackId)}`];
  if (saved.reason) head.push(`*Reason:* ${churnReasonLabel[saved.reason]}`);
  if (saved.deepReason) head.push(`*Deep reason:* ${escapeMrkdwn(oneLine(saved.deepReason, 500))}`);
  head.push(`*Lessons for every rep* (find them later with \`/customer lessons\`)`);
  const blocks: KnownBlock[] = [
    mrkdwn(head.join("\n")),
    ...saved.lessons.map(
      (lesson, i): KnownBlock => ({
        type: "section",
        text: { type: "plain_text", text: `${i + 1}. ${lesson}` },
      }),
    ),
  ];
  if (saved.actions.length > 0) {
    blocks.push(mrkdwn("*Corrective actions* (owners are reminded when due)"));
    for (const action of saved.actions)
      blocks.push(
        mrkdwn(
          `• ${escapeMrkdwn(oneLine(action.description, 500))} — ${userMention(action.ownerSlackId)}, due ${action.dueOn}`,
        ),
      );
  }
  if (saved.caseLost)
    blocks.push(
      mrkdwn(
        `Every exit task is finished: ${escapeMrkdwn(oneLine(saved.accountName, 200))} is recorded as lost.`,
      ),
    );
  return {
    text: `Retrospective summarized: ${saved.lessons.length} lessons, ${saved.actions.length} corrective actions`,
    blocks,
  };
}

const exitCaseRenderers: ExitRenderers = { message: buildExitCaseMessage, update: buildExitUpdate };

/** What opening a retrospective posts. */
export const retroRenderers: RetroRenderers = {
  caseFile: buildRetroCaseFile,
  prompts: buildRetroPrompts,
  exit: exitCaseRenderers,
  opened: buildRetroOpenedUpdate,
};

/** What saving a summary posts. */
export const retroSummaryRenderers: RetroSummaryRenderers = {
  exit: exitCaseRenderers,
  saved: buildRetroSummarySaved,
};
