// Follow-up reminders end to end: the scheduled job DMs owners once, and Done marks a follow-up done where it was clicked.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ids } from "../../src/slack/ids.ts";
import { type SlackBlock, textOf } from "../support/blocks.ts";
import { SIGNING_SECRET, startTestBot, type TestBot } from "../support/bot.ts";
import type { FakeSlackCall } from "../support/fake-slack.ts";
import { blockActions, postInteraction } from "../support/slack-requests.ts";

const NOW = new Date("2026-11-23T12:00:00Z");
let bot: TestBot;
let acmeId: string;
let betaId: string;

type Block = SlackBlock & {
  block_id?: string;
  text?: { text: string };
  accessory?: { action_id: string; value: string; text: { text: string } };
};

beforeAll(async () => {
  bot = await startTestBot({ now: () => NOW });
  acmeId = (await bot.db.prisma.account.create({ data: { externalId: "C-1", name: "ACME Corporation" } })).id;
  betaId = (await bot.db.prisma.account.create({ data: { externalId: "C-2", name: "Beta <GmbH>" } })).id;
});

afterAll(async () => {
  await bot?.stop();
});

beforeEach(async () => {
  await bot.db.prisma.followUp.deleteMany();
  bot.fake.reset();
});

async function addFollowUp(
  owner: string,
  dueOn: string,
  description: string,
  extra: { accountId?: string; doneAt?: Date; remindedAt?: Date } = {},
) {
  const { accountId = acmeId, ...rest } = extra;
  return bot.db.prisma.followUp.create({
    data: {
      accountId,
      ownerSlackId: owner,
      dueOn: new Date(`${dueOn}T00:00:00Z`),
      description,
      createdBy: "U0001",
      ...rest,
    },
  });
}

const dmsTo = (owner: string) => bot.fake.callsTo("chat.postMessage").filter((c) => c.body.channel === owner);
const blocksOf = (call: FakeSlackCall | undefined) => (call?.body.blocks ?? []) as Block[];
const doneButtons = (blocks: Block[]) =>
  blocks.filter((b) => b.accessory?.action_id === ids.action.followUpDone).map((b) => b.accessory?.value);

describe("follow-up reminders job", () => {
  it("DMs each owner once with what is due today or earlier, and a second run sends nothing", async () => {
    const offer = await addFollowUp("U0ANN", "2026-11-22", "Send the offer");
    const call = await addFollowUp("U0ANN", "2026-11-23", "Call Paula", { accountId: betaId });
    const later = await addFollowUp("U0ANN", "2026-11-24", "Not due yet");
    await addFollowUp("U0ANN", "2026-11-20", "Done already", { doneAt: new Date("2026-11-21T09:00:00Z") });
    await addFollowUp("U0ANN", "2026-11-21", "Reminded already", {
      remindedAt: new Date("2026-11-21T09:00:00Z"),
    });
    const chase = await addFollowUp("U0BOB", "2026-11-10", "Chase the payment");

    expect(await bot.runJob("follow-up-reminders")).toBe(true);

    expect(bot.fake.callsTo("chat.postMessage")).toHaveLength(2);
    const [ann] = dmsTo("U0ANN");
    const annBlocks = blocksOf(ann);
    expect(doneButtons(annBlocks)).toEqual([offer.id, call.id]);
    expect(textOf(annBlocks)).toBe(
      [
        ":alarm_clock: *You have 2 follow-ups due, 1 overdue.*",
        "*ACME Corporation* — Send the offer\nDue 2026-11-22 · :warning: overdue by 1 day",
        "Done",
        "*Beta &lt;GmbH&gt;* — Call Paula\nDue today (2026-11-23)",
        "Done",
      ].join("\n"),
    );
    expect(ann?.body.text).toBe("You have 2 follow-ups due, 1 overdue. ACME Corporation — Send the offer …");
    const [bob] = dmsTo("U0BOB");
    expect(textOf(blocksOf(bob))).toContain(
      "*ACME Corporation* — Chase the payment\nDue 2026-11-10 · :warning: overdue by 13 days",
    );
    expect(doneButtons(blocksOf(bob))).toEqual([chase.id]);

    const reminded = await bot.db.prisma.followUp.findMany({
      where: { remindedAt: NOW },
      orderBy: { dueOn: "asc" },
    });
    expect(reminded.map((f) => f.id)).toEqual([chase.id, offer.id, call.id]);
    expect(
      (await bot.db.prisma.followUp.findUniqueOrThrow({ where: { id: later.id } })).remindedAt,
    ).toBeNull();

    expect(await bot.runJob("follow-up-reminders")).toBe(true);
    expect(bot.fake.callsTo("chat.postMessage")).toHaveLength(2);
    expect(bot.fake.rejected).toEqual([]);
  });

  it("sends an owner with 30 due follow-ups one valid message: 20 with Done, the rest counted", async () => {
    for (let day = 1; day <= 30; day++) {
      await addFollowUp(
        "U0CAR",
        `2026-10-${String(day).padStart(2, "0")}`,
        `Step ${day} ${"detail ".repeat(80)}`,
      );
    }
    await bot.runJob("follow-up-reminders");
    const calls = dmsTo("U0CAR");
    expect(calls).toHaveLength(1);
    expect(calls[0]?.error).toBeUndefined();
    const blocks = blocksOf(calls[0]);
    expect(blocks).toHaveLength(22);
    expect(doneButtons(blocks)).toHaveLength(20);
    // Most overdue first: 1 October is 53 days late.
    expect(blocks[1]?.text?.text).toContain("Due 2026-10-01 · :warning: overdue by 53 days");
    expect(textOf(blocks.slice(-1))).toBe("…and 10 more on your Home tab.");
    expect(textOf(blocks)).toContain("*You have 30 follow-ups due, 30 overdue.*");
    expect(await bot.db.prisma.followUp.count({ where: { ownerSlackId: "U0CAR", remindedAt: NOW } })).toBe(
      30,
    );
    expect(bot.fake.rejected).toEqual([]);
  });

  it("keeps going when one owner's DM fails, and reminds that owner on the next run", async () => {
    for (const owner of ["U0D1", "U0D2", "U0D3"]) await addFollowUp(owner, "2026-11-23", `Call for ${owner}`);
    bot.fake.failNext("chat.postMessage", "channel_not_found");
    expect(await bot.runJob("follow-up-reminders")).toBe(true);
    const calls = bot.fake.callsTo("chat.postMessage");
    expect(calls).toHaveLength(3);
    const failed = calls.filter((c) => c.error === "channel_not_found");
    expect(failed).toHaveLength(1);
    const failedOwner = String(failed[0]?.body.channel);
    const rows = await bot.db.prisma.followUp.findMany({ orderBy: { ownerSlackId: "asc" } });
    expect(rows.map((r) => [r.ownerSlackId, r.remindedAt])).toEqual(
      ["U0D1", "U0D2", "U0D3"].map((owner) => [owner, owner === failedOwner ? null : NOW]),
    );

    bot.fake.reset();
    await bot.runJob("follow-up-reminders");
    expect(bot.fake.callsTo("chat.postMessage").map((c) => [c.body.channel, c.error])).toEqual([
      [failedOwner, undefined],
    ]);
    expect(await bot.db.prisma.followUp.count({ where: { remindedAt: null } })).toBe(0);
  });
});

describe("Done on a follow-up", () => {
  async function remind(owner: string) {
    await bot.runJob("follow-up-reminders");
    const [dm] = dmsTo(owner);
    if (!dm) throw new Error(`no reminder for ${owner}`);
    return { ts: String(dm.response.ts), text: String(dm.body.text), blocks: blocksOf(dm) };
  }

  function clickDone(value: string, options: { user: string; responseId: string; message?: object }) {
    return postInteraction(
      bot.url,
      SIGNING_SECRET,
      blockActions({
        actionId: ids.action.followUpDone,
        value,
        user: { id: options.user },
        responseUrl: bot.fake.responseUrl(options.responseId),
        channel: { id: `D${options.user.slice(1)}`, name: "directmessage" },
        ...(options.message ? { message: options.message as { ts: string } } : {}),
      }),
    );
  }

  it("marks it done by whoever clicked and shows it done in the reminder; a second click changes nothing", async () => {
    const first = await addFollowUp("U0ANN", "2026-11-20", "Send the offer");
    const second = await addFollowUp("U0ANN", "2026-11-23", "Call Paula");
    const message = await remind("U0ANN");

    const res = await clickDone(first.id, { user: "U0TEAM", responseId: "done1", message });
    expect(res.status).toBe(200);
    const update = await bot.fake.waitFor("response_url", (c) => c.responseId === "done1");
    expect(update.body.replace_original).toBe(true);
    const blocks = update.body.blocks as Block[];
    expect(blocks.find((b) => b.block_id === `follow_up:${first.id}`)).toEqual({
      type: "section",
      block_id: `follow_up:${first.id}`,
      text: {
        type: "mrkdwn",
        text: ":white_check_mark: ~*ACME Corporation* — Send the offer~\nDone by <@U0TEAM> (was due 2026-11-20)",
      },
    });
    expect(doneButtons(blocks)).toEqual([second.id]);
    expect(update.error).toBeUndefined();
    const done = await bot.db.prisma.followUp.findUniqueOrThrow({ where: { id: first.id } });
    expect([done.doneAt, done.doneBy]).toEqual([NOW, "U0TEAM"]);
    expect((await bot.db.prisma.followUp.findUniqueOrThrow({ where: { id: second.id } })).doneAt).toBeNull();

    await clickDone(first.id, { user: "U0ANN", responseId: "done2", message });
    const again = await bot.fake.waitFor("response_url", (c) => c.responseId === "done2");
    expect(textOf(again.body.blocks as Block[])).toContain("Done by <@U0TEAM>");
    const still = await bot.db.prisma.followUp.findUniqueOrThrow({ where: { id: first.id } });
    expect(still.doneBy).toBe("U0TEAM");
  });

  it.each([
    [
      "a value that is no id",
      "nope",
      "That Done button does not point to a follow-up. Open your Home tab for the current list.",
    ],
    [
      "a follow-up that is gone",
      "00000000-0000-4000-8000-000000000000",
      "That follow-up no longer exists. Open your Home tab for the current list.",
    ],
  ])("answers %s privately", async (_, value, text) => {
    await clickDone(value, { user: "U0ANN", responseId: "bad" });
    const answer = await bot.fake.waitFor("response_url", (c) => c.responseId === "bad");
    expect(answer.body).toEqual({ response_type: "ephemeral", replace_original: false, text });
  });

  it("from the Home tab, marks it done and publishes the Home again", async () => {
    const step = await addFollowUp("U0ANN", "2026-11-23", "Call Paula");
    const res = await postInteraction(
      bot.url,
      SIGNING_SECRET,
      blockActions({
        actionId: ids.action.followUpDone,
        value: step.id,
        user: { id: "U0ANN" },
        view: { type: "home", private_metadata: "" },
      }),
    );
    expect(res.status).toBe(200);
    const publish = await bot.fake.waitFor("views.publish");
    expect(publish.body.user_id).toBe("U0ANN");
    expect(publish.error).toBeUndefined();
    expect((await bot.db.prisma.followUp.findUniqueOrThrow({ where: { id: step.id } })).doneBy).toBe("U0ANN");
  });
});
