// Proves Bolt's SocketModeReceiver connects through the fakes, receives envelopes and acks them.
import { App, LogLevel, SocketModeReceiver } from "@slack/bolt";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { captureLogger } from "../support/capture-logger.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.ts";
import {
  type FakeSocketMode,
  interactiveEnvelope,
  slashCommandEnvelope,
  startFakeSocketMode,
} from "../support/fake-socket-mode.ts";
import { blockActions } from "../support/slack-requests.ts";

let fake: FakeSlack;
let socket: FakeSocketMode;
let app: App | undefined;

beforeEach(async () => {
  fake = await startFakeSlack();
  socket = await startFakeSocketMode(fake);
});

afterEach(async () => {
  // The app goes first: a socket-mode client that loses its server tries to reconnect.
  await app?.stop();
  app = undefined;
  await socket.close();
  await fake.close();
});

function registerPing(target: App): void {
  target.command("/ping", async ({ ack, client, command }) => {
    await ack({ response_type: "ephemeral", text: "pong" });
    await client.chat.postMessage({ channel: command.channel_id, text: "pong (socket mode)" });
  });
  target.action("ping_again", async ({ ack }) => {
    await ack();
  });
}

describe("Bolt SocketModeReceiver against the fakes", () => {
  it("connects via apps.connections.open, receives a slash command and acks it", async () => {
    app = new App({
      socketMode: true,
      appToken: "xapp-test",
      token: "xoxb-test",
      // App passes clientOptions on to the socket-mode client, so apps.connections.open hits the fake too.
      clientOptions: { slackApiUrl: fake.apiUrl },
      logger: captureLogger(),
      logLevel: LogLevel.INFO,
    });
    registerPing(app);
    await app.start();
    await fake.waitFor("auth.test");

    expect(socket.connectionCount).toBe(1);
    const [connectionsOpen, ...reconnects] = fake.callsTo("apps.connections.open");
    expect(reconnects).toEqual([]);
    expect(connectionsOpen).toMatchObject({ token: "xapp-test", response: { ok: true } });

    const envelopeId = socket.send(slashCommandEnvelope({ command: "/ping", text: "" }));
    const ack = await socket.waitForAck(envelopeId);
    expect(ack).toEqual({ envelope_id: envelopeId, payload: { response_type: "ephemeral", text: "pong" } });

    const posted = await fake.waitFor("chat.postMessage");
    expect(posted).toMatchObject({
      token: "xoxb-test",
      body: { channel: "C0001", text: "pong (socket mode)" },
    });
    expect(fake.rejected).toEqual([]);
  });

  it("acks interactive envelopes with an empty payload when ack() gets no body", async () => {
    app = new App({
      socketMode: true,
      appToken: "xapp-test",
      token: "xoxb-test",
      clientOptions: { slackApiUrl: fake.apiUrl },
      logger: captureLogger(),
    });
    registerPing(app);
    await app.start();
    await fake.waitFor("auth.test");

    const envelope = interactiveEnvelope(blockActions({ actionId: "ping_again", value: "1" }));
    expect(envelope.accepts_response_payload).toBe(false);
    const ack = await socket.waitForAck(socket.send(envelope));
    expect(ack.payload).toEqual({});
  });

  it("reconnects through a fresh apps.connections.open when Slack asks it to", async () => {
    // A receiver of our own so the reconnect delay (clientPingTimeout x attempts) stays short. Note that a
    // hand-built SocketModeReceiver takes the API URL from installerOptions.clientOptions, not clientOptions.
    const receiver = new SocketModeReceiver({
      appToken: "xapp-test",
      clientPingTimeout: 300,
      installerOptions: { clientOptions: { slackApiUrl: fake.apiUrl } },
      logger: captureLogger(),
    });
    app = new App({
      receiver,
      token: "xoxb-test",
      clientOptions: { slackApiUrl: fake.apiUrl },
      logger: captureLogger(),
    });
    registerPing(app);
    await app.start();
    await fake.waitFor("auth.test");

    const secondOpen = fake.waitFor(
      "apps.connections.open",
      () => fake.callsTo("apps.connections.open").length === 2,
    );
    socket.requestDisconnect();
    await secondOpen;
    await socket.connected();

    const envelopeId = socket.send(slashCommandEnvelope({ command: "/ping" }));
    expect((await socket.waitForAck(envelopeId)).payload).toMatchObject({ text: "pong" });
  });

  it("greets a raw client with hello and only accepts one-time tickets", async () => {
    const opened = await fetch(`${fake.apiUrl}apps.connections.open`, {
      method: "POST",
      headers: { authorization: "Bearer xapp-raw" },
    });
    const { url } = (await opened.json()) as { url: string };
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=/);

    const client = new WebSocket(url);
    const hello = await new Promise<unknown>((resolve, reject) => {
      client.once("message", (data) => resolve(JSON.parse(String(data))));
      client.once("error", reject);
    });
    expect(hello).toMatchObject({ type: "hello", num_connections: 1, connection_info: { app_id: "A0001" } });

    const reused = new WebSocket(url);
    const refusal = await new Promise<string>((resolve) => {
      reused.once("error", (error) => resolve(error.message));
      reused.once("open", () => resolve("opened"));
    });
    expect(refusal).toContain("401");

    const closed = new Promise((resolve) => client.once("close", resolve));
    client.close();
    await closed;
  });

  it("fails clearly when nobody is connected", () => {
    expect(() => socket.send(slashCommandEnvelope())).toThrow(/no client connected/);
  });
});
