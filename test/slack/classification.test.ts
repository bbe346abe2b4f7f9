// §7 classification end to end: the daily scan classifies (history only on change), a key account's
// class change is noted once in its channel, a manager designates black face in the modal and the card
// shows it with the why; a rep is refused.
import type { ViewOutput, ViewStateValue } from "@slack/bolt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ids } from "../../src/slack/ids.ts";
import { type SlackBlock, textOf } from "../support/blocks.ts";
import { SIGNING_SECRET, startTestBot, type TestBot } from "../support/bot.ts";
import {
  blockActions,
  eventCallback,
  postEvent,
  postInteraction,
  postSlashCommand,
  viewSubmission,
} from "../support/slack-requests.ts";

let bot: TestBot;
let clock = new Date("2026-11-23T07:00:00Z");
const DAY = 86_400_000;
const MANAGER = "UMANAGER";
const REP = "UREP0001";
let keystoneId: string;
let minorId: string;

type View = { id: string; blocks: SlackBlock[]; private_metadata: string };
type Values = Record<string, Record<string, ViewStateValue>>;

async function seed() {
  const keystone = await bot.db.prisma.account.create({
    data: { externalId: "K-1", name: "Keystone Corp", channelId: "CKEYSTONE", ownerSlackId: "UOWNER1" },
  });
  const minor = await bot.db.prisma.account.create({ data: { externalId: "K-2", name: "Minor Ltd" } });
  keystoneId = keystone.id;
  minorId = minor.id;
  const orders = [];
  for (let week = 1; week <= 40; week++) {
    orders.push({
      accountId: keystone.id,
      externalId: `K-${week}`,
      orderedAt: new Date(clock.getTime() - week * 7 * DAY),
      quantity: 10,
      amount: 1_000_000n,
      cost: 950_000n,
      currency: "USD",
    });
  }
  for (const daysAgo of [5, 9, 80, 200]) {
    orders.push({
      accountId: minor.id,
      externalId: `M-${daysAgo}`,
      orderedAt: new Date(clock.getTime() - daysAgo * DAY),
      quantity: 1,
      amount: 500_000n,
      cost: 100_000n,
      currency: "USD",
    });
  }
  await bot.db.prisma.order.createMany({ data: orders });
}

async function card(text: string, userId: string): Promise<string> {
  const responseUrl = bot.fake.responseUrl();
  await postSlashCommand(bot.url, SIGNING_SECRET, {
    command: "/customer",
    text,
    response_url: responseUrl,
    user_id: userId,
  });
  const call = await bot.fake.waitFor("response_url", (c) => responseUrl.endsWith(c.responseId ?? "-"));
  return textOf((call.body.blocks ?? []) as SlackBlock[]);
}

const notes = () =>
  bot.fake
    .callsTo("chat.postMessage")
    .filter((c) => c.body.channel === "CKEYSTONE" && String(c.body.text).includes("changed class"));

async function openModal(accountId: string, userId: string): Promise<View> {
  bot.fake.reset();
  const res = await postInteraction(
    bot.url,
    SIGNING_SECRET,
    blockActions({ actionId: ids.action.classify, value: accountId, user: { id: userId } }),
  );
  expect(res.status).toBe(200);
  const call = await bot.fake.waitFor("views.open");
  return (call.response as { view: View }).view;
}

const checked = (value: string): ViewStateValue =>
  ({
    type: "checkboxes",
    selected_options: [{ text: { type: "plain_text", text: value }, value }],
  }) as ViewStateValue;
const unchecked = (): ViewStateValue =>
  ({ type: "checkboxes", selected_options: [] }) as unknown as ViewStateValue;

function values(options: { key?: boolean; black?: boolean; reason?: string; trained?: boolean }): Values {
  return {
    class_key: { class_key: options.key ? checked("key") : unchecked() },
    class_black_face: { class_black_face: options.black ? checked("black") : unchecked() },
    class_black_reason: {
      class_black_reason: { type: "plain_text_input", value: options.reason ?? null } as ViewStateValue,
    },
    class_relationship: {
      class_relationship: {
        type: "static_select",
        selected_option: { text: { type: "plain_text", text: "computed" }, value: "computed" },
      } as ViewStateValue,
    },
    class_facts: { class_facts: options.trained ? checked("trained") : unchecked() },
  };
}

async function submit(view: View, state: Values, userId: string) {
  const res = await postInteraction(
    bot.url,
    SIGNING_SECRET,
    viewSubmission({
      callbackId: ids.view.classification,
      values: state,
      privateMetadata: view.private_metadata,
      user: { id: userId },
      view: { id: view.id, blocks: view.blocks as ViewOutput["blocks"] },
    }),
  );
  expect(res.status).toBe(200);
  return res.body === "" ? null : res.json<{ response_action: string; errors: Record<string, string> }>();
}

beforeAll(async () => {
  bot = await startTestBot({ now: () => clock, env: { MANAGER_USER_IDS: MANAGER } });
  await seed();
});

afterAll(async () => {
  await bot?.stop();
});

describe("classification", () => {
  it("classifies on the daily scan and keeps one row per change: two runs save the classes once", async () => {
    expect(await bot.runJob("risk-scan")).toBe(true);
    expect(await bot.runJob("risk-scan")).toBe(true);
    const rows = await bot.db.prisma.accountClass.findMany({ orderBy: { accountId: "asc" } });
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.accountId === keystoneId)?.keyBasis).toBe("revenue");
    // A first classification is no change: no note.
    expect(notes()).toHaveLength(0);
    const text = await card("keystone", MANAGER);
    expect(text).toContain("*Class* Key account");
    expect(text).toContain("#1 of the 1 accounts making 80% of USD revenue");
    expect(bot.fake.rejected).toEqual([]);
  });

  it("notes a key account's class change once in its channel", async () => {
    await bot.db.prisma.interaction.create({
      data: {
        accountId: keystoneId,
        kind: "visit",
        occurredOn: new Date("2026-11-23T00:00:00Z"),
        summary: "Unhappy with delivery times",
        loyalty: "disloyal",
        createdBy: "UOWNER1",
      },
    });
    clock = new Date(clock.getTime() + DAY);
    expect(await bot.runJob("risk-scan")).toBe(true);
    expect(await bot.runJob("risk-scan")).toBe(true);
    expect(notes()).toHaveLength(1);
    expect(String(notes()[0]?.body.text)).toContain("loyalty Disloyal");
    // The owner's Home tab lists the account with its class.
    bot.fake.reset();
    await postEvent(
      bot.url,
      SIGNING_SECRET,
      eventCallback({
        type: "app_home_opened",
        user: "UOWNER1",
        channel: "DUOWNER1",
        tab: "home",
        event_ts: "1764439200.000100",
      }),
    );
    const home = await bot.fake.waitFor("views.publish", (c) => c.body.user_id === "UOWNER1");
    expect(textOf((home.body.view as { blocks: SlackBlock[] }).blocks)).toContain(
      "Keystone Corp* · Active · last contact 2026-11-23, 1 day ago · Key account · White face · Transactional · loyalty Disloyal",
    );
    expect(await bot.db.prisma.accountClass.count({ where: { accountId: keystoneId } })).toBe(2);
  });

  it("shows the face's why, with profit and margin only to those who may see them", async () => {
    const forManager = await card("minor ltd", MANAGER);
    expect(forManager).toMatch(
      /\*Why red\* order gaps vary by [\d.]+ \(irregular from 0\.50\); red: profit per order \$4,000\.00/,
    );
    const forRep = await card("minor ltd", REP);
    expect(forRep).toContain("*Why red*");
    expect(forRep).toContain("profit per order figures for managers");
    expect(forRep).not.toContain("$4,000.00");
  });

  it("lets a manager designate black face with a reason: the card shows it at once with the why", async () => {
    const view = await openModal(keystoneId, MANAGER);
    expect(await submit(view, values({ black: true }), MANAGER)).toMatchObject({
      response_action: "errors",
      errors: { class_black_reason: expect.stringContaining("needs a reason") },
    });
    expect(
      await submit(view, values({ black: true, reason: "Sponsors the city marathon" }), MANAGER),
    ).toBeNull();
    await bot.fake.waitFor("chat.postMessage", (c) => c.body.channel === "CKEYSTONE");
    // A replayed submit changes nothing.
    expect(
      await submit(view, values({ black: true, reason: "Sponsors the city marathon" }), MANAGER),
    ).toBeNull();
    const account = await bot.db.prisma.account.findUniqueOrThrow({ where: { id: keystoneId } });
    expect(account).toMatchObject({ blackFaceBy: MANAGER, blackFaceReason: "Sponsors the city marathon" });
    expect(await bot.db.prisma.accountClass.count({ where: { accountId: keystoneId } })).toBe(3);
    expect(notes()).toHaveLength(1);
    const text = await card("keystone", MANAGER);
    expect(text).toContain("Black face");
    expect(text).toContain(`*Why black* designated by <@${MANAGER}>: Sponsors the city marathon`);
    expect(text).toMatch(/before: Key account · .* \(since 2026-11-24\)/);
    expect(bot.fake.rejected).toEqual([]);
  });

  it("refuses a rep's designation with a clear message in the form, and saves nothing", async () => {
    const view = await openModal(minorId, REP);
    expect(JSON.stringify(view.blocks)).toContain("(managers only)");
    const answer = await submit(view, values({ key: true, trained: true }), REP);
    expect(answer).toMatchObject({
      response_action: "errors",
      errors: { class_key: expect.stringContaining("Only a manager can designate a key account") },
    });
    const account = await bot.db.prisma.account.findUniqueOrThrow({ where: { id: minorId } });
    expect(account).toMatchObject({ keyDesignatedBy: null, trained: false });
    // The switching-cost facts alone are anyone's to record.
    expect(await submit(view, values({ trained: true }), REP)).toBeNull();
    expect((await bot.db.prisma.account.findUniqueOrThrow({ where: { id: minorId } })).trained).toBe(true);
  });
});
