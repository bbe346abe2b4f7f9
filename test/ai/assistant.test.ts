// The assistant against a local OpenAI-compatible fake: parsed replies, and clean failures for
// malformed output, output of the wrong shape, a slow server and an HTTP error; the key is never logged.
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { type AiSettings, createAssistant } from "../../src/ai/assistant.ts";
import { FAKE_OPENAI_KEY, type FakeOpenAi, startFakeOpenAi } from "../support/fake-openai.ts";

const ZAnswer = z.object({ reason: z.enum(["price_too_high", "poor_service"]), note: z.string() });

let fake: FakeOpenAi;
const logLines: string[] = [];
const logger = pino(
  { level: "debug" },
  new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  }),
);

function assistant(overrides: Partial<AiSettings> = {}) {
  return createAssistant(
    {
      apiKey: FAKE_OPENAI_KEY,
      baseUrl: fake.baseUrl,
      model: "test-model",
      timeoutMs: 2000,
      shareMoney: true,
      ...overrides,
    },
    logger,
  );
}

const request = { task: "classify_reason", schema: ZAnswer, instructions: "Classify.", input: "too dear" };

beforeAll(async () => {
  fake = await startFakeOpenAi();
});
afterAll(async () => {
  await fake.close();
});

describe("createAssistant", () => {
  it("sends the instructions, the input, the model and a JSON schema named after the task, and parses the reply", async () => {
    fake.answer("classify_reason", { kind: "json", value: { reason: "price_too_high", note: "said so" } });
    const outcome = await assistant().ask(request);
    expect(outcome).toEqual({ ok: true, value: { reason: "price_too_high", note: "said so" } });
    const sent = fake.requestsFor("classify_reason").at(-1);
    expect(sent?.model).toBe("test-model");
    expect(sent?.system).toBe("Classify.");
    expect(sent?.user).toBe("too dear");
    expect(sent?.authorization).toBe(`Bearer ${FAKE_OPENAI_KEY}`);
    const format = sent?.body.response_format as { type: string; json_schema: { strict: boolean } };
    expect(format.type).toBe("json_schema");
    expect(format.json_schema.strict).toBe(true);
  });

  it("reports malformed text as invalid output", async () => {
    fake.answer("classify_reason", { kind: "text", text: "Sure! The reason is {price" });
    expect(await assistant().ask(request)).toEqual({ ok: false, reason: "invalid_output" });
  });

  it("reports JSON of the wrong shape as invalid output", async () => {
    fake.answer("classify_reason", { kind: "json", value: { reason: "aliens", note: 3 } });
    expect(await assistant().ask(request)).toEqual({ ok: false, reason: "invalid_output" });
  });

  it("gives up on a slow server after its timeout (with one retry) instead of waiting", async () => {
    fake.answer("classify_reason", {
      kind: "json",
      value: { reason: "poor_service", note: "" },
      delayMs: 5000,
    });
    const before = fake.requestsFor("classify_reason").length;
    expect(await assistant({ timeoutMs: 200 }).ask(request)).toEqual({ ok: false, reason: "timeout" });
    expect(fake.requestsFor("classify_reason").length - before).toBe(2);
  });

  it("reports an HTTP error as a failure", async () => {
    fake.answer("classify_reason", { kind: "error", status: 400, message: "bad model" });
    expect(await assistant().ask(request)).toEqual({ ok: false, reason: "failed" });
  });

  it("never writes the API key to the log", () => {
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join("\n")).not.toContain(FAKE_OPENAI_KEY);
  });
});
