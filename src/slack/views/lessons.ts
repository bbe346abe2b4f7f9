// `/customer lessons [words]`: the lessons found, each with its account, reason, date and a link
// back to its retrospective (or its case), and how many more there are.
import type { types } from "@slack/bolt";
import { churnReasonLabel } from "../../domain/exit.ts";
import type { LessonHit, LessonLink } from "../../services/retro/search-lessons.ts";
import type { SlackMessage } from "./account-card.ts";
import { escapeMrkdwn, oneLine, plural, truncate } from "./mrkdwn.ts";

type KnownBlock = types.KnownBlock;

export type LessonResult = LessonHit & { link: LessonLink | null };

const mrkdwn = (text: string): KnownBlock => ({ type: "section", text: { type: "mrkdwn", text } });

function metaLine(hit: LessonResult): string {
  const parts = [`*${escapeMrkdwn(oneLine(hit.accountName, 150))}*`];
  if (hit.segment) parts.push(escapeMrkdwn(oneLine(hit.segment, 80)));
  parts.push(hit.reason ? churnReasonLabel[hit.reason] : "reason not recorded");
  parts.push(hit.createdOn);
  if (hit.link)
    parts.push(`<${hit.link.url}|${hit.link.to === "retrospective" ? "the retrospective" : "the case"}>`);
  return parts.join(" · ");
}

export function buildLessonsResult(
  command: string,
  words: readonly string[],
  hits: readonly LessonResult[],
  total: number,
): SlackMessage {
  const typed = escapeMrkdwn(truncate(words.join(" "), 200));
  if (hits.length === 0) {
    const text =
      words.length === 0
        ? "No lessons yet. They are kept when a lost customer's retrospective is summarized (exit task 5)."
        : `No lessons match “${typed}”. Every word must match the lesson, the account's name or segment, or the churn reason: try fewer or other words, or \`${command} lessons\` for the latest.`;
    return {
      text: words.length === 0 ? "No lessons yet" : `No lessons match “${words.join(" ")}”`,
      blocks: [mrkdwn(text)],
    };
  }
  const heading =
    words.length === 0
      ? `:books: *The latest lessons from lost customers* (${plural(total, "lesson")} in all)`
      : `:books: *Lessons matching “${typed}”* — ${plural(total, "lesson")}`;
  const blocks: KnownBlock[] = [mrkdwn(heading)];
  for (const hit of hits) {
    blocks.push({ type: "divider" });
    // Plain text: the lesson is shown as written, whole (at most 1,000 characters).
    blocks.push({ type: "section", text: { type: "plain_text", text: truncate(hit.text, 2900) } });
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: metaLine(hit) }] });
  }
  const more = total - hits.length;
  if (more > 0)
    blocks.push({
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: `…and ${more.toLocaleString("en-US")} more — add words to narrow (\`${command} lessons price\`, \`${command} lessons poor_service retail\`).`,
        },
      ],
    });
  return { text: `${plural(total, "lesson")} found`, blocks };
}
