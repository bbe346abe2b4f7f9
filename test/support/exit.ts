// Driving exit handling through the real bot: click a button, read the modal it opened, submit it,
// and find the case's message and its thread lines in the fake Slack's calls.
import type { ViewStateValue } from "@slack/bolt";
import { expect, vi } from "vitest";
import { type SlackBlock, textOf } from "./blocks.ts";
import { SIGNING_SECRET, type TestBot } from "./bot.ts";
import type { FakeSlackCall } from "./fake-slack.ts";
import { blockActions, postInteraction, viewSubmission } from "./slack-requests.ts";

export type OpenedView = { callback_id: string; private_metadata: string; blocks: SlackBlock[] };

export const blocksText = (call: FakeSlackCall | undefined): string =>
  textOf(call?.body.blocks as SlackBlock[] | undefined);

/**
 * How long to wait for the bot's next call before failing: an upper bound only (nothing is asserted
 * on time), generous because a case is posted after a transaction that is slow on a cold, busy host.
 */
export const WAIT_MS = 15_000;

/** Calls to `method` made after `before` (a snapshot of earlier calls), matching `predicate`. */
export async function nextCall(
  bot: TestBot,
  method: string,
  before: ReadonlySet<FakeSlackCall>,
  predicate: (call: FakeSlackCall) => boolean = () => true,
  timeoutMs = WAIT_MS,
): Promise<FakeSlackCall> {
  return bot.fake.waitFor(method, (call) => !before.has(call) && !call.error && predicate(call), timeoutMs);
}

export const snapshot = (bot: TestBot): Set<FakeSlackCall> => new Set(bot.fake.calls);

/**
 * Clicks a button on a message in `channel` (a response URL is recorded for ephemeral answers) and
 * returns that URL, to wait for what the bot says to the clicker only.
 */
export async function click(
  bot: TestBot,
  options: { actionId: string; value: string; channel?: string; ts?: string; user?: string },
): Promise<string> {
  const responseUrl = bot.fake.responseUrl();
  const res = await postInteraction(
    bot.url,
    SIGNING_SECRET,
    blockActions({
      actionId: options.actionId,
      value: options.value,
      responseUrl,
      channel: { id: options.channel ?? "C0001", name: "customer" },
      message: { ts: options.ts ?? "1700000000.000100" },
      ...(options.user ? { user: { id: options.user } } : {}),
    }),
  );
  expect(res.status).toBe(200);
  return responseUrl;
}

/** What the bot said privately to the clicker through that response URL. */
export async function privateAnswer(bot: TestBot, responseUrl: string): Promise<string> {
  const call = await bot.fake.waitFor(
    "response_url",
    (c) => responseUrl.endsWith(c.responseId ?? "-"),
    WAIT_MS,
  );
  return String(call.body.text ?? "") + textOf(call.body.blocks as SlackBlock[] | undefined);
}

/** The modal opened after `before`, with the given callback id. */
export async function openedView(
  bot: TestBot,
  before: ReadonlySet<FakeSlackCall>,
  callbackId: string,
): Promise<OpenedView> {
  const call = await nextCall(
    bot,
    "views.open",
    before,
    (c) => (c.body.view as OpenedView).callback_id === callbackId,
  );
  return call.body.view as OpenedView;
}

let views = 0;

/** Submits a modal; returns the inline errors Slack would show (empty when the modal closes). */
export async function submit(
  bot: TestBot,
  options: {
    view: Pick<OpenedView, "callback_id" | "private_metadata">;
    values: Record<string, Record<string, ViewStateValue>>;
    viewId?: string;
    user?: string;
  },
): Promise<Record<string, string>> {
  const res = await postInteraction(
    bot.url,
    SIGNING_SECRET,
    viewSubmission({
      callbackId: options.view.callback_id,
      privateMetadata: options.view.private_metadata,
      values: options.values,
      view: { id: options.viewId ?? `VEXIT${String(++views).padStart(6, "0")}` },
      ...(options.user ? { user: { id: options.user } } : {}),
    }),
  );
  expect(res.status).toBe(200);
  if (res.body === "") return {};
  const body = res.json<{ response_action?: string; errors?: Record<string, string> }>();
  return body.errors ?? {};
}

/** State values as Slack sends them, one per input (block id = action id in the exit modals). */
export const input = {
  text: (id: string, value: string | null): Record<string, Record<string, ViewStateValue>> => ({
    [id]: { [id]: { type: "plain_text_input", value } },
  }),
  select: (id: string, value: string | null): Record<string, Record<string, ViewStateValue>> => ({
    [id]: {
      [id]: {
        type: "static_select",
        selected_option: value ? { text: { type: "plain_text", text: value }, value } : null,
      },
    },
  }),
  date: (id: string, day: string | null): Record<string, Record<string, ViewStateValue>> => ({
    [id]: { [id]: { type: "datepicker", selected_date: day } },
  }),
  user: (id: string, user: string): Record<string, Record<string, ViewStateValue>> => ({
    [id]: { [id]: { type: "users_select", selected_user: user } },
  }),
};

/** The values of the exit start modal: everything empty unless given. */
export function exitStartValues(
  values: {
    reason?: string;
    surface?: string;
    deep?: string;
    competitor?: string;
    expectedEnd?: string;
  } = {},
): Record<string, Record<string, ViewStateValue>> {
  return {
    ...input.select("exit_reason", values.reason ?? null),
    ...input.text("exit_surface_reason", values.surface ?? null),
    ...input.text("exit_deep_reason", values.deep ?? null),
    ...input.text("exit_competitor", values.competitor ?? null),
    ...input.date("exit_expected_end", values.expectedEnd ?? null),
  };
}

/** A case's message as posted (top level, not a thread line) in `channel` after `before`. */
export function casePosted(bot: TestBot, before: ReadonlySet<FakeSlackCall>, channel: string) {
  return nextCall(
    bot,
    "chat.postMessage",
    before,
    (c) =>
      c.body.channel === channel && c.body.thread_ts === undefined && blocksText(c).includes("is leaving"),
  );
}

/** A line in the thread of the message at `ts`, after `before`, containing `text`. */
export function threadLine(
  bot: TestBot,
  before: ReadonlySet<FakeSlackCall>,
  ts: string,
  text: string,
  timeoutMs?: number,
) {
  return nextCall(
    bot,
    "chat.postMessage",
    before,
    (c) => c.body.thread_ts === ts && blocksText(c).includes(text),
    timeoutMs,
  );
}

/** The message at channel/ts re-rendered after `before`. */
export function updated(bot: TestBot, before: ReadonlySet<FakeSlackCall>, channel: string, ts: string) {
  return nextCall(bot, "chat.update", before, (c) => c.body.channel === channel && c.body.ts === ts);
}

/** The account's (latest) case once where its message went is saved, right after Slack answers the post. */
export function savedCase(bot: TestBot, accountId: string) {
  return vi.waitFor(
    async () => {
      const row = await bot.db.prisma.exitCase.findFirstOrThrow({
        where: { accountId },
        orderBy: { createdAt: "desc" },
        include: { tasks: true, account: true },
      });
      expect(row.messageTs).not.toBeNull();
      return row;
    },
    { timeout: WAIT_MS, interval: 50 },
  );
}
