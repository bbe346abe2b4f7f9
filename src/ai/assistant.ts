// The AI assistant (any OpenAI-compatible server): one structured request at a time, its reply checked
// with zod. A timeout, an error or a reply that does not fit the schema is a clean "unavailable", so
// every feature that uses it has a deterministic fallback. Only the text a feature builds is sent.
import OpenAI from "openai";
import { zodResponseFormat } from "openai/helpers/zod";
import type { z } from "zod";
import type { Logger } from "../logger.ts";

export type AiSettings = Readonly<{
  apiKey: string;
  /** Any OpenAI-compatible server; the SDK's default (api.openai.com) when unset. */
  baseUrl: string | undefined;
  model: string;
  /** Per request, including the one retry. */
  timeoutMs: number;
  /** When false, prompts leave out money figures (order values, receivables, losses). */
  shareMoney: boolean;
}>;

export type AiRequest<T> = {
  /** Names the task in logs and in the response format (letters, digits, _ and -). */
  task: string;
  schema: z.ZodType<T>;
  instructions: string;
  input: string;
};

export type AiOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; reason: "timeout" | "failed" | "invalid_output" };

export type Assistant = {
  readonly shareMoney: boolean;
  ask<T>(request: AiRequest<T>): Promise<AiOutcome<T>>;
};

export function createAssistant(settings: AiSettings, logger: Logger): Assistant {
  const client = new OpenAI({
    apiKey: settings.apiKey,
    ...(settings.baseUrl ? { baseURL: settings.baseUrl } : {}),
    timeout: settings.timeoutMs,
    maxRetries: 1,
  });
  const log = logger.child({ component: "ai" });
  return {
    shareMoney: settings.shareMoney,
    async ask<T>(request: AiRequest<T>): Promise<AiOutcome<T>> {
      const started = performance.now();
      let content: string | null | undefined;
      try {
        const completion = await client.chat.completions.create({
          model: settings.model,
          messages: [
            { role: "system", content: request.instructions },
            { role: "user", content: request.input },
          ],
          response_format: zodResponseFormat(request.schema as z.ZodType, request.task),
        });
        content = completion.choices[0]?.message?.content;
      } catch (error) {
        const timedOut = error instanceof OpenAI.APIConnectionTimeoutError;
        // The SDK's errors carry status and message, never the key.
        log.warn(
          {
            task: request.task,
            err: (error as Error).message,
            status: (error as { status?: number }).status,
          },
          timedOut ? "AI request timed out" : "AI request failed",
        );
        return { ok: false, reason: timedOut ? "timeout" : "failed" };
      }
      const parsed = parseReply(request.schema, content);
      const ms = Math.round(performance.now() - started);
      if (!parsed.ok) {
        log.warn({ task: request.task, ms }, "AI reply did not fit the expected shape");
        return parsed;
      }
      log.info({ task: request.task, ms }, "AI request answered");
      return parsed;
    },
  };
}

function parseReply<T>(schema: z.ZodType<T>, content: string | null | undefined): AiOutcome<T> {
  if (!content) return { ok: false, reason: "invalid_output" };
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    return { ok: false, reason: "invalid_output" };
  }
  const result = schema.safeParse(json);
  return result.success ? { ok: true, value: result.data } : { ok: false, reason: "invalid_output" };
}
