// The lessons library: lessons of every retrospective, found by words. Each word must match the
// lesson's text, the account's name or segment, or name the case's churn reason (code or label); no
// words lists the latest. Substring matching (ILIKE) works for any script, Chinese included.
import { type ChurnReason, churnReasons } from "../../domain/exit.ts";
import { reasonsMatching } from "../../domain/retrospective.ts";
import { calendarDay } from "../../domain/trends.ts";
import { Prisma } from "../../generated/prisma/client.ts";
import type { ServiceDeps } from "../deps.ts";
import { type RetroSlackClient, retroPermalink } from "./open-retrospective.ts";

export type LessonHit = {
  id: string;
  text: string;
  /** YYYY-MM-DD */
  createdOn: string;
  accountName: string;
  segment: string | null;
  reason: ChurnReason | null;
  caseId: string;
  retro: { channelId: string; ts: string } | null;
  caseMessage: { channelId: string; ts: string } | null;
};

export type LessonSearch = { hits: LessonHit[]; total: number };

export const LESSONS_SHOWN = 10;

type Row = {
  id: string;
  text: string;
  createdAt: Date;
  accountName: string;
  segment: string | null;
  reason: string | null;
  caseId: string;
  retroChannelId: string | null;
  retroTs: string | null;
  channelId: string | null;
  messageTs: string | null;
  total: bigint;
};

const likePattern = (word: string) => `%${word.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

function wordMatches(word: string): Prisma.Sql {
  const pattern = likePattern(word);
  return Prisma.sql`(l.text ILIKE ${pattern} OR a.name ILIKE ${pattern} OR a.segment ILIKE ${pattern}
    OR c.reason::text = ANY(${reasonsMatching(word)}::text[]))`;
}

const place = (channelId: string | null, ts: string | null) => (channelId && ts ? { channelId, ts } : null);

export async function searchLessons(
  deps: ServiceDeps,
  input: { words: readonly string[]; limit?: number },
): Promise<LessonSearch> {
  const where =
    input.words.length === 0 ? Prisma.sql`TRUE` : Prisma.join(input.words.map(wordMatches), " AND ");
  const rows = await deps.prisma.$queryRaw<Row[]>`
    SELECT l.id, l.text, l.created_at AS "createdAt", a.name AS "accountName", a.segment,
           c.reason::text AS reason, c.id AS "caseId", c.retro_channel_id AS "retroChannelId",
           c.retro_ts AS "retroTs", c.channel_id AS "channelId", c.message_ts AS "messageTs",
           count(*) OVER () AS total
      FROM lesson l
      JOIN exit_case c ON c.id = l.case_id
      JOIN account a ON a.id = c.account_id
     WHERE ${where}
     ORDER BY l.created_at DESC, l.id
     LIMIT ${input.limit ?? LESSONS_SHOWN}`;
  return {
    total: Number(rows[0]?.total ?? 0n),
    hits: rows.map((row) => ({
      id: row.id,
      text: row.text,
      createdOn: calendarDay(row.createdAt, deps.timeZone),
      accountName: row.accountName,
      segment: row.segment,
      reason: (churnReasons as readonly string[]).includes(row.reason ?? "")
        ? (row.reason as ChurnReason)
        : null,
      caseId: row.caseId,
      retro: place(row.retroChannelId, row.retroTs),
      caseMessage: place(row.channelId, row.messageTs),
    })),
  };
}

export type LessonLink = { url: string; to: "retrospective" | "case" };

/**
 * A link back to each hit's case (by case id): the retrospective's thread, else the case's message,
 * else none. One chat.getPermalink per case, in parallel.
 */
export async function lessonLinks(
  slack: Pick<RetroSlackClient, "chat">,
  hits: readonly LessonHit[],
): Promise<Map<string, LessonLink | null>> {
  const cases = new Map(hits.map((hit) => [hit.caseId, hit]));
  const links = await Promise.all(
    [...cases.values()].map(async (hit): Promise<[string, LessonLink | null]> => {
      const places = [
        { place: hit.retro, to: "retrospective" as const },
        { place: hit.caseMessage, to: "case" as const },
      ];
      for (const { place, to } of places) {
        if (!place) continue;
        const url = await retroPermalink(slack, place.channelId, place.ts);
        if (url) return [hit.caseId, { url, to }];
      }
      return [hit.caseId, null];
    }),
  );
  return new Map(links);
}
