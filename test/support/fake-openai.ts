// A local stand-in for an OpenAI-compatible server (POST /v1/chat/completions): records every request
// and answers what a test scripted per task (the response format's name): a JSON reply, malformed
// text, an HTTP error, or a reply that comes too late.
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const FAKE_OPENAI_KEY = "sk-test-fake-openai-key-0123456789";

export type FakeOpenAiRequest = {
  /** The response format's schema name, i.e. the assistant's task. */
  task: string | undefined;
  model: string;
  system: string;
  user: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
};

export type FakeReply =
  | { kind: "json"; value: unknown; delayMs?: number }
  | { kind: "text"; text: string; delayMs?: number }
  | { kind: "error"; status: number; message?: string };

export interface FakeOpenAi {
  /** `http://127.0.0.1:PORT/v1`: pass as OPENAI_BASE_URL. */
  readonly baseUrl: string;
  readonly requests: readonly FakeOpenAiRequest[];
  /** Every following request for `task` gets `reply` (until replaced). */
  answer(task: string, reply: FakeReply): void;
  requestsFor(task: string): FakeOpenAiRequest[];
  close(): Promise<void>;
}

type Message = { role?: string; content?: string };

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
}

function completion(model: string, content: string): Record<string, unknown> {
  return {
    id: `chatcmpl-${Date.now()}`,
    object: "chat.completion",
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content, refusal: null } }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const requests: FakeOpenAiRequest[] = [];
  const replies = new Map<string, FakeReply>();
  const sockets = new Set<import("node:net").Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const send = (res: ServerResponse, status: number, body: unknown): void => {
    if (res.destroyed) return;
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };

  const server = createServer((req, res) => {
    void (async () => {
      if (req.method !== "POST" || req.url !== "/v1/chat/completions") {
        send(res, 404, { error: { message: `no route ${req.method} ${req.url}` } });
        return;
      }
      const body = await readJson(req);
      const messages = (body.messages ?? []) as Message[];
      const format = body.response_format as { json_schema?: { name?: string } } | undefined;
      const task = format?.json_schema?.name;
      const model = String(body.model ?? "");
      requests.push({
        task,
        model,
        system: messages.find((m) => m.role === "system")?.content ?? "",
        user: messages.find((m) => m.role === "user")?.content ?? "",
        authorization: req.headers.authorization,
        body,
      });
      const reply = (task && replies.get(task)) || undefined;
      if (!reply) {
        send(res, 500, { error: { message: `the fake has no answer scripted for task ${task}` } });
        return;
      }
      if (reply.kind === "error") {
        send(res, reply.status, { error: { message: reply.message ?? "scripted failure" } });
        return;
      }
      const content = reply.kind === "json" ? JSON.stringify(reply.value) : reply.text;
      const answer = () => send(res, 200, completion(model, content));
      if (!reply.delayMs) {
        answer();
        return;
      }
      const timer = setTimeout(() => {
        timers.delete(timer);
        answer();
      }, reply.delayMs);
      timers.add(timer);
    })().catch((error: unknown) => send(res, 500, { error: { message: String(error) } }));
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    answer(task, reply) {
      replies.set(task, reply);
    },
    requestsFor(task) {
      return requests.filter((request) => request.task === task);
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, "close");
    },
  };
}
