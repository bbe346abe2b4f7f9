// Summarize: reads the retrospective's thread and prefills the summary form with the AI's reading
// of it (deep reason, reason, lessons, corrective actions). Only the thread's answers and the
// case's reason are sent; money figures are taken out when AI_SHARE_MONEY is false. Without AI, or
// when it is slow, fails or answers out of shape, the form comes empty with a note saying why.
import { z } from "zod";
import { type ChurnReason, churnReasonLabel, churnReasons } from "../../domain/exit.ts";
import { addDays } from "../../domain/home.ts";
import {
  RETRO_LIMITS,
  type RetroActionDraft,
  type RetroSummaryDraft,
  redactMoney,
} from "../../domain/retrospective.ts";
import { calendarDay } from "../../domain/trends.ts";
import { AppError } from "../../errors.ts";
import { slackErrorCode } from "../complaints/complaint-message.ts";
import type { ServiceDeps } from "../deps.ts";
import { type RetroThread, readRetroThread, type ThreadSlackClient } from "./read-retro-thread.ts";

export const RETRO_SUMMARY_TASK = "retro_summary";

/** What the AI answers (OpenAI strict structured output: every field present, nullable not optional). */
export const ZRetroAiSummary = z.object({
  deepReason: z.string(),
  reason: z.enum(churnReasons).nullable(),
  lessons: z.array(z.string()),
  actions: z.array(
    z.object({ description: z.string(), owner: z.string().nullable(), dueInDays: z.number().int() }),
  ),
});
export type RetroAiSummary = z.infer<typeof ZRetroAiSummary>;

export type RetroSummaryForm = {
  caseId: string;
  accountName: string;
  /** YYYY-MM-DD: the earliest due date the form accepts. */
  today: string;
  draft: RetroSummaryDraft;
  /** True when the AI's reading prefilled the form. */
  prefilled: boolean;
  /** Why the form is not prefilled (or what to check), shown at its top. */
  note: string | null;
  /** A summary saved before: what is saved now is added to it. */
  previous: { lessons: number; actions: number; summarizedOn: string } | null;
};

/** Characters of the thread sent at most; the first answers are kept. */
const MAX_INPUT_CHARS = 24_000;

const instructions = [
  "You help a B2B sales team learn from a customer it lost. The input is the churn reason recorded so far",
  "and the team's answers in the retrospective thread, each prefixed with its author's Slack user id.",
  "Summarize ONLY what the participants wrote; do not invent facts.",
  "deepReason: the deep reason they found by digging (not the surface excuse), in one or two sentences; empty if none was found.",
  "reason: the single best-fitting code of this taxonomy, or null if the thread does not say:",
  ...churnReasons.map((code) => `- ${code}: ${churnReasonLabel[code]}`),
  `lessons: at most ${RETRO_LIMITS.lessons} short lessons every sales rep should apply from now on, each one sentence.`,
  `actions: at most ${RETRO_LIMITS.actions} corrective actions that change how the team works so the mistake does not recur;`,
  "owner is the Slack user id of a participant who took it on or is best placed to own it (only ids from the",
  "participants list), or null; dueInDays is a realistic number of days from today (1 to 90).",
  "Write in the language of the thread.",
].join("\n");

function promptInput(
  thread: RetroThread,
  reason: { code: ChurnReason | null; surface: string | null; deep: string | null },
  shareMoney: boolean,
): { text: string; complete: boolean } {
  const clean = (text: string) => (shareMoney ? text : redactMoney(text));
  const head = [
    `Churn reason recorded: ${reason.code ? `${reason.code} (${churnReasonLabel[reason.code]})` : "none yet"}`,
    `Surface reason: ${reason.surface ? clean(reason.surface) : "none recorded"}`,
    `Deep reason so far: ${reason.deep ? clean(reason.deep) : "none recorded"}`,
    `Participants: ${thread.participants.join(", ")}`,
    "Thread:",
  ].join("\n");
  let text = head;
  for (const reply of thread.replies) {
    const line = `\n${reply.user}: ${clean(reply.text)}`;
    if (text.length + line.length > MAX_INPUT_CHARS) return { text, complete: false };
    text += line;
  }
  return { text, complete: !thread.truncated };
}

const cut = (text: string, max: number) => Array.from(text.trim()).slice(0, max).join("");

/** The AI's answer as a form draft: owners only among the participants, due dates from today. */
export function draftFromAi(
  answer: RetroAiSummary,
  context: {
    participants: readonly string[];
    today: string;
    fallback: Pick<RetroSummaryDraft, "deepReason" | "reason">;
  },
): RetroSummaryDraft {
  const participants = new Set(context.participants);
  const deepReason = cut(answer.deepReason, RETRO_LIMITS.deepReason);
  const lessons = answer.lessons
    .map((lesson) => cut(lesson, RETRO_LIMITS.lessonText))
    .filter((lesson) => lesson !== "")
    .slice(0, RETRO_LIMITS.lessons);
  const actions = answer.actions
    .filter((action) => action.description.trim() !== "")
    .slice(0, RETRO_LIMITS.actions)
    .map(
      (action): RetroActionDraft => ({
        description: cut(action.description, RETRO_LIMITS.actionText),
        ownerSlackId: action.owner && participants.has(action.owner) ? action.owner : null,
        dueOn: addDays(
          context.today,
          Math.min(RETRO_LIMITS.dueWithinDays, Math.max(1, Math.round(action.dueInDays))),
        ),
      }),
    );
  return {
    deepReason: deepReason === "" ? context.fallback.deepReason : deepReason,
    reason: answer.reason ?? context.fallback.reason,
    lessons,
    actions,
  };
}

const aiNotes = {
  timeout: "The AI assistant took too long to answer, so the form is empty: fill it in from the thread.",
  failed: "The AI assistant is unavailable right now, so the form is empty: fill it in from the thread.",
  invalid_output:
    "The AI assistant's answer could not be used, so the form is empty: fill it in from the thread.",
} as const;

export async function draftRetroSummary(
  deps: ServiceDeps,
  input: { slack: ThreadSlackClient; caseId: string },
): Promise<RetroSummaryForm> {
  const row = await deps.prisma.exitCase.findUnique({
    where: { id: input.caseId },
    select: {
      reason: true,
      surfaceReason: true,
      deepReason: true,
      retroChannelId: true,
      retroTs: true,
      retroSummarizedAt: true,
      account: { select: { name: true } },
      _count: { select: { lessons: true, actions: true } },
    },
  });
  if (!row) throw new AppError("not_found", "That exit case no longer exists.");
  if (!row.retroChannelId || !row.retroTs)
    throw new AppError(
      "bad_request",
      "This retrospective is not open yet: open it from the exit case's task 5.",
    );
  const today = calendarDay(deps.now(), deps.timeZone);
  const fallback = { deepReason: row.deepReason, reason: row.reason };
  const form = (draft: RetroSummaryDraft, prefilled: boolean, note: string | null): RetroSummaryForm => ({
    caseId: input.caseId,
    accountName: row.account.name,
    today,
    draft,
    prefilled,
    note,
    previous: row.retroSummarizedAt
      ? {
          lessons: row._count.lessons,
          actions: row._count.actions,
          summarizedOn: calendarDay(row.retroSummarizedAt, deps.timeZone),
        }
      : null,
  });
  const empty = (note: string) => form({ ...fallback, lessons: [], actions: [] }, false, note);

  let thread: RetroThread;
  try {
    thread = await readRetroThread(input.slack, { channelId: row.retroChannelId, ts: row.retroTs });
  } catch (error) {
    const code = slackErrorCode(error);
    deps.logger.warn({ caseId: input.caseId, slackError: code }, "reading a retrospective thread failed");
    const fix =
      code === "not_in_channel" || code === "channel_not_found"
        ? " Invite the bot to the channel (`/invite @Churnwatch`)."
        : code === "missing_scope"
          ? " Reinstall the app from the current manifest (it needs the channels:history and groups:history scopes)."
          : "";
    return empty(
      `The thread could not be read (${code ?? "Slack did not answer"}), so the form is empty: fill it in.${fix}`,
    );
  }
  if (thread.replies.length === 0)
    return empty(
      "Nobody has answered in the thread yet: fill the summary in yourself, or close this and press Summarize once the team has answered.",
    );
  if (!deps.assistant)
    return empty("No AI assistant is configured, so the form is empty: fill it in from the thread.");

  const prompt = promptInput(
    thread,
    { code: row.reason, surface: row.surfaceReason, deep: row.deepReason },
    deps.assistant.shareMoney,
  );
  const outcome = await deps.assistant.ask({
    task: RETRO_SUMMARY_TASK,
    schema: ZRetroAiSummary,
    instructions,
    input: prompt.text,
  });
  if (!outcome.ok) return empty(aiNotes[outcome.reason]);
  const draft = draftFromAi(outcome.value, { participants: thread.participants, today, fallback });
  const truncated = prompt.complete ? "" : " The thread is very long: only its first answers were read.";
  return form(
    draft,
    true,
    `Prefilled by the AI from the thread: check every line before saving.${truncated}`,
  );
}
