// Drives the fake Slack Web API with Slack's own SDK client and raw HTTP, the two ways apps reach it.
import { webApi } from "@slack/bolt";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { captureLogger } from "../support/capture-logger.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.ts";

let fake: FakeSlack;

beforeEach(async () => {
  fake = await startFakeSlack();
});

afterEach(async () => {
  await fake.close();
});

/** An SDK client against the fake; `null` means no token at all. */
function client(token: string | null = "xoxb-test"): webApi.WebClient {
  return new webApi.WebClient(token ?? undefined, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logger: captureLogger(),
  });
}

/** The Slack error code a failed SDK call carries. */
async function slackError(call: Promise<unknown>): Promise<{ error: string; errors?: string[] }> {
  try {
    await call;
  } catch (error) {
    const data = (error as { data?: { error: string; errors?: string[] } }).data;
    if (data !== undefined) return data;
    throw error;
  }
  throw new Error("expected the call to fail");
}

const manyBlocks = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ type: "section", text: { type: "mrkdwn", text: `row ${i}` } }));

describe("authentication", () => {
  it("answers auth.test with the fake workspace identity", async () => {
    const result = await client().auth.test();
    expect(result).toMatchObject({
      ok: true,
      team_id: "T0001",
      user_id: "UBOT",
      bot_id: "B0001",
      url: expect.stringMatching(/^https:\/\//),
    });
    expect(fake.calls[0]).toMatchObject({ method: "auth.test", token: "xoxb-test" });
  });

  it("rejects a missing, malformed or wrong-kind token", async () => {
    expect((await slackError(client(null).chat.postMessage({ channel: "C1", text: "hi" }))).error).toBe(
      "not_authed",
    );
    expect((await slackError(client("bogus").chat.postMessage({ channel: "C1", text: "hi" }))).error).toBe(
      "invalid_auth",
    );
    expect((await slackError(client("xapp-1").chat.postMessage({ channel: "C1", text: "hi" }))).error).toBe(
      "not_allowed_token_type",
    );
    expect((await slackError(client("xoxb-1").apps.connections.open())).error).toBe("not_allowed_token_type");
    expect(fake.rejected.map((call) => call.error)).toEqual([
      "not_authed",
      "invalid_auth",
      "not_allowed_token_type",
      "not_allowed_token_type",
    ]);
  });

  it("refuses apps.connections.open while no socket-mode fake is attached", async () => {
    const failure = await slackError(client("xapp-1").apps.connections.open());
    expect(failure.error).toBe("invalid_auth");
    expect(failure.errors?.join()).toContain("startFakeSocketMode");
  });
});

describe("messages", () => {
  it("posts messages with increasing timestamps and opens DMs for user IDs", async () => {
    const first = await client().chat.postMessage({ channel: "C0001", text: "one" });
    const second = await client().chat.postMessage({ channel: "U0002", text: "two" });
    expect(first).toMatchObject({ ok: true, channel: "C0001", ts: "1700000000.000100" });
    expect(second).toMatchObject({ ok: true, channel: "D0002", ts: "1700000000.000200" });
    expect(first.message).toMatchObject({ text: "one", bot_id: "B0001" });
  });

  it("parses the JSON-encoded form fields the SDK sends", async () => {
    const blocks = manyBlocks(2);
    await client().chat.postMessage({ channel: "C0001", text: "fallback", blocks });
    const [call] = fake.callsTo("chat.postMessage");
    expect(call?.body.blocks).toEqual(blocks);
    expect(call?.body.text).toBe("fallback");
  });

  it("accepts JSON bodies as well", async () => {
    const response = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: "POST",
      headers: { authorization: "Bearer xoxb-json", "content-type": "application/json; charset=utf-8" },
      body: JSON.stringify({ channel: "C0001", blocks: manyBlocks(1) }),
    });
    expect(await response.json()).toMatchObject({ ok: true, channel: "C0001" });
    expect(fake.calls[0]).toMatchObject({ token: "xoxb-json", body: { blocks: manyBlocks(1) } });
  });

  it("requires a channel and some content", async () => {
    expect((await slackError(client().chat.postMessage({ channel: "", text: "x" }))).error).toBe(
      "channel_not_found",
    );
    expect((await slackError(client().apiCall("chat.postMessage", { channel: "C1" }))).error).toBe("no_text");
  });

  it("rejects 51 blocks but accepts 50, listing the problem", async () => {
    await client().chat.postMessage({ channel: "C0001", text: "ok", blocks: manyBlocks(50) });
    const failure = await slackError(
      client().chat.postMessage({ channel: "C1", text: "x", blocks: manyBlocks(51) }),
    );
    expect(failure.error).toBe("invalid_blocks");
    expect(failure.errors).toEqual([
      expect.stringMatching(/no more than 50 items.*\[json-pointer:\/blocks\]$/),
    ]);
    expect(fake.rejected).toHaveLength(1);
    expect(fake.rejected[0]).toMatchObject({ method: "chat.postMessage", error: "invalid_blocks" });
  });

  it("rejects text over 40000 characters", async () => {
    const failure = await slackError(client().chat.postMessage({ channel: "C1", text: "x".repeat(40_001) }));
    expect(failure.error).toBe("msg_too_long");
  });

  it("validates chat.update and chat.postEphemeral like chat.postMessage", async () => {
    const posted = await client().chat.postMessage({ channel: "C0001", text: "v1" });
    const updated = await client().chat.update({ channel: "C0001", ts: String(posted.ts), text: "v2" });
    expect(updated).toMatchObject({ ok: true, channel: "C0001", ts: posted.ts });
    const ephemeral = await client().chat.postEphemeral({ channel: "C0001", user: "U0001", text: "psst" });
    expect(ephemeral.message_ts).toMatch(/^\d{10}\.\d{6}$/);
    const failure = await slackError(
      client().chat.update({
        channel: "C0001",
        ts: String(posted.ts),
        text: "x",
        blocks: [{ type: "nope" }],
      }),
    );
    expect(failure.error).toBe("invalid_blocks");
  });

  it("returns permalinks", async () => {
    const link = await client().chat.getPermalink({ channel: "C0001", message_ts: "1700000000.000100" });
    expect(link.permalink).toMatch(/\/archives\/C0001\/p1700000000000100$/);
  });
});

describe("threads", () => {
  it("keeps posted messages by thread and lists them with the parent first, as last updated", async () => {
    const slack = client();
    const parent = await slack.chat.postMessage({ channel: "C0001", text: "case file" });
    const ts = String(parent.ts);
    await slack.chat.postMessage({ channel: "C0001", thread_ts: ts, text: "questions" });
    await slack.chat.postMessage({ channel: "C0001", text: "elsewhere" });
    const reply = fake.addReply("C0001", ts, { user: "U0002", text: "we were late" });
    await slack.chat.update({ channel: "C0001", ts, text: "case file, updated" });
    const page = await slack.conversations.replies({ channel: "C0001", ts });
    expect(page.messages?.map((m) => [m.text, m.user, m.bot_id])).toEqual([
      ["case file, updated", "UBOT", "B0001"],
      ["questions", "UBOT", "B0001"],
      ["we were late", "U0002", undefined],
    ]);
    expect(page.messages?.[2]).toMatchObject({ ts: reply, thread_ts: ts });
    expect(page.has_more).toBe(false);
    expect(page.response_metadata?.next_cursor).toBe("");
  });

  it("pages with cursors, the parent on every page, and rejects unknown threads and bad cursors", async () => {
    const slack = client();
    const ts = String((await slack.chat.postMessage({ channel: "C0002", text: "top" })).ts);
    for (let i = 0; i < 5; i++) fake.addReply("C0002", ts, { user: "U0003", text: `reply ${i}` });
    const texts: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await slack.conversations.replies({
        channel: "C0002",
        ts,
        limit: 2,
        ...(cursor ? { cursor } : {}),
      });
      pages += 1;
      expect(page.messages?.[0]?.text).toBe("top");
      texts.push(...(page.messages ?? []).slice(1).map((m) => String(m.text)));
      cursor = page.has_more ? page.response_metadata?.next_cursor : undefined;
    } while (cursor);
    expect(pages).toBe(3);
    expect(texts).toEqual(["reply 0", "reply 1", "reply 2", "reply 3", "reply 4"]);
    expect((await slackError(slack.conversations.replies({ channel: "C0002", ts: "1.000001" }))).error).toBe(
      "thread_not_found",
    );
    expect(
      (await slackError(slack.conversations.replies({ channel: "C0002", ts, cursor: "bm9wZQ==" }))).error,
    ).toBe("invalid_cursor");
  });
});

describe("views", () => {
  const modal = (title: string) => ({
    type: "modal" as const,
    title: { type: "plain_text" as const, text: title },
    blocks: [],
  });

  it("opens, pushes and updates modals, answering with a view id", async () => {
    const opened = await client().views.open({ trigger_id: "1.2.abc", view: modal("Account") });
    expect(opened.view?.id).toMatch(/^V/);
    const pushed = await client().views.push({ trigger_id: "1.2.abc", view: modal("Details") });
    expect(pushed.view?.id).not.toBe(opened.view?.id);
    const updated = await client().views.update({
      view_id: String(opened.view?.id),
      view: modal("Account 2"),
    });
    expect(updated.view?.id).toBe(opened.view?.id);
    expect(fake.rejected).toEqual([]);
  });

  it("rejects a modal title over 24 characters with invalid_arguments", async () => {
    const failure = await slackError(
      client().views.open({ trigger_id: "1.2.abc", view: modal("x".repeat(25)) }),
    );
    expect(failure.error).toBe("invalid_arguments");
    expect(failure.errors?.join()).toContain("[json-pointer:/view/title/text]");
  });

  it("needs a trigger_id to open a modal", async () => {
    const failure = await slackError(client().apiCall("views.open", { view: modal("Account") }));
    expect(failure.error).toBe("invalid_arguments");
  });

  it("publishes Home tabs of up to 100 blocks", async () => {
    const home = (n: number) => ({ type: "home" as const, blocks: manyBlocks(n) });
    const published = await client().views.publish({ user_id: "U0001", view: home(100) });
    expect(published.view).toMatchObject({ type: "home", id: expect.stringMatching(/^V/) });
    expect((await slackError(client().views.publish({ user_id: "U0001", view: home(101) }))).error).toBe(
      "invalid_arguments",
    );
  });
});

describe("directory", () => {
  it("describes users in Europe/Berlin unless told otherwise", async () => {
    const { user } = await client().users.info({ user: "U0001" });
    expect(user).toMatchObject({ id: "U0001", tz: "Europe/Berlin", real_name: expect.any(String) });
    fake.setUser({ id: "U0002", tz: "America/New_York", real_name: "Bob Builder" });
    const bob = await client().users.info({ user: "U0002" });
    expect(bob.user).toMatchObject({ tz: "America/New_York", real_name: "Bob Builder" });
  });

  it("describes channels", async () => {
    fake.setChannel({ id: "C0042", name: "key-accounts" });
    const { channel } = await client().conversations.info({ channel: "C0042" });
    expect(channel).toMatchObject({ id: "C0042", name: "key-accounts", is_member: true });
  });

  it("answers unknown methods with unknown_method", async () => {
    expect((await slackError(client().apiCall("nope.never"))).error).toBe("unknown_method");
  });
});

describe("scripted failures", () => {
  it("fails the next call only and keeps it out of `rejected`", async () => {
    fake.failNext("chat.postMessage", "channel_not_found");
    expect((await slackError(client().chat.postMessage({ channel: "C1", text: "x" }))).error).toBe(
      "channel_not_found",
    );
    await client().chat.postMessage({ channel: "C1", text: "x" });
    expect(fake.callsTo("chat.postMessage").map((call) => call.error ?? "ok")).toEqual([
      "channel_not_found",
      "ok",
    ]);
    expect(fake.rejected).toEqual([]);
  });
});

describe("waitFor", () => {
  it("resolves for a call that already arrived", async () => {
    await client().chat.postMessage({ channel: "C1", text: "early" });
    const call = await fake.waitFor("chat.postMessage");
    expect(call.body.text).toBe("early");
  });

  it("resolves for a later call matching the predicate", async () => {
    const waiting = fake.waitFor("chat.postMessage", (call) => call.body.text === "second");
    await client().chat.postMessage({ channel: "C1", text: "first" });
    await client().chat.postMessage({ channel: "C1", text: "second" });
    const call = await waiting;
    expect(call.body.text).toBe("second");
  });

  it("rejects on timeout, listing what did arrive", async () => {
    await client().chat.postMessage({ channel: "C1", text: "not this one" });
    await expect(fake.waitFor("views.open", undefined, 50)).rejects.toThrow(
      /no views\.open call within 50ms[\s\S]*chat\.postMessage ok/,
    );
  });
});

describe("response URLs", () => {
  const post = (url: string, body: unknown) =>
    fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("records messages posted to a response URL under its id", async () => {
    const response = await post(fake.responseUrl("cmd-1"), { text: "pong", response_type: "ephemeral" });
    expect(response.status).toBe(200);
    const call = await fake.waitFor("response_url", (c) => c.responseId === "cmd-1");
    expect(call.body).toEqual({ text: "pong", response_type: "ephemeral" });
  });

  it("answers an invalid message with HTTP 400 and records why", async () => {
    const response = await post(fake.responseUrl("cmd-2"), { text: "x", blocks: manyBlocks(51) });
    expect(response.status).toBe(400);
    expect(await response.text()).toBe("invalid_blocks");
    expect(fake.rejected[0]).toMatchObject({
      method: "response_url",
      responseId: "cmd-2",
      error: "invalid_blocks",
    });
  });

  it("allows five uses of one URL", async () => {
    const url = fake.responseUrl("cmd-3");
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await post(url, { text: `reply ${i}` })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
  });
});
