// Talks to a Bolt HTTP receiver the way Slack does: signed requests carrying Slack's documented payload shapes.
import { createHmac, randomBytes } from "node:crypto";
import type {
  BlockAction,
  ButtonAction,
  EnvelopedEvent,
  GlobalShortcut,
  SlashCommand,
  ViewOutput,
  ViewStateValue,
  ViewSubmitAction,
} from "@slack/bolt";
import { FAKE_WORKSPACE } from "./fake-slack.ts";

/**
 * The response_url builders use when a test gives none. Nothing listens on port 1, so an app that calls
 * `respond()` fails loudly instead of reaching hooks.slack.com; pass `fake.responseUrl()` to record it.
 */
export const UNSET_RESPONSE_URL = "http://127.0.0.1:1/response-url-not-set";

/** The human who clicks, types and submits in the default payloads. */
export const DEFAULT_USER = { id: "U0001", username: "alice", name: "alice" } as const;
export const DEFAULT_CHANNEL = { id: "C0001", name: "general" } as const;

export interface SlackSignatureHeaders {
  "x-slack-signature": string;
  "x-slack-request-timestamp": string;
}

/** Slack's v0 request signature: HMAC-SHA256 of `v0:{timestamp}:{raw body}` keyed by the signing secret. */
export function signBody(
  secret: string,
  body: string,
  timestamp: number = Math.floor(Date.now() / 1000),
): SlackSignatureHeaders {
  const digest = createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex");
  return { "x-slack-signature": `v0=${digest}`, "x-slack-request-timestamp": String(timestamp) };
}

export interface SendOptions {
  /** Request path when `baseUrl` has none; default `/slack/events` (Bolt's default endpoint). */
  path?: string;
  /** Sign and send with this Unix timestamp (seconds), e.g. one older than five minutes. */
  timestamp?: number;
  /** Send this `x-slack-signature` instead of the correct one, to forge a request. */
  signature?: string;
  /** Send no signature headers at all. */
  unsigned?: boolean;
  /** Extra headers, e.g. Slack's retry headers `x-slack-retry-num` and `x-slack-retry-reason`. */
  headers?: Record<string, string>;
}

export interface SlackHttpResponse {
  status: number;
  headers: Headers;
  /** The response body as text ("" when Bolt acks without a body). */
  body: string;
  json<T = unknown>(): T;
}

/** POSTs a raw body signed with `secret`, as Slack delivers every HTTP request. */
export async function postSigned(
  baseUrl: string,
  secret: string,
  body: string,
  contentType: string,
  options: SendOptions = {},
): Promise<SlackHttpResponse> {
  const signature = options.unsigned ? undefined : signBody(secret, body, options.timestamp);
  const headers: Record<string, string> = {
    "content-type": contentType,
    "user-agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
    ...signature,
    ...(options.signature === undefined ? {} : { "x-slack-signature": options.signature }),
    ...options.headers,
  };
  const response = await fetch(endpoint(baseUrl, options.path), { method: "POST", headers, body });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text,
    json<T>() {
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new Error(`Expected a JSON response but got HTTP ${response.status}: ${JSON.stringify(text)}`);
      }
    },
  };
}

/** Sends a slash command: form-encoded fields, `slashCommand(fields)` filling in the rest. */
export function postSlashCommand(
  baseUrl: string,
  secret: string,
  fields: Partial<SlashCommand> = {},
  options: SendOptions = {},
): Promise<SlackHttpResponse> {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(slashCommand(fields))) {
    if (value !== undefined) form.set(key, String(value));
  }
  return postSigned(baseUrl, secret, form.toString(), "application/x-www-form-urlencoded", options);
}

/** Sends an interaction (block_actions, view_submission, shortcut ...) as Slack does: `payload=<json>`. */
export function postInteraction(
  baseUrl: string,
  secret: string,
  payload: object,
  options: SendOptions = {},
): Promise<SlackHttpResponse> {
  const form = new URLSearchParams({ payload: JSON.stringify(payload) });
  return postSigned(baseUrl, secret, form.toString(), "application/x-www-form-urlencoded", options);
}

/** Sends an Events API request (event_callback, url_verification) as JSON. */
export function postEvent(
  baseUrl: string,
  secret: string,
  body: object,
  options: SendOptions = {},
): Promise<SlackHttpResponse> {
  return postSigned(baseUrl, secret, JSON.stringify(body), "application/json", options);
}

function endpoint(baseUrl: string, path: string | undefined): string {
  const url = new URL(baseUrl);
  if (path !== undefined) url.pathname = path;
  else if (url.pathname === "/" || url.pathname === "") url.pathname = "/slack/events";
  return url.toString();
}

/** A trigger_id shaped like Slack's (`<digits>.<digits>.<hex>`), unique per call. */
export function triggerId(): string {
  return `${Date.now()}.${1_000_000_000 + Math.floor(Math.random() * 1e9)}.${randomBytes(16).toString("hex")}`;
}

/** A Unix timestamp with microseconds, the format of `action_ts`, `message_ts` and `ts`. */
export function slackTs(date: Date = new Date()): string {
  return (date.getTime() / 1000).toFixed(6);
}

/** A slash command payload with Slack's documented fields; `overrides` replace any of them. */
export function slashCommand(overrides: Partial<SlashCommand> = {}): SlashCommand {
  return {
    token: "legacy-verification-token",
    team_id: FAKE_WORKSPACE.teamId,
    team_domain: FAKE_WORKSPACE.teamDomain,
    channel_id: DEFAULT_CHANNEL.id,
    channel_name: DEFAULT_CHANNEL.name,
    user_id: DEFAULT_USER.id,
    user_name: DEFAULT_USER.username,
    command: "/churnwatch",
    text: "",
    api_app_id: FAKE_WORKSPACE.appId,
    is_enterprise_install: "false",
    response_url: UNSET_RESPONSE_URL,
    trigger_id: triggerId(),
    ...overrides,
  };
}

export interface PayloadUser {
  id: string;
  username?: string;
  name?: string;
}

export interface BlockActionsOptions {
  actionId: string;
  value?: string;
  blockId?: string;
  /** The clicked button's label. */
  text?: string;
  user?: PayloadUser;
  channel?: { id: string; name: string };
  responseUrl?: string;
  /** The message holding the button; default a bot message in `channel`. Ignored when `view` is set. */
  message?: { ts: string; text?: string; blocks?: unknown[] } & Record<string, unknown>;
  /** Set when the button sits in a modal or the Home tab instead of a message. */
  view?: Partial<ViewOutput>;
  state?: Record<string, Record<string, ViewStateValue>>;
  triggerId?: string;
}

/** A block_actions payload for a button click, in a message (default) or in a view. */
export function blockActions(options: BlockActionsOptions): BlockAction<ButtonAction> {
  const user = { ...DEFAULT_USER, ...options.user };
  const channel = options.channel ?? DEFAULT_CHANNEL;
  const action: ButtonAction = {
    type: "button",
    action_id: options.actionId,
    block_id: options.blockId ?? "actions",
    text: { type: "plain_text", text: options.text ?? "Button", emoji: true },
    ...(options.value === undefined ? {} : { value: options.value }),
    action_ts: slackTs(),
  };
  const common = {
    type: "block_actions" as const,
    user: { id: user.id, username: user.username, name: user.name, team_id: FAKE_WORKSPACE.teamId },
    api_app_id: FAKE_WORKSPACE.appId,
    token: "legacy-verification-token",
    trigger_id: options.triggerId ?? triggerId(),
    team: { id: FAKE_WORKSPACE.teamId, domain: FAKE_WORKSPACE.teamDomain },
    is_enterprise_install: false,
    actions: [action],
    state: { values: options.state ?? {} },
  };
  if (options.view !== undefined) {
    const view = viewOutput(options.view);
    const inView = {
      ...common,
      container: { type: "view", view_id: view.id },
      view,
      ...(options.responseUrl === undefined ? {} : { response_url: options.responseUrl }),
    };
    // Actions inside a view carry no channel, message or response_url, though Bolt's type requires the last.
    return inView as BlockAction<ButtonAction>;
  }
  const message = {
    type: "message" as const,
    user: FAKE_WORKSPACE.botUserId,
    bot_id: FAKE_WORKSPACE.botId,
    app_id: FAKE_WORKSPACE.appId,
    team: FAKE_WORKSPACE.teamId,
    text: "",
    ...options.message,
    ts: options.message?.ts ?? "1700000000.000100",
  };
  return {
    ...common,
    container: { type: "message", message_ts: message.ts, channel_id: channel.id, is_ephemeral: false },
    channel,
    message,
    response_url: options.responseUrl ?? UNSET_RESPONSE_URL,
  };
}

/** A view as Slack echoes it back in payloads; `overrides` replace any field. */
export function viewOutput(overrides: Partial<ViewOutput> = {}): ViewOutput {
  const id = overrides.id ?? "V00000001";
  return {
    id,
    team_id: FAKE_WORKSPACE.teamId,
    type: "modal",
    blocks: [],
    private_metadata: "",
    callback_id: "",
    state: { values: {} },
    hash: "1700000000.abcd1234",
    title: { type: "plain_text", text: "Churnwatch", emoji: true },
    clear_on_close: false,
    notify_on_close: false,
    close: { type: "plain_text", text: "Cancel", emoji: true },
    submit: { type: "plain_text", text: "Save", emoji: true },
    previous_view_id: null,
    root_view_id: id,
    app_id: FAKE_WORKSPACE.appId,
    external_id: "",
    app_installed_team_id: FAKE_WORKSPACE.teamId,
    bot_id: FAKE_WORKSPACE.botId,
    ...overrides,
  };
}

export interface ViewSubmissionOptions {
  callbackId: string;
  /** `view.state.values`: `{ [blockId]: { [actionId]: { type, value | selected_option ... } } }`. */
  values?: Record<string, Record<string, ViewStateValue>>;
  privateMetadata?: string;
  user?: PayloadUser;
  /** Any other view fields (id, blocks, title, external_id ...). */
  view?: Partial<ViewOutput>;
  /** Present when the modal has an input block with `response_url_enabled`. */
  responseUrls?: { block_id: string; action_id: string; channel_id: string; response_url: string }[];
  triggerId?: string;
}

/** A view_submission payload, sent when a user presses a modal's submit button. */
export function viewSubmission(options: ViewSubmissionOptions): ViewSubmitAction {
  const user = { ...DEFAULT_USER, ...options.user };
  return {
    type: "view_submission",
    team: { id: FAKE_WORKSPACE.teamId, domain: FAKE_WORKSPACE.teamDomain },
    user: { id: user.id, name: user.name, team_id: FAKE_WORKSPACE.teamId },
    api_app_id: FAKE_WORKSPACE.appId,
    token: "legacy-verification-token",
    trigger_id: options.triggerId ?? triggerId(),
    view: viewOutput({
      ...options.view,
      callback_id: options.callbackId,
      private_metadata: options.privateMetadata ?? options.view?.private_metadata ?? "",
      state: { values: options.values ?? {} },
    }),
    response_urls: options.responseUrls ?? [],
    is_enterprise_install: false,
  };
}

/** A global shortcut payload (from the shortcuts menu). */
export function globalShortcut(options: {
  callbackId: string;
  user?: PayloadUser;
  triggerId?: string;
}): GlobalShortcut {
  const user = { ...DEFAULT_USER, ...options.user };
  return {
    type: "shortcut",
    token: "legacy-verification-token",
    action_ts: slackTs(),
    team: { id: FAKE_WORKSPACE.teamId, domain: FAKE_WORKSPACE.teamDomain },
    user: { id: user.id, username: user.username, team_id: FAKE_WORKSPACE.teamId },
    is_enterprise_install: false,
    callback_id: options.callbackId,
    trigger_id: options.triggerId ?? triggerId(),
  };
}

/** An Events API `event_callback` envelope around `event`. */
export function eventCallback<E extends { type: string }>(
  event: E,
  overrides: Partial<EnvelopedEvent<E>> = {},
): EnvelopedEvent<E> {
  return {
    token: "legacy-verification-token",
    team_id: FAKE_WORKSPACE.teamId,
    context_team_id: FAKE_WORKSPACE.teamId,
    api_app_id: FAKE_WORKSPACE.appId,
    event,
    type: "event_callback",
    event_id: `Ev${randomBytes(5).toString("hex").toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: FAKE_WORKSPACE.teamId,
        user_id: FAKE_WORKSPACE.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    ...overrides,
  };
}
