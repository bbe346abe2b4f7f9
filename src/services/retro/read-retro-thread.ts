// Reads what people answered in a retrospective's thread (conversations.replies, page by page):
// the bot's own messages (the case file, the questions) and system messages are left out.
import type { webApi } from "@slack/bolt";
import { z } from "zod";

export type ThreadSlackClient = { conversations: Pick<webApi.WebClient["conversations"], "replies"> };

export type ThreadReply = { user: string; text: string; ts: string };

export type RetroThread = {
  replies: ThreadReply[];
  /** Slack user ids of everyone who answered, in order of their first reply. */
  participants: string[];
  /** True when the thread had more than MAX_THREAD_REPLIES answers: the latest were left out. */
  truncated: boolean;
};

// Messages as Slack returns them: people's replies have a user and no bot_id; a reply also sent to
// the channel is a "thread_broadcast", any other subtype is a system message (joins, bots).
const ZThreadMessage = z.object({
  ts: z.string(),
  user: z.string().optional(),
  text: z.string().optional(),
  bot_id: z.string().optional(),
  subtype: z.string().optional(),
});

const PAGE_SIZE = 200;
/** Answers read at most: a retrospective longer than this is summarized from its first ones. */
export const MAX_THREAD_REPLIES = 600;

export async function readRetroThread(
  slack: ThreadSlackClient,
  where: { channelId: string; ts: string },
): Promise<RetroThread> {
  const replies: ThreadReply[] = [];
  let cursor: string | undefined;
  let truncated = false;
  do {
    const page = await slack.conversations.replies({
      channel: where.channelId,
      ts: where.ts,
      limit: PAGE_SIZE,
      ...(cursor ? { cursor } : {}),
    });
    for (const raw of page.messages ?? []) {
      const parsed = ZThreadMessage.safeParse(raw);
      if (!parsed.success) continue;
      const message = parsed.data;
      // The parent (the bot's case file) may come again on every page.
      if (message.ts === where.ts || message.bot_id || !message.user) continue;
      if (message.subtype && message.subtype !== "thread_broadcast") continue;
      const text = message.text?.trim();
      if (!text) continue;
      if (replies.length >= MAX_THREAD_REPLIES) {
        truncated = true;
        break;
      }
      replies.push({ user: message.user, text, ts: message.ts });
    }
    cursor = page.has_more ? page.response_metadata?.next_cursor || undefined : undefined;
  } while (cursor && !truncated);
  return { replies, participants: [...new Set(replies.map((reply) => reply.user))], truncated };
}
