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
