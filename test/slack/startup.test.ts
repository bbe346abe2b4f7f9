// Start-up against Slack: a rejected or unreachable bot token stops the bot with one clear message.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAppError } from "../../src/errors.ts";
import { createSilentLogger } from "../../src/logger.ts";
import { startBot } from "../../src/main.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.ts";

let fake: FakeSlack;
let db: TestDatabase;

beforeAll(async () => {
  fake = await startFakeSlack();
  db = await createTestDatabase();
});

afterAll(async () => {
  await fake?.close();
  await db?.drop();
});

function start(apiUrl: string) {
  return startBot({
    env: {
      SLACK_BOT_TOKEN: "xoxb-revoked-token",
      SLACK_SIGNING_SECRET: "secret",
      SLACK_API_URL: apiUrl,
      DATABASE_URL: db.url,
      PORT: "0",
    },
    logger: createSilentLogger(),
  });
}

async function failure(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isAppError(error)).toBe(true);
  return isAppError(error) ? error.userMessage : "";
}

describe("bot start-up", () => {
  it("checks the token with auth.test and names Slack's refusal without echoing the token", async () => {
    fake.failNext("auth.test", "token_revoked");
    const message = await failure(start(fake.apiUrl));
    expect(message).toContain("Slack rejected SLACK_BOT_TOKEN (token_revoked)");
    expect(message).toContain('"Connect to Slack"');
    expect(message).not.toContain("xoxb-revoked-token");
    expect(fake.callsTo("auth.test")[0]?.token).toBe("xoxb-revoked-token");
  });

  it("says so when Slack cannot be reached", async () => {
    const message = await failure(start("http://127.0.0.1:1/api/"));
    expect(message).toContain("Could not reach Slack at http://127.0.0.1:1/api/");
  });
});
