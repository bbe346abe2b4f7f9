// `/customer lessons [words]`: the lessons library, searched by words (all must match), with a link
// back to each lesson's retrospective.
import type { webApi } from "@slack/bolt";
import { lessonSearchWords } from "../../../domain/retrospective.ts";
import type { ServiceDeps } from "../../../services/deps.ts";
import { lessonLinks, searchLessons } from "../../../services/retro/search-lessons.ts";
import type { SlackMessage } from "../../views/account-card.ts";
import { buildLessonsResult } from "../../views/lessons.ts";

/** The search words of "lessons …", or null when the text is not the lessons subcommand. */
export function parseLessonsCommand(text: string): string[] | null {
  const match = /^lessons(?:\s+(.*))?$/i.exec(text.trim());
  return match ? lessonSearchWords(match[1] ?? "") : null;
}

export async function answerLessons(
  deps: ServiceDeps,
  slack: Pick<webApi.WebClient, "chat">,
  command: string,
  words: string[],
): Promise<SlackMessage> {
  const found = await searchLessons(deps, { words });
  const links = await lessonLinks(slack, found.hits);
  const hits = found.hits.map((hit) => ({ ...hit, link: links.get(hit.caseId) ?? null }));
  return buildLessonsResult(command, words, hits, found.total);
}
