// Proves a real Bolt app over HTTP accepts our signed requests, refuses forged ones, and talks only to the fake.
import { EventEmitter, once } from "node:events";
import type { AddressInfo } from "node:net";
import { App, LogLevel } from "@slack/bolt";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CaptureLogger, captureLogger } from "../support/capture-logger.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.ts";
import {
  blockActions,
  eventCallback,
  postEvent,
  postInteraction,
  postSlashCommand,
  signBody,
  slashCommand,
  viewSubmission,
} from "../support/slack-requests.ts";

const SIGNING_SECRET = "test-signing-secret";

let fake: FakeSlack;
let app: App;
let logger: CaptureLogger;
let baseUrl: string;
/** Slack error codes the app's handlers saw when a Web API call failed. */
let apiErrors: string[];
let handled: string[];
/** Emits "apiError" and "handled" so tests wait on the app's work instead of sleeping. */
let appEvents: EventEmitter;

function noteHandled(what: string): void {
  handled.push(what);
  appEvents.emit("handled", what);
}

function slackErrorCode(error: unknown): string {
  return (error as { data?: { error?: string } }).data?.error ?? String(error);
}

beforeEach(async () => {
  fake = await startFakeSlack();
  logger = captureLogger();
  apiErrors = [];
  handled = [];
  appEvents = new EventEmitter();
  app = new App({
    signingSecret: SIGNING_SECRET,
    token: "xoxb-test",
    clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } },
    logger,
    logLevel: LogLevel.DEBUG,
  });

  app.command("/ping", async ({ ack, respond, client, command }) => {
    noteHandled(`command:${command.text}`);
    await ack();
    try {
      if (command.text === "big") {
        const blocks = Array.from({ length: 51 }, (_, i) => ({
          type: "section" as const,
          text: { type: "mrkdwn" as const, text: `row ${i}` },
        }));
        await client.chat.postMessage({ channel: command.channel_id, text: "big", blocks });
      } else if (command.text === "modal") {
        await client.views.open({
          trigger_id: command.trigger_id,
          view: {
            type: "modal",
            callback_id: "ping_modal",
            title: { type: "plain_text", text: "A title far too long for Slack" },
            blocks: [],
          },
        });
      } else {
        await respond({ response_type: "ephemeral", text: "pong" });
        await client.chat.postMessage({
          channel: command.channel_id,
          text: `pong for <@${command.user_id}>`,
        });
      }
    } catch (error) {
      apiErrors.push(slackErrorCode(error));
      appEvents.emit("apiError", slackErrorCode(error));
    }
  });

  app.action("ping_again", async ({ ack, respond, action }) => {
    await ack();
    noteHandled(`action:${"value" in action ? action.value : ""}`);
    await respond({ replace_original: true, text: "pinged again" });
  });

  app.view("ping_modal", async ({ ack, view }) => {
    noteHandled(`view:${view.state.values.note?.text?.value ?? ""}`);
    await ack({ response_action: "errors", errors: { note: "Too short" } });
  });

  app.event("app_mention", async ({ event }) => {
    noteHandled(`mention:${event.text}`);
  });

  const server = await app.start({ port: 0, host: "127.0.0.1" });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Bolt calls auth.test as soon as the App is built and leaves a failure unhandled, so let it finish
  // before a test can close the fake under it.
  await fake.waitFor("auth.test");
});

afterEach(async () => {
  await app.stop();
  await fake.close();
});

describe("Bolt HTTP receiver against the fakes", () => {
  it("accepts a signed slash command and sends its replies to the fake", async () => {
    const responseUrl = fake.responseUrl("ping-1");
    const response = await postSlashCommand(baseUrl, SIGNING_SECRET, {
      command: "/ping",
      response_url: responseUrl,
    });
    expect(response.status).toBe(200);

    const reply = await fake.waitFor("response_url", (call) => call.responseId === "ping-1");
    expect(reply.body).toEqual({ response_type: "ephemeral", text: "pong" });
    const posted = await fake.waitFor("chat.postMessage");
    expect(posted).toMatchObject({
      token: "xoxb-test",
      body: { channel: "C0001", text: "pong for <@U0001>" },
    });
    // Bolt verifies its token with auth.test once, at construction.
    expect(fake.callsTo("auth.test")).toHaveLength(1);
    expect(fake.rejected).toEqual([]);
    expect(apiErrors).toEqual([]);
  });

  it("refuses a forged signature with 401 and runs no handler", async () => {
    const response = await postSlashCommand(
      baseUrl,
      SIGNING_SECRET,
      { command: "/ping" },
      { signature: "v0=0000000000000000000000000000000000000000000000000000000000000000" },
    );
    expect(response.status).toBe(401);
    expect(handled).toEqual([]);
  });

  it("refuses a request signed with another secret", async () => {
    const response = await postSlashCommand(baseUrl, "someone-elses-secret", { command: "/ping" });
    expect(response.status).toBe(401);
    expect(handled).toEqual([]);
  });

  it("refuses a correctly signed request older than five minutes with 401", async () => {
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    const response = await postSlashCommand(
      baseUrl,
      SIGNING_SECRET,
      { command: "/ping" },
      { timestamp: sixMinutesAgo },
    );
    expect(response.status).toBe(401);
    expect(handled).toEqual([]);
    expect(logger.entries.map((entry) => entry.message).join("\n")).toContain("stale");
  });

  it("accepts a request signed four minutes ago (the boundary is five)", async () => {
    const fourMinutesAgo = Math.floor(Date.now() / 1000) - 4 * 60;
    const response = await postSlashCommand(
      baseUrl,
      SIGNING_SECRET,
      { command: "/ping", response_url: fake.responseUrl() },
      { timestamp: fourMinutesAgo },
    );
    expect(response.status).toBe(200);
    await fake.waitFor("chat.postMessage");
  });

  it("surfaces a message over 50 blocks as invalid_blocks to the app", async () => {
    const appSawError = once(appEvents, "apiError");
    await postSlashCommand(baseUrl, SIGNING_SECRET, { command: "/ping", text: "big" });
    const call = await fake.waitFor("chat.postMessage");
    expect(call.error).toBe("invalid_blocks");
    expect(call.errors?.join()).toContain("no more than 50 items");
    expect(fake.rejected).toEqual([call]);
    // The SDK turned the fake's answer into an error the handler could catch.
    expect(await appSawError).toEqual(["invalid_blocks"]);
  });

  it("surfaces a modal title over 24 characters as invalid_arguments", async () => {
    const appSawError = once(appEvents, "apiError");
    await postSlashCommand(baseUrl, SIGNING_SECRET, { command: "/ping", text: "modal" });
    const call = await fake.waitFor("views.open");
    expect(call.error).toBe("invalid_arguments");
    expect(call.errors?.join()).toContain("/view/title/text");
    expect(call.body.trigger_id).toEqual(expect.any(String));
    expect(await appSawError).toEqual(["invalid_arguments"]);
  });

  it("routes a block_actions payload and its respond() to the fake", async () => {
    const response = await postInteraction(
      baseUrl,
      SIGNING_SECRET,
      blockActions({ actionId: "ping_again", value: "acct_42", responseUrl: fake.responseUrl("action-1") }),
    );
    expect(response.status).toBe(200);
    const reply = await fake.waitFor("response_url", (call) => call.responseId === "action-1");
    expect(reply.body).toEqual({ replace_original: true, text: "pinged again" });
    expect(handled).toEqual(["action:acct_42"]);
  });

  it("returns a view_submission ack body to Slack", async () => {
    const response = await postInteraction(
      baseUrl,
      SIGNING_SECRET,
      viewSubmission({
        callbackId: "ping_modal",
        values: { note: { text: { type: "plain_text_input", value: "hi" } } },
      }),
    );
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ response_action: "errors", errors: { note: "Too short" } });
    expect(handled).toEqual(["view:hi"]);
  });

  it("delivers Events API callbacks and answers url_verification", async () => {
    const challenge = await postEvent(baseUrl, SIGNING_SECRET, {
      type: "url_verification",
      token: "legacy-verification-token",
      challenge: "abc123",
    });
    expect(challenge.json()).toEqual({ challenge: "abc123" });

    const mentioned = once(appEvents, "handled");
    const delivery = await postEvent(
      baseUrl,
      SIGNING_SECRET,
      eventCallback({
        type: "app_mention",
        user: "U0001",
        text: "<@UBOT> status?",
        ts: "1700000001.000100",
        channel: "C0001",
        event_ts: "1700000001.000100",
      }),
    );
    expect(delivery.status).toBe(200);
    expect(await mentioned).toEqual(["mention:<@UBOT> status?"]);
  });

  it("signs exactly like Slack's documented example", () => {
    const body =
      "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V" +
      "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=" +
      "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN" +
      "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    expect(signBody("8f742231b10e8888abcd99yyyzzz85a5", body, 1531420618)).toEqual({
      "x-slack-signature": "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
      "x-slack-request-timestamp": "1531420618",
    });
  });

  it("builds slash commands with Slack's documented fields", () => {
    expect(Object.keys(slashCommand()).sort()).toEqual(
      [
        "api_app_id",
        "channel_id",
        "channel_name",
        "command",
        "is_enterprise_install",
        "response_url",
        "team_domain",
        "team_id",
        "text",
        "token",
        "trigger_id",
        "user_id",
        "user_name",
      ].sort(),
    );
  });
});
