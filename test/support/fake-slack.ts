// A local stand-in for the Slack Web API and response URLs: records every call and rejects what real Slack rejects.
import { randomUUID } from "node:crypto";
import { EventEmitter, once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type BlockKitOptions,
  blockViolations,
  isRecord,
  LIMITS,
  viewViolations,
} from "./block-kit-rules.ts";

/** The workspace and bot identity the fake reports (auth.test) and the request builders default to. */
export const FAKE_WORKSPACE = {
  teamId: "T0001",
  teamDomain: "churnwatch-test",
  teamName: "Churnwatch Test",
  appId: "A0001",
  botUserId: "UBOT",
  botId: "B0001",
  botName: "churnwatch",
} as const;

/** The method name under which POSTs to a response URL are recorded. */
export const RESPONSE_URL_METHOD = "response_url";

/** How many times one response URL may be used; Slack allows five uses within 30 minutes. */
const RESPONSE_URL_USES = 5;

export interface FakeSlackCall {
  /** Web API method (`chat.postMessage`), or `response_url` for a POST to a response URL. */
  method: string;
  /** Arguments as Slack would read them: JSON-encoded form fields such as `blocks` and `view` are parsed. */
  body: Record<string, unknown>;
  /** The bearer token (or form `token` field) the call was made with. */
  token?: string;
  /** For `response_url` calls: the id passed to `responseUrl(id)`. */
  responseId?: string;
  /** What the fake answered (for response_url calls, the JSON body or `{ ok: false, error }`). */
  response: Record<string, unknown>;
  /** Set when the call failed (`invalid_blocks`, `not_authed`, a scripted failure ...). */
  error?: string;
  /** Human-readable reasons, e.g. "must be less than 25 characters [json-pointer:/view/title/text]". */
  errors?: string[];
  /** True when the failure came from `failNext`, so it is expected and not listed in `rejected`. */
  scripted?: boolean;
}

export type CallPredicate = (call: FakeSlackCall) => boolean;

export interface FakeSlackOptions extends BlockKitOptions {}

/** A user as users.info returns it; fields not given fall back to a realistic default. */
export type FakeUser = { id: string } & Record<string, unknown>;
/** A conversation as conversations.info returns it; fields not given fall back to a realistic default. */
export type FakeChannel = { id: string } & Record<string, unknown>;
/** A person's reply added to a thread by a test (a user id and what they wrote; any other message fields). */
export type FakeReply = { user: string; text: string } & Record<string, unknown>;

export interface FakeSlack {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `http://127.0.0.1:PORT/api/`: pass as Bolt's `clientOptions.slackApiUrl`. */
  readonly apiUrl: string;
  /** Every call in arrival order, including rejected ones. */
  readonly calls: readonly FakeSlackCall[];
  /** Calls the fake refused (validation, auth, unknown method), excluding failures scripted with `failNext`. */
  readonly rejected: readonly FakeSlackCall[];
  callsTo(method: string): FakeSlackCall[];
  /** Resolves with the first call to `method` matching `predicate`, whether it already arrived or arrives later. */
  waitFor(method: string, predicate?: CallPredicate, timeoutMs?: number): Promise<FakeSlackCall>;
  /** The next call to `method` answers `{ ok: false, error }` (for `response_url`: HTTP 400 with `error` as text). */
  failNext(method: string, error: string): void;
  /** A response URL served by this fake; POSTs to it are recorded as `response_url` calls with this id. */
  responseUrl(id?: string): string;
  setUser(user: FakeUser): void;
  setChannel(channel: FakeChannel): void;
  /** The members usergroups.users.list returns for a user group (an unknown group: no_such_subteam). */
  setUserGroup(id: string, members: readonly string[]): void;
  /**
   * Adds a person's reply to the thread under `threadTs` in `channel` (as if typed in Slack), so
   * conversations.replies returns it; returns its ts. Messages the app posts are kept the same way.
   */
  addReply(channel: string, threadTs: string, reply: FakeReply): string;
  /** The messages of a thread as conversations.replies would list them: the parent first. */
  thread(channel: string, threadTs: string): Record<string, unknown>[];
  /** Used by the fake socket-mode server: `apps.connections.open` answers with the URL `issueUrl` returns. */
  attachSocketMode(issueUrl: () => string): () => void;
  /** Forget recorded calls and scripted failures (the server keeps running). */
  reset(): void;
  close(): Promise<void>;
}

type Body = Record<string, unknown>;
type Outcome = { ok: true; data: Body } | { ok: false; error: string; errors?: string[] };
type Handler = (body: Body) => Outcome;

interface Waiter {
  matches: CallPredicate;
  resolve: (call: FakeSlackCall) => void;
  fail: (reason: string) => void;
  timer: NodeJS.Timeout;
}

// Form-encoded calls carry these as JSON strings (the SDK JSON-encodes every non-scalar argument).
const JSON_FIELDS = new Set(["blocks", "attachments", "view", "metadata", "unfurls", "user_auth_blocks"]);
const BOT_OR_USER_TOKEN = /^xox[bp]-/;
const APP_TOKEN = /^xapp-/;

const success = (data: Body = {}): Outcome => ({ ok: true, data });
const failure = (error: string, errors?: string[]): Outcome =>
  errors === undefined ? { ok: false, error } : { ok: false, error, errors };
const missing = (field: string): Outcome =>
  failure("invalid_arguments", [`missing required field: ${field}`]);

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const calls: FakeSlackCall[] = [];
  const waiters = new Set<Waiter>();
  const scriptedFailures = new Map<string, string[]>();
  const responseUrlUses = new Map<string, number>();
  const users = new Map<string, FakeUser>();
  const channels = new Map<string, FakeChannel>();
  const userGroups = new Map<string, readonly string[]>();
  const views = new Map<string, Body>();
  // Messages by channel and ts (as last updated), and each thread's replies in order.
  const messages = new Map<string, Map<string, Body>>();
  const threads = new Map<string, string[]>();
  let issueSocketUrl: (() => string) | undefined;
  let tsCounter = 0;
  let idCounter = 0;
  let baseUrl = "";
  // Requests being answered, so close() can let them finish instead of resetting the SDK's sockets.
  let inFlight = 0;
  const drained = new EventEmitter();

  // Increasing, Slack-shaped message timestamps: 1700000000.000100, 1700000000.000200, ...
  const nextTs = (): string => {
    tsCounter += 1;
    const micros = 1_700_000_000_000_000 + tsCounter * 100;
    return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, "0")}`;
  };
  const nextId = (prefix: string): string => {
    idCounter += 1;
    return `${prefix}${String(idCounter).padStart(8, "0")}`;
  };

  const record = (call: FakeSlackCall): void => {
    calls.push(call);
    for (const waiter of waiters) {
      let matched = false;
      try {
        matched = waiter.matches(call);
      } catch {
        // A predicate that throws on an unexpected shape simply does not match.
      }
      if (matched) {
        waiters.delete(waiter);
        clearTimeout(waiter.timer);
        waiter.resolve(call);
      }
    }
  };

  const takeScriptedFailure = (method: string): string | undefined => {
    const queue = scriptedFailures.get(method);
    const error = queue?.shift();
    if (queue !== undefined && queue.length === 0) scriptedFailures.delete(method);
    return error;
  };

  const messageFor = (body: Body, channel: string, ts: string): Body => ({
    type: "message",
    user: FAKE_WORKSPACE.botUserId,
    bot_id: FAKE_WORKSPACE.botId,
    app_id: FAKE_WORKSPACE.appId,
    team: FAKE_WORKSPACE.teamId,
    channel,
    ts,
    text: typeof body.text === "string" ? body.text : "",
    ...(body.blocks === undefined ? {} : { blocks: body.blocks }),
    ...(body.attachments === undefined ? {} : { attachments: body.attachments }),
    ...(body.metadata === undefined ? {} : { metadata: body.metadata }),
    ...(body.thread_ts === undefined ? {} : { thread_ts: body.thread_ts }),
  });

  const keep = (channel: string, message: Body): void => {
    const ts = String(message.ts);
    const inChannel = messages.get(channel) ?? new Map<string, Body>();
    messages.set(channel, inChannel);
    const known = inChannel.has(ts);
    inChannel.set(ts, { ...inChannel.get(ts), ...message });
    if (known || typeof message.thread_ts !== "string" || message.thread_ts === ts) return;
    const key = `${channel}|${message.thread_ts}`;
    threads.set(key, [...(threads.get(key) ?? []), ts]);
  };
  const threadOf = (channel: string, threadTs: string): Body[] | undefined => {
    const parent = messages.get(channel)?.get(threadTs);
    if (!parent) return undefined;
    const replies = (threads.get(`${channel}|${threadTs}`) ?? []).flatMap((ts): Body[] => {
      const reply = messages.get(channel)?.get(ts);
      return reply ? [reply] : [];
    });
    return [parent, ...replies];
  };

  const viewFor = (view: Body, id: string): Body => ({
    id,
    team_id: FAKE_WORKSPACE.teamId,
    state: { values: {} },
    hash: `${Math.floor(Date.now() / 1000)}.${randomUUID().slice(0, 8)}`,
    private_metadata: "",
    callback_id: "",
    external_id: "",
    clear_on_close: false,
    notify_on_close: false,
    close: null,
    submit: null,
    previous_view_id: null,
    root_view_id: id,
    app_id: FAKE_WORKSPACE.appId,
    app_installed_team_id: FAKE_WORKSPACE.teamId,
    bot_id: FAKE_WORKSPACE.botId,
    ...view,
  });

  const handlers: Record<string, Handler> = {
    "auth.test": () =>
      success({
        url: `https://${FAKE_WORKSPACE.teamDomain}.slack.com/`,
        team: FAKE_WORKSPACE.teamName,
        user: FAKE_WORKSPACE.botName,
        team_id: FAKE_WORKSPACE.teamId,
        user_id: FAKE_WORKSPACE.botUserId,
        bot_id: FAKE_WORKSPACE.botId,
        is_enterprise_install: false,
      }),
    "chat.postMessage": (body) => {
      const problem = channelProblem(body) ?? messageProblem(body, options);
      if (problem) return problem;
      // Posting to a user ID lands in the DM with that user, which has its own D... channel ID.
      const channel = dmChannelFor(String(body.channel));
      const ts = nextTs();
      const message = messageFor(body, channel, ts);
      keep(channel, message);
      return success({ channel, ts, message });
    },
    "chat.postEphemeral": (body) => {
      const problem = channelProblem(body) ?? messageProblem(body, options);
      if (problem) return problem;
      if (typeof body.user !== "string" || body.user === "") return failure("user_not_in_channel");
      return success({ message_ts: nextTs() });
    },
    "chat.update": (body) => {
      const problem = channelProblem(body) ?? tsProblem(body.ts) ?? messageProblem(body, options);
      if (problem) return problem;
      const channel = String(body.channel);
      const ts = String(body.ts);
      const { thread_ts: _thread, ...update } = messageFor(body, channel, ts);
      if (messages.get(channel)?.has(ts)) keep(channel, update);
      return success({ channel, ts, text: body.text ?? "", message: update });
    },
    "chat.delete": (body) => {
      const problem = channelProblem(body) ?? tsProblem(body.ts);
      if (problem) return problem;
      return success({ channel: body.channel, ts: body.ts });
    },
    "chat.scheduleMessage": (body) => {
      const problem = channelProblem(body) ?? messageProblem(body, options);
      if (problem) return problem;
      if (body.post_at === undefined) return failure("invalid_time");
      const channel = String(body.channel);
      return success({
        channel,
        scheduled_message_id: nextId("Q"),
        post_at: Number(body.post_at),
        message: messageFor(body, channel, nextTs()),
      });
    },
    "chat.getPermalink": (body) => {
      const problem = channelProblem(body) ?? tsProblem(body.message_ts);
      if (problem) return problem;
      const channel = String(body.channel);
      const ts = String(body.message_ts).replace(".", "");
      return success({
        channel,
        permalink: `https://${FAKE_WORKSPACE.teamDomain}.slack.com/archives/${channel}/p${ts}`,
      });
    },
    "views.open": (body) => {
      if (typeof body.trigger_id !== "string" || body.trigger_id === "") return missing("trigger_id");
      return openView(body, "modal");
    },
    "views.push": (body) => {
      if (typeof body.trigger_id !== "string" || body.trigger_id === "") return missing("trigger_id");
      return openView(body, "modal");
    },
    "views.update": (body) => {
      const viewId = typeof body.view_id === "string" && body.view_id !== "" ? body.view_id : undefined;
      const externalId =
        typeof body.external_id === "string" && body.external_id !== "" ? body.external_id : undefined;
      if (viewId === undefined && externalId === undefined) return missing("view_id or external_id");
      const known = [...views.values()].find(
        (v) => v.id === viewId || (externalId && v.external_id === externalId),
      );
      // Views opened outside this fake (ids made up in a test payload) are accepted, not `not_found`.
      return openView(body, undefined, String(known?.id ?? viewId ?? nextId("V")));
    },
    "views.publish": (body) => {
      if (typeof body.user_id !== "string" || body.user_id === "") return missing("user_id");
      return openView(body, "home");
    },
    "conversations.info": (body) => {
      if (typeof body.channel !== "string" || body.channel === "") return failure("channel_not_found");
      return success({ channel: { ...defaultChannel(body.channel), ...channels.get(body.channel) } });
    },
    // A page holds the parent first, then up to `limit` replies; `cursor` continues where it stopped.
    "conversations.replies": (body) => {
      const problem = channelProblem(body) ?? tsProblem(body.ts);
      if (problem) return problem;
      const thread = threadOf(String(body.channel), String(body.ts));
      if (!thread) return failure("thread_not_found");
      const [parent, ...replies] = thread;
      const limit = body.limit === undefined ? 1000 : Number(body.limit);
      if (!Number.isInteger(limit) || limit < 1) return failure("invalid_limit");
      let offset = 0;
      if (typeof body.cursor === "string" && body.cursor !== "") {
        const match = /^offset:(\d+)$/.exec(Buffer.from(body.cursor, "base64").toString("utf8"));
        if (!match) return failure("invalid_cursor");
        offset = Number(match[1]);
      }
      const next = offset + limit;
      const hasMore = next < replies.length;
      return success({
        messages: [parent, ...replies.slice(offset, next)],
        has_more: hasMore,
        response_metadata: { next_cursor: hasMore ? Buffer.from(`offset:${next}`).toString("base64") : "" },
      });
    },
    "conversations.open": (body) => {
      if (typeof body.users !== "string" || body.users === "") return failure("users_list_not_supplied");
      return success({ channel: { id: dmChannelFor(body.users.split(",")[0] ?? "") } });
    },
    "users.info": (body) => {
      if (typeof body.user !== "string" || body.user === "") return failure("user_not_found");
      return success({ user: { ...defaultUser(body.user), ...users.get(body.user) } });
    },
    "usergroups.users.list": (body) => {
      const members = typeof body.usergroup === "string" ? userGroups.get(body.usergroup) : undefined;
      return members === undefined ? failure("no_such_subteam") : success({ users: [...members] });
    },
    "apps.connections.open": () => {
      if (issueSocketUrl === undefined) {
        // invalid_auth makes the socket-mode client give up at once instead of retrying for minutes.
        return failure("invalid_auth", [
          "no fake socket-mode server is attached: call startFakeSocketMode(fake)",
        ]);
      }
      return success({ url: issueSocketUrl() });
    },
  };

  function openView(body: Body, requiredType: "modal" | "home" | undefined, existingId?: string): Outcome {
    if (body.view === undefined) return missing("view");
    if (!isRecord(body.view))
      return failure("invalid_arguments", ["view must be a JSON object [json-pointer:/view]"]);
    const errors = viewViolations(body.view, options);
    if (requiredType !== undefined && body.view.type !== requiredType && errors.length === 0) {
      errors.push(`must be ${requiredType} for this method [json-pointer:/view/type]`);
    }
    if (errors.length > 0) return failure("invalid_arguments", errors);
    const id = existingId ?? nextId("V");
    const view = viewFor(body.view, id);
    views.set(id, view);
    return success({ view });
  }

  function tokenProblem(method: string, token: string | undefined): Outcome | undefined {
    if (token === undefined || token === "") return failure("not_authed");
    const isApp = APP_TOKEN.test(token);
    const isBotOrUser = BOT_OR_USER_TOKEN.test(token);
    if (!isApp && !isBotOrUser) return failure("invalid_auth");
    if (method === "auth.test") return undefined;
    if (method === "apps.connections.open") return isApp ? undefined : failure("not_allowed_token_type");
    return isBotOrUser ? undefined : failure("not_allowed_token_type");
  }

  function answer(res: ServerResponse, status: number, payload: Body | string): void {
    const isText = typeof payload === "string";
    res.writeHead(status, {
      "content-type": isText ? "text/plain; charset=utf-8" : "application/json; charset=utf-8",
    });
    res.end(isText ? payload : JSON.stringify(payload));
  }

  function handleApi(method: string, body: Body, token: string | undefined, res: ServerResponse): void {
    const handler = handlers[method];
    let outcome: Outcome;
    let scripted = false;
    const authProblem = handler === undefined ? undefined : tokenProblem(method, token);
    const scriptedError = handler === undefined || authProblem ? undefined : takeScriptedFailure(method);
    if (handler === undefined) outcome = failure("unknown_method");
    else if (authProblem) outcome = authProblem;
    else if (scriptedError !== undefined) {
      outcome = failure(scriptedError);
      scripted = true;
    } else outcome = handler(body);

    const response: Body = outcome.ok
      ? { ok: true, ...outcome.data }
      : {
          ok: false,
          error: outcome.error,
          ...(outcome.errors ? { errors: outcome.errors } : {}),
          // Slack repeats validation details here; the SDK logs them.
          ...(outcome.errors
            ? { response_metadata: { messages: outcome.errors.map((e) => `[ERROR] ${e}`) } }
            : {}),
        };
    // Slack answers API errors with HTTP 200 and ok:false.
    answer(res, 200, response);
    record({
      method,
      body,
      ...(token === undefined ? {} : { token }),
      response,
      ...(outcome.ok ? {} : { error: outcome.error }),
      ...(!outcome.ok && outcome.errors ? { errors: outcome.errors } : {}),
      ...(scripted ? { scripted } : {}),
    });
  }

  function handleResponseUrl(id: string, raw: string, res: ServerResponse): void {
    let body: Body = {};
    let outcome: Outcome;
    let status = 200;
    let scripted = false;
    const uses = responseUrlUses.get(id) ?? 0;
    const parsed = parseJson(raw);
    const scriptedError = takeScriptedFailure(RESPONSE_URL_METHOD);
    if (!isRecord(parsed)) {
      outcome = failure("invalid_payload", ["body must be a JSON object"]);
      status = 400;
    } else {
      body = parsed;
      if (scriptedError !== undefined) {
        outcome = failure(scriptedError);
        status = 400;
        scripted = true;
      } else if (uses >= RESPONSE_URL_USES) {
        outcome = failure("used_url", [`a response URL can be used ${RESPONSE_URL_USES} times`]);
        status = 404;
      } else {
        outcome = responseUrlProblem(body, options) ?? success({});
        if (!outcome.ok) status = 400;
      }
    }
    if (outcome.ok) responseUrlUses.set(id, uses + 1);
    // Slack answers a bad response_url POST with an HTTP error and the error code as plain text.
    const response: Body = outcome.ok ? { ok: true } : { ok: false, error: outcome.error };
    answer(res, status, outcome.ok ? response : outcome.error);
    record({
      method: RESPONSE_URL_METHOD,
      body,
      responseId: id,
      response,
      ...(outcome.ok ? {} : { error: outcome.error }),
      ...(!outcome.ok && outcome.errors ? { errors: outcome.errors } : {}),
      ...(scripted ? { scripted } : {}),
    });
  }

  const server = createServer((req, res) => {
    inFlight += 1;
    res.on("close", () => {
      inFlight -= 1;
      if (inFlight === 0) drained.emit("drained");
    });
    readBody(req)
      .then((raw) => {
        const url = new URL(req.url ?? "/", "http://127.0.0.1");
        const apiMatch = /^\/api\/([\w.]+)$/.exec(url.pathname);
        const responseMatch = /^\/response\/(.+)$/.exec(url.pathname);
        if (apiMatch?.[1] !== undefined && (req.method === "POST" || req.method === "GET")) {
          const body = parseApiBody(raw, req.headers["content-type"], url.searchParams);
          if (body === undefined) {
            answer(res, 200, { ok: false, error: "invalid_json" });
            return;
          }
          handleApi(apiMatch[1], body, bearerToken(req) ?? formToken(body), res);
        } else if (responseMatch?.[1] !== undefined && req.method === "POST") {
          handleResponseUrl(decodeURIComponent(responseMatch[1]), raw, res);
        } else {
          answer(res, 404, "not_found");
        }
      })
      .catch((error: unknown) => {
        answer(res, 500, `fake slack failed: ${String(error)}`);
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    apiUrl: `${baseUrl}/api/`,
    get calls() {
      return calls;
    },
    get rejected() {
      return calls.filter((call) => call.error !== undefined && !call.scripted);
    },
    callsTo: (method) => calls.filter((call) => call.method === method),
    waitFor(method, predicate, timeoutMs = 5000) {
      const matches: CallPredicate = (call) => call.method === method && (predicate?.(call) ?? true);
      const already = calls.find((call) => {
        try {
          return matches(call);
        } catch {
          return false;
        }
      });
      if (already) return Promise.resolve(already);
      // Created here so a timeout points at the test line that waited, not at a timer.
      const timeoutError = new Error();
      return new Promise<FakeSlackCall>((resolve, reject) => {
        const waiter: Waiter = {
          matches,
          resolve,
          fail: (reason) => {
            waiters.delete(waiter);
            clearTimeout(waiter.timer);
            timeoutError.message = `${reason}\n${describeCalls(calls)}`;
            reject(timeoutError);
          },
          timer: setTimeout(() => {
            const what = predicate === undefined ? "" : " matching the predicate";
            waiter.fail(`Fake Slack: no ${method} call${what} within ${timeoutMs}ms.`);
          }, timeoutMs),
        };
        waiters.add(waiter);
      });
    },
    failNext(method, error) {
      const queue = scriptedFailures.get(method) ?? [];
      queue.push(error);
      scriptedFailures.set(method, queue);
    },
    responseUrl: (id = randomUUID()) => `${baseUrl}/response/${encodeURIComponent(id)}`,
    setUser: (user) => users.set(user.id, user),
    setUserGroup: (id, members) => userGroups.set(id, members),
    setChannel: (channel) => channels.set(channel.id, channel),
    addReply(channel, threadTs, reply) {
      const ts = nextTs();
      keep(channel, {
        type: "message",
        team: FAKE_WORKSPACE.teamId,
        ...reply,
        channel,
        ts,
        thread_ts: threadTs,
      });
      return ts;
    },
    thread: (channel, threadTs) => threadOf(channel, threadTs) ?? [],
    attachSocketMode(issueUrl) {
      issueSocketUrl = issueUrl;
      return () => {
        if (issueSocketUrl === issueUrl) issueSocketUrl = undefined;
      };
    },
    reset() {
      calls.length = 0;
      scriptedFailures.clear();
      responseUrlUses.clear();
    },
    async close() {
      for (const waiter of [...waiters]) waiter.fail("Fake Slack was closed while a test was still waiting.");
      const closed = new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
      });
      if (inFlight > 0) await once(drained, "drained");
      // Idle keep-alive sockets from the SDK's fetch would otherwise hold close() open.
      server.closeAllConnections();
      await closed;
    },
  };
}

function channelProblem(body: Body): Outcome | undefined {
  return typeof body.channel === "string" && body.channel !== "" ? undefined : failure("channel_not_found");
}

function tsProblem(ts: unknown): Outcome | undefined {
  return typeof ts === "string" && /^\d+\.\d+$/.test(ts) ? undefined : failure("message_not_found");
}

/** Problems shared by every way of sending a message (chat.*, response_url). */
function messageProblem(body: Body, options: BlockKitOptions): Outcome | undefined {
  if (body.blocks !== undefined && !Array.isArray(body.blocks)) return failure("invalid_blocks_format");
  if (body.attachments !== undefined && !Array.isArray(body.attachments)) {
    return failure("invalid_attachments");
  }
  const hasText = typeof body.text === "string" && body.text !== "";
  const hasBlocks = Array.isArray(body.blocks) && body.blocks.length > 0;
  const hasAttachments = Array.isArray(body.attachments) && body.attachments.length > 0;
  if (!hasText && !hasBlocks && !hasAttachments) return failure("no_text");
  if (typeof body.text === "string" && body.text.length > LIMITS.messageText) {
    return failure("msg_too_long", [`text must be less than ${LIMITS.messageText + 1} characters`]);
  }
  const errors = body.blocks === undefined ? [] : blockViolations(body.blocks, options);
  return errors.length > 0 ? failure("invalid_blocks", errors) : undefined;
}

function responseUrlProblem(body: Body, options: BlockKitOptions): Outcome | undefined {
  if (body.delete_original === true) return undefined;
  if (
    body.response_type !== undefined &&
    body.response_type !== "in_channel" &&
    body.response_type !== "ephemeral"
  ) {
    return failure("invalid_payload", ["response_type must be one of: in_channel, ephemeral"]);
  }
  return messageProblem(body, options);
}

function dmChannelFor(channel: string): string {
  return /^[UW][A-Z0-9]+$/.test(channel) ? `D${channel.slice(1)}` : channel;
}

function defaultUser(id: string): Body {
  const realName = `Test User ${id}`;
  return {
    id,
    team_id: FAKE_WORKSPACE.teamId,
    name: id.toLowerCase(),
    real_name: realName,
    deleted: false,
    is_bot: false,
    is_admin: false,
    tz: "Europe/Berlin",
    tz_label: "Central European Time",
    tz_offset: 3600,
    profile: {
      real_name: realName,
      display_name: realName,
      email: `${id.toLowerCase()}@example.com`,
      team: FAKE_WORKSPACE.teamId,
    },
  };
}

function defaultChannel(id: string): Body {
  return {
    id,
    name: `channel-${id.toLowerCase()}`,
    is_channel: id.startsWith("C"),
    is_group: id.startsWith("G"),
    is_im: id.startsWith("D"),
    is_private: id.startsWith("G"),
    is_archived: false,
    is_member: true,
    created: 1_700_000_000,
    creator: "U0001",
    context_team_id: FAKE_WORKSPACE.teamId,
    topic: { value: "", creator: "", last_set: 0 },
    purpose: { value: "", creator: "", last_set: 0 },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** Reads a Web API call's arguments from a JSON or form-encoded body plus the query string. */
function parseApiBody(
  raw: string,
  contentType: string | undefined,
  query: URLSearchParams,
): Body | undefined {
  const body: Body = Object.fromEntries(query);
  if (contentType?.includes("application/json")) {
    if (raw === "") return body;
    const parsed = parseJson(raw);
    return isRecord(parsed) ? { ...body, ...parsed } : undefined;
  }
  for (const [key, value] of new URLSearchParams(raw)) {
    // A JSON field that does not parse stays a string, which the method then rejects as Slack would.
    const parsed = JSON_FIELDS.has(key) ? parseJson(value) : undefined;
    body[key] = parsed ?? value;
  }
  return body;
}

function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  return match?.[1];
}

function formToken(body: Body): string | undefined {
  return typeof body.token === "string" ? body.token : undefined;
}

function describeCalls(calls: readonly FakeSlackCall[]): string {
  if (calls.length === 0) return "No calls were received.";
  const lines = calls.map((call) => {
    const outcome = call.error === undefined ? "ok" : `FAILED ${call.error}`;
    const reasons = call.errors ? ` (${call.errors.join("; ")})` : "";
    const body = JSON.stringify(call.body);
    return `  - ${call.method} ${outcome}${reasons} ${body.length > 300 ? `${body.slice(0, 300)}…` : body}`;
  });
  return `Calls received (${calls.length}):\n${lines.join("\n")}`;
}
