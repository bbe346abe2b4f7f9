// The exit reason classified by AI end to end (a local OpenAI-compatible fake): a case started with
// reason texts but no reason gets the AI's reason and a line saying so; a malformed or slow answer
// leaves the reason unrecorded and says so; only the reason texts are sent; a picked reason is kept.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REASON_TASK } from "../../src/services/exit/suggest-exit-reason.ts";
import { ids } from "../../src/slack/ids.ts";
import { startTestBot, type TestBot } from "../support/bot.ts";
import {
  blocksText,
  casePosted,
  click,
  exitStartValues,
  openedView,
  savedCase,
  snapshot,
  submit,
  threadLine,
  updated,
} from "../support/exit.ts";
import { FAKE_OPENAI_KEY, type FakeOpenAi, startFakeOpenAi } from "../support/fake-openai.ts";

let bot: TestBot;
let ai: FakeOpenAi;
let accounts = 0;

/** Starts a case for a new account through the modal; returns the case's message and account id. */
async function start(values: Parameters<typeof exitStartValues>[0]) {
  accounts += 1;
  const channel = `CCUST${accounts}`;
  const account = await bot.db.prisma.account.create({
    data: { externalId: `A-${accounts}`, name: `Secret Customer ${accounts}`, channelId: channel },
  });
  const before = snapshot(bot);
  const view = {
    callback_id: ids.view.exitStart,
    private_metadata: JSON.stringify({ accountId: account.id, warningId: null }),
  };
  expect(await submit(bot, { view, values: exitStartValues(values) })).toEqual({});
  const posted = await casePosted(bot, before, channel);
  return { before, channel, ts: String(posted.response.ts), accountId: account.id, posted };
}

const reasonOf = async (accountId: string) =>
  (await bot.db.prisma.exitCase.findFirstOrThrow({ where: { accountId } })).reason;

beforeAll(async () => {
  ai = await startFakeOpenAi();
  bot = await startTestBot({
    now: () => new Date("2026-11-23T10:00:00Z"),
    env: { OPENAI_API_KEY: FAKE_OPENAI_KEY, OPENAI_BASE_URL: ai.baseUrl, OPENAI_TIMEOUT_MS: "2000" },
  });
});

afterAll(async () => {
  await bot?.stop();
  await ai?.close();
});

describe("exit reason classified by AI", () => {
  it("the modal says an empty reason is classified from the texts", async () => {
    const account = await bot.db.prisma.account.create({ data: { externalId: "M-1", name: "Modal Co" } });
    const before = snapshot(bot);
    await click(bot, { actionId: ids.action.exitStart, value: JSON.stringify({ accountId: account.id }) });
    const modal = await openedView(bot, before, ids.view.exitStart);
    expect(JSON.stringify(modal.blocks)).toContain(
      "Left empty, it is classified by AI from the reasons below.",
    );
  });

  it("stores the AI's reason, re-renders the case and says so in the thread; only the texts are sent", async () => {
    ai.answer(REASON_TASK, { kind: "json", value: { reason: "price_too_high" } });
    const { before, channel, ts, accountId, posted } = await start({
      surface: "They found it 15% cheaper elsewhere",
      competitor: "Rival GmbH",
    });
    expect(blocksText(posted)).toContain("*Reason:* not recorded yet");
    const line = await threadLine(bot, before, ts, "Reason classified by AI from the text: Price too high");
    expect(blocksText(line)).toContain("change it with Edit case");
    expect(blocksText(await updated(bot, before, channel, ts))).toContain("*Reason:* Price too high");
    expect(await reasonOf(accountId)).toBe("price_too_high");
    const [request] = ai.requestsFor(REASON_TASK);
    expect(request?.user).toBe("Surface reason: They found it 15% cheaper elsewhere");
    expect(request?.system).not.toContain("Secret Customer");
    expect(request?.user).not.toContain("Rival GmbH");
  });

  it("leaves the reason unrecorded when the answer is malformed", async () => {
    ai.answer(REASON_TASK, { kind: "text", text: "I think it is the price, probably." });
    const { before, ts, accountId } = await start({ deep: "Our service team missed three visits" });
    await threadLine(
      bot,
      before,
      ts,
      "The reason was not classified (the AI assistant: its answer made no sense)",
    );
    expect(await reasonOf(accountId)).toBeNull();
  });

  it("leaves the reason unrecorded when the AI is too slow, and nothing else breaks", async () => {
    ai.answer(REASON_TASK, { kind: "json", value: { reason: "poor_service" }, delayMs: 30_000 });
    const { before, ts, accountId } = await start({ surface: "off season" });
    await threadLine(
      bot,
      before,
      ts,
      "The reason was not classified (the AI assistant: it did not answer in time)",
      // Two attempts of OPENAI_TIMEOUT_MS each, with the client's back-off between them.
      20_000,
    );
    expect(await reasonOf(accountId)).toBeNull();
    // The case works as usual: a task button still updates it.
    const task = await bot.db.prisma.exitTask.findFirstOrThrow({
      where: { exitCase: { accountId }, number: 2 },
    });
    const afterAi = snapshot(bot);
    await click(bot, {
      actionId: "exit_task_status:doing",
      value: JSON.stringify({ taskId: task.id, to: "doing" }),
    });
    await threadLine(bot, afterAi, ts, "2. Contain bad news: To do → Doing");
  });

  it("asks nothing when a reason was picked, or when there is no text", async () => {
    ai.answer(REASON_TASK, { kind: "json", value: { reason: "bankrupt" } });
    const asked = ai.requestsFor(REASON_TASK).length;
    const picked = await start({ reason: "moved_away", surface: "relocating to Poland" });
    const empty = await start({});
    // Both cases fully posted (where their message went is saved) before counting requests.
    await savedCase(bot, picked.accountId);
    await savedCase(bot, empty.accountId);
    expect(await reasonOf(picked.accountId)).toBe("moved_away");
    expect(await reasonOf(empty.accountId)).toBeNull();
    expect(ai.requestsFor(REASON_TASK)).toHaveLength(asked);
    expect(bot.fake.rejected).toEqual([]);
  });
});
