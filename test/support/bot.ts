// Starts the real bot (startBot, HTTP mode) against a fake Slack and a test database, for end-to-end tests.

import { createSilentLogger } from "../../src/logger.ts";
import { startBot } from "../../src/main.ts";
import { type SlackBlock, textOf } from "./blocks.ts";
import { createTestDatabase, type TestDatabase } from "./db.ts";
import { type FakeSlack, type FakeSlackCall, startFakeSlack } from "./fake-slack.ts";
import { postSlashCommand } from "./slack-requests.ts";

export const SIGNING_SECRET = "test-signing-secret-0123456789abcdef";
export const BOT_TOKEN = "xoxb-test-bot-token";

export type TestBot = {
  url: string;
  fake: FakeSlack;
  db: TestDatabase;
  /** Runs a scheduled job now (as its cron would), e.g. "follow-up-reminders". */
  runJob(name: string): Promise<boolean>;
  stop(): Promise<void>;
};

export type TestBotOptions = {
  now?: () => Date;
  env?: Record<string, string>;
  /** Reuse a database (and keep it on stop); by default a fresh one is made and dropped. */
  db?: TestDatabase;
};

export async function startTestBot(options: TestBotOptions = {}): Promise<TestBot> {
  const fake = await startFakeSlack();
  const db = options.db ?? (await createTestDatabase());
  const bot = await startBot({
    env: {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      DATABASE_URL: db.url,
      PORT: "0",
      TIME_ZONE: "UTC",
      ...options.env,
    },
    logger: createSilentLogger(),
    ...(options.now ? { now: options.now } : {}),
  });
  return {
    url: `http://127.0.0.1:${bot.port}`,
    fake,
    db,
    runJob: (name) => bot.scheduler.runNow(name),
    async stop() {
      await bot.stop();
      await fake.close();
      if (!options.db) await db.drop();
    },
  };
}

/** Sends `/customer <text>` as Slack does and returns the private answer posted to its response URL. */
export async function runCustomerCommand(
  bot: TestBot,
  text: string,
  fields: { user_id?: string } = {},
): Promise<{ call: FakeSlackCall; blocks: SlackBlock[]; text: string }> {
  const responseUrl = bot.fake.responseUrl();
  const res = await postSlashCommand(bot.url, SIGNING_SECRET, {
    command: "/customer",
    text,
    response_url: responseUrl,
    ...fields,
  });
  if (res.status !== 200) throw new Error(`/customer ${text} answered HTTP ${res.status}`);
  const call = await bot.fake.waitFor(
    "response_url",
    (c) => c.responseId !== undefined && responseUrl.endsWith(c.responseId),
  );
  const blocks = (call.body.blocks ?? []) as SlackBlock[];
  return { call, blocks, text: textOf(blocks) };
}
