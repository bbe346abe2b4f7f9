// A local Socket Mode endpoint: Bolt's SocketModeReceiver connects to it, receives envelopes and acks them here.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { EnvelopedEvent, SlashCommand } from "@slack/bolt";
import { type WebSocket, WebSocketServer } from "ws";
import { FAKE_WORKSPACE, type FakeSlack } from "./fake-slack.ts";
import { slashCommand } from "./slack-requests.ts";

/** What Slack pushes over the socket for each request it would otherwise POST to an HTTP endpoint. */
export interface SocketModeEnvelope {
  envelope_id: string;
  type: "slash_commands" | "interactive" | "events_api" | (string & {});
  payload: unknown;
  accepts_response_payload?: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

/** The app's acknowledgement: `payload` holds what it passed to `ack()` (`{}` when nothing). */
export interface SocketModeAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export interface FakeSocketMode {
  /** Base WebSocket URL; `apps.connections.open` hands out this plus a one-time ticket. */
  readonly url: string;
  /** Acks received, in arrival order. */
  readonly acks: readonly SocketModeAck[];
  /** Envelopes sent, in order. */
  readonly sent: readonly SocketModeEnvelope[];
  /** Currently open client connections. */
  readonly connectionCount: number;
  /** Resolves once a client is connected and has been sent `hello` (at once if one already is). */
  connected(timeoutMs?: number): Promise<void>;
  /** Pushes an envelope to the newest open connection and returns its envelope_id. */
  send(envelope: SocketModeEnvelope): string;
  /** Resolves with the app's ack for `envelopeId`, whether it already arrived or arrives later. */
  waitForAck(envelopeId: string, timeoutMs?: number): Promise<SocketModeAck>;
  /** Sends Slack's `disconnect` message, which makes the client reconnect through apps.connections.open. */
  requestDisconnect(reason?: string): void;
  /** Closes connections and the server. Stop the Bolt app first, or it will try to reconnect. */
  close(): Promise<void>;
}

interface Pending<T> {
  matches: (value: T) => boolean;
  resolve: (value: T) => void;
  fail: (reason: string) => void;
  timer: NodeJS.Timeout;
}

const DEBUG_INFO = { host: "applink-fake-1", build_number: 1, approximate_connection_time: 18_060 };

export async function startFakeSocketMode(fake: FakeSlack): Promise<FakeSocketMode> {
  const tickets = new Set<string>();
  const clients: WebSocket[] = [];
  const acks: SocketModeAck[] = [];
  const sent: SocketModeEnvelope[] = [];
  const ackWaiters = new Set<Pending<SocketModeAck>>();
  const connectWaiters = new Set<Pending<WebSocket>>();

  const wss = new WebSocketServer({ noServer: true });
  const http = createServer((_req, res) => {
    res.writeHead(426, { "content-type": "text/plain" });
    res.end("upgrade required");
  });

  http.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url ?? "/", "ws://127.0.0.1");
    const ticket = url.searchParams.get("ticket") ?? "";
    // Like Slack, only a fresh ticket from apps.connections.open opens a connection, and only once.
    if (url.pathname !== "/link/" || !tickets.delete(ticket)) {
      socket.end("HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
  });

  wss.on("connection", (ws: WebSocket) => {
    clients.push(ws);
    ws.on("close", () => {
      const index = clients.indexOf(ws);
      if (index >= 0) clients.splice(index, 1);
    });
    ws.on("message", (data, isBinary) => {
      if (isBinary) return;
      let message: unknown;
      try {
        message = JSON.parse(String(data));
      } catch {
        return;
      }
      if (typeof message !== "object" || message === null || !("envelope_id" in message)) return;
      const ack = message as SocketModeAck;
      acks.push(ack);
      settle(ackWaiters, ack);
    });
    ws.send(
      JSON.stringify({
        type: "hello",
        num_connections: clients.length,
        debug_info: DEBUG_INFO,
        connection_info: { app_id: FAKE_WORKSPACE.appId },
      }),
    );
    settle(connectWaiters, ws);
  });

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(0, "127.0.0.1", () => {
      http.off("error", reject);
      resolve();
    });
  });
  const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/link/`;

  const detach = fake.attachSocketMode(() => {
    const ticket = randomUUID();
    tickets.add(ticket);
    return `${url}?ticket=${ticket}&app_id=${FAKE_WORKSPACE.appId}`;
  });

  const openClients = (): WebSocket[] => clients.filter((ws) => ws.readyState === ws.OPEN);

  return {
    url,
    acks,
    sent,
    get connectionCount() {
      return openClients().length;
    },
    connected(timeoutMs = 5000) {
      if (openClients().length > 0) return Promise.resolve();
      return wait(
        connectWaiters,
        () => true,
        timeoutMs,
        () => {
          return `Fake socket mode: no client connected within ${timeoutMs}ms (is the app started with socketMode and slackApiUrl pointing at the fake?).`;
        },
      ).then(() => undefined);
    },
    send(envelope) {
      const target = openClients().at(-1);
      if (target === undefined) {
        throw new Error(`Fake socket mode: no client connected to receive envelope ${envelope.type}`);
      }
      sent.push(envelope);
      target.send(JSON.stringify(envelope));
      return envelope.envelope_id;
    },
    waitForAck(envelopeId, timeoutMs = 5000) {
      const already = acks.find((ack) => ack.envelope_id === envelopeId);
      if (already) return Promise.resolve(already);
      return wait(
        ackWaiters,
        (ack) => ack.envelope_id === envelopeId,
        timeoutMs,
        () =>
          `Fake socket mode: no ack for envelope ${envelopeId} within ${timeoutMs}ms. ` +
          `Sent: ${sent.map((e) => `${e.type}:${e.envelope_id}`).join(", ") || "none"}. ` +
          `Acked: ${acks.map((a) => a.envelope_id).join(", ") || "none"}.`,
      );
    },
    requestDisconnect(reason = "refresh_requested") {
      for (const ws of openClients()) {
        ws.send(JSON.stringify({ type: "disconnect", reason, debug_info: DEBUG_INFO }));
      }
    },
    async close() {
      detach();
      for (const waiter of [...ackWaiters])
        waiter.fail("Fake socket mode was closed while waiting for an ack.");
      for (const waiter of [...connectWaiters])
        waiter.fail("Fake socket mode was closed while waiting to connect.");
      await Promise.all([...clients].map(closeGracefully));
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve, reject) => {
        http.close((error) => (error ? reject(error) : resolve()));
        http.closeAllConnections();
      });
    },
  };
}

/** Lets a client finish the close handshake (e.g. one started by `app.stop()`), then cuts it off. */
function closeGracefully(ws: WebSocket): Promise<void> {
  if (ws.readyState === ws.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => ws.terminate(), 1000);
    ws.once("close", () => {
      clearTimeout(timer);
      resolve();
    });
    if (ws.readyState === ws.OPEN) ws.close(1001, "going away");
  });
}

function settle<T>(waiters: Set<Pending<T>>, value: T): void {
  for (const waiter of waiters) {
    if (!waiter.matches(value)) continue;
    waiters.delete(waiter);
    clearTimeout(waiter.timer);
    waiter.resolve(value);
  }
}

function wait<T>(
  waiters: Set<Pending<T>>,
  matches: (value: T) => boolean,
  timeoutMs: number,
  describe: () => string,
): Promise<T> {
  // Created here so a timeout points at the test line that waited, not at a timer.
  const error = new Error();
  return new Promise<T>((resolve, reject) => {
    const waiter: Pending<T> = {
      matches,
      resolve,
      fail: (reason) => {
        waiters.delete(waiter);
        clearTimeout(waiter.timer);
        error.message = reason;
        reject(error);
      },
      timer: setTimeout(() => waiter.fail(describe()), timeoutMs),
    };
    waiters.add(waiter);
  });
}

function envelopeId(): string {
  return randomUUID();
}

/** A slash command as Socket Mode delivers it; Slack lets the ack carry a response message. */
export function slashCommandEnvelope(fields: Partial<SlashCommand> = {}): SocketModeEnvelope {
  return {
    envelope_id: envelopeId(),
    type: "slash_commands",
    payload: slashCommand(fields),
    accepts_response_payload: true,
  };
}

/**
 * An interaction (block_actions, view_submission, shortcut ...) as Socket Mode delivers it. Slack accepts a
 * response payload in the ack for view_submission (response_action) but not for block_actions.
 */
export function interactiveEnvelope(payload: { type: string }): SocketModeEnvelope {
  return {
    envelope_id: envelopeId(),
    type: "interactive",
    payload,
    accepts_response_payload: payload.type === "view_submission" || payload.type === "block_suggestion",
  };
}

/** An Events API delivery (use `eventCallback(event)` for the body). */
export function eventsApiEnvelope(body: EnvelopedEvent<{ type: string }>): SocketModeEnvelope {
  return {
    envelope_id: envelopeId(),
    type: "events_api",
    payload: body,
    accepts_response_payload: false,
    retry_attempt: 0,
    retry_reason: "",
  };
}
