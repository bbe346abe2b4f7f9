// Safe mrkdwn: user text is escaped (no accidental mentions or links) and cut to Slack's limits for display.

/** Slack's control characters; escaping them also neutralises <!channel> and <@U…> typed by users. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** Cuts for display only (stored text stays whole), on a code-point boundary, with an ellipsis. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, Math.max(0, max - 1)).join("")}…`;
}

export function userMention(slackUserId: string | null): string {
  return slackUserId ? `<@${slackUserId}>` : "no owner";
}

export function channelMention(channelId: string | null): string {
  return channelId ? `<#${channelId}>` : "no channel";
}

export function plural(count: number, word: string): string {
  return `${count.toLocaleString("en-US")} ${word}${count === 1 ? "" : "s"}`;
}

/** Slack's limit for a section's text. */
export const SECTION_TEXT_MAX = 3000;

/** Free text on one line (summaries and details may hold line breaks), cut for display. */
export function oneLine(text: string, max: number): string {
  return truncate(text.replace(/\s+/g, " ").trim(), max);
}

/**
 * A heading and whole lines within one section's text limit: lines that do not fit are counted into
 * `more` (with those the caller already left out) instead of being cut mid-way, which could break a
 * mention or an escape. Lengths in UTF-16 units, as Slack counts them.
 */
export function linesWithin(
  heading: string,
  lines: readonly string[],
  notShown: number,
  more: (count: number) => string,
  max = SECTION_TEXT_MAX,
): string {
  // Room for the "…and N more" line however many are left out.
  const reserve = more(notShown + lines.length).length + 1;
  let text = heading;
  let shown = 0;
  for (const line of lines) {
    if (text.length + 1 + line.length + reserve > max) break;
    text += `\n${line}`;
    shown += 1;
  }
  const left = notShown + lines.length - shown;
  return left > 0 ? `${text}\n${more(left)}` : text;
}
