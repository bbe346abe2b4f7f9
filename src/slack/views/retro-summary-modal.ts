// The retrospective's summary modal: "Summarizing…" at once, then the form (deep reason, reason,
// up to five lessons and five corrective actions), prefilled by the AI or empty with a note.
import type { types } from "@slack/bolt";
import { z } from "zod";
import {
  beyondControlReasons,
  type ChurnReason,
  churnReasonLabel,
  withinControlReasons,
} from "../../domain/exit.ts";
import { RETRO_LIMITS } from "../../domain/retrospective.ts";
import type { RetroSummaryForm } from "../../services/retro/draft-retro-summary.ts";
import { ids } from "../ids.ts";
import { textInput } from "./interaction-modal.ts";
import { escapeMrkdwn, plural, truncate } from "./mrkdwn.ts";

type KnownBlock = types.KnownBlock;
type ModalView = types.ModalView;

/** block_id of each input; its element's action_id is the same string. */
export const retroInput = {
  deepReason: "retro_deep_reason",
  reason: "retro_reason",
  lesson: (i: number) => `retro_lesson_${i}`,
  actionDescription: (i: number) => `retro_action_${i}_description`,
  actionOwner: (i: number) => `retro_action_${i}_owner`,
  actionDue: (i: number) => `retro_action_${i}_due`,
} as const;

/** The domain's error keys (`lesson.0`, `action.1.dueOn` …) as the form's block ids. */
export function retroErrorBlock(key: string): string {
  const [field, index, part] = key.split(".");
  const i = Number(index);
  if (field === "lesson") return retroInput.lesson(i);
  if (field === "action")
    return part === "owner"
      ? retroInput.actionOwner(i)
      : part === "dueOn"
        ? retroInput.actionDue(i)
        : retroInput.actionDescription(i);
  return retroInput.deepReason;
}

const ZRetroMetadata = z.object({ caseId: z.uuid() });
export type RetroMetadata = z.infer<typeof ZRetroMetadata>;

export function parseRetroMetadata(text: string): RetroMetadata {
  return ZRetroMetadata.parse(JSON.parse(text));
}

const plain = (text: string): types.PlainTextElement => ({ type: "plain_text", text, emoji: true });
const TITLE = "Retrospective summary";

/** Opened at once on Summarize: the thread is read and the AI asked while this shows. */
export function buildRetroSummaryLoading(caseId: string): ModalView {
  return {
    type: "modal",
    callback_id: ids.view.retroSummary,
    private_metadata: JSON.stringify({ caseId }),
    title: plain(TITLE),
    close: plain("Close"),
    blocks: [
      {
        type: "section",
        text: { type: "mrkdwn", text: ":hourglass_flowing_sand: Summarizing… reading the thread." },
      },
    ],
  };
}

/** Shown instead of the form when it cannot be prepared (the case is gone, the retro is not open). */
export function buildRetroSummaryProblem(message: string): ModalView {
  return {
    type: "modal",
    callback_id: ids.view.retroSummary,
    title: plain(TITLE),
    close: plain("Close"),
    blocks: [{ type: "section", text: { type: "mrkdwn", text: `:warning: ${escapeMrkdwn(message)}` } }],
  };
}

function reasonOption(reason: ChurnReason): types.PlainTextOption {
  return { text: plain(churnReasonLabel[reason]), value: reason };
}

function actionBlocks(form: RetroSummaryForm, i: number): KnownBlock[] {
  const action = form.draft.actions[i];
  return [
    textInput(retroInput.actionDescription(i), `Corrective action ${i + 1}`, {
      optional: true,
      max: RETRO_LIMITS.actionText,
      multiline: false,
      ...(action?.description ? { initial: action.description } : {}),
      ...(i === 0
        ? { placeholder: "e.g. Escalate any complaint open past its target to the sales manager" }
        : {}),
    }),
    {
      type: "input",
      block_id: retroInput.actionOwner(i),
      optional: true,
      label: plain("Owner"),
      element: {
        type: "users_select",
        action_id: retroInput.actionOwner(i),
        placeholder: plain("Who makes it happen"),
        ...(action?.ownerSlackId ? { initial_user: action.ownerSlackId } : {}),
      },
    },
    {
      type: "input",
      block_id: retroInput.actionDue(i),
      optional: true,
      label: plain("Due"),
      element: {
        type: "datepicker",
        action_id: retroInput.actionDue(i),
        ...(action?.dueOn ? { initial_date: action.dueOn } : {}),
      },
    },
  ];
}

function noteLines(form: RetroSummaryForm): string[] {
  const lines: string[] = [];
  if (form.note)
    lines.push(`${form.prefilled ? ":robot_face:" : ":information_source:"} ${escapeMrkdwn(form.note)}`);
  if (form.previous)
    lines.push(
      `A summary was saved on ${form.previous.summarizedOn} (${plural(form.previous.lessons, "lesson")}, ${plural(form.previous.actions, "corrective action")}): what you save now is added to it.`,
    );
  return lines;
}

export function buildRetroSummaryModal(form: RetroSummaryForm): ModalView {
  const notes = noteLines(form);
  const reason = form.draft.reason;
  const blocks: KnownBlock[] = [
    {
      type: "section",
      text: { type: "mrkdwn", text: `*Lost customer:* ${escapeMrkdwn(truncate(form.accountName, 200))}` },
    },
    ...(notes.length > 0
      ? [{ type: "context", elements: [{ type: "mrkdwn", text: notes.join("\n") }] } satisfies KnownBlock]
      : []),
    textInput(retroInput.deepReason, "Deep reason", {
      optional: true,
      max: RETRO_LIMITS.deepReason,
      multiline: true,
      ...(form.draft.deepReason ? { initial: form.draft.deepReason } : {}),
      placeholder: "Not the surface reason they gave: the one found by digging",
    }),
    {
      type: "input",
      block_id: retroInput.reason,
      optional: true,
      label: plain("Reason"),
      element: {
        type: "static_select",
        action_id: retroInput.reason,
        placeholder: plain("Why they left"),
        option_groups: [
          { label: plain("Beyond our control"), options: beyondControlReasons.map(reasonOption) },
          { label: plain("Within our control"), options: withinControlReasons.map(reasonOption) },
        ],
        ...(reason ? { initial_option: reasonOption(reason) } : {}),
      },
    },
    { type: "header", text: plain("Lessons for every rep") },
    ...Array.from({ length: RETRO_LIMITS.lessons }, (_, i) =>
      textInput(retroInput.lesson(i), `Lesson ${i + 1}`, {
        optional: true,
        max: RETRO_LIMITS.lessonText,
        multiline: true,
        ...(form.draft.lessons[i] ? { initial: form.draft.lessons[i] } : {}),
      }),
    ),
    { type: "header", text: plain("Corrective actions") },
    {
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: `Each needs what changes, an owner and a due date (from ${form.today} on); leave a row empty to skip it. Owners are reminded when it is due.`,
        },
      ],
    },
    ...Array.from({ length: RETRO_LIMITS.actions }, (_, i) => actionBlocks(form, i)).flat(),
  ];
  return {
    type: "modal",
    callback_id: ids.view.retroSummary,
    private_metadata: JSON.stringify({ caseId: form.caseId }),
    title: plain(TITLE),
    submit: plain("Save"),
    close: plain("Cancel"),
    blocks,
  };
}
