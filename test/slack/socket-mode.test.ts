// The bot in Socket Mode (SLACK_APP_TOKEN set): connects through apps.connections.open and answers /customer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSilentLogger } from "../../src/logger.ts";
import { type RunningBot, startBot } from "../../src/main.ts";
import { type SlackBlock, textOf } from "../support/blocks.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";
import { type FakeSlack, startFakeSlack } from "../support/fake-slack.ts";
import {
  type FakeSocketMode,
  slashCommandEnvelope,
  startFakeSocketMode,
} from "../support/fake-socket-mode.ts";

let fake: FakeSlack;
let socket: FakeSocketMode;
let db: TestDatabase;
let bot: RunningBot;

beforeAll(async () => {
  fake = await startFakeSlack();
  socket = await startFakeSocketMode(fake);
  db = await createTestDatabase();
  await db.prisma.account.create({ data: { externalId: "S-1", name: "Socket Works GmbH" } });
  bot = await startBot({
    env: {
      SLACK_BOT_TOKEN: "xoxb-socket-test",
      SLACK_APP_TOKEN: "xapp-socket-test",
      SLACK_API_URL: fake.apiUrl,
      DATABASE_URL: db.url,
      PORT: "0",
    },
    logger: createSilentLogger(),
  });
});

afterAll(async () => {
  await bot?.stop();
  await socket?.close();
  await fake?.close();
  await db?.drop();
});

describe("Socket Mode", () => {
  it("opens the connection with the app token through the configured API URL", async () => {
    await socket.connected();
    const open = fake.callsTo("apps.connections.open");
    expect(open).toHaveLength(1);
    expect(open[0]?.token).toBe("xapp-socket-test");
  });

  it("acks a /customer envelope and answers through its response URL", async () => {
    const responseUrl = fake.responseUrl("socket");
    const id = socket.send(
      slashCommandEnvelope({ command: "/customer", text: "socket works", response_url: responseUrl }),
    );
    await socket.waitForAck(id);
    const answer = await fake.waitFor("response_url", (c) => c.responseId === "socket");
    expect(textOf(answer.body.blocks as SlackBlock[])).toContain("Socket Works GmbH");
    expect(fake.rejected).toEqual([]);
  });
});
