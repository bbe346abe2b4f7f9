// "Log to customer" end to end: the message shortcut, the customer type-ahead, on to the record modal and the saved sign.
import { randomBytes } from "node:crypto";
import type { BlockSuggestion, MessageShortcut, ViewOutput, ViewStateValue } from "@slack/bolt";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ids } from "../../src/slack/ids.ts";
import { viewViolations } from "../support/block-kit-rules.ts";
import { type SlackBlock, textOf } from "../support/blocks.ts";
import { SIGNING_SECRET, startTestBot, type TestBot } from "../support/bot.ts";
import { FAKE_WORKSPACE } from "../support/fake-slack.ts";
import {
  DEFAULT_CHANNEL,
  DEFAULT_USER,
  postInteraction,
  slackTs,
  triggerId,
  UNSET_RESPONSE_URL,
  viewOutput,
  viewSubmission,
} from "../support/slack-requests.ts";

const NOW = new Date("2026-11-23T12:00:00Z");
const MESSAGE_TS = "1763899200.001200";
let bot: TestBot;
let acmeId: string;

type View = { id: string; blocks: SlackBlock[]; private_metadata: string; callback_id: string };

/** The block with this block_id, typed as the test reads it. */
function blockIn<T>(view: View, blockId: string): T {
  const found = view.blocks.find((b) => b.block_id === blockId);
  expect(found, `block ${blockId}`).toBeDefined();
  return found as unknown as T;
}

/** A message_action payload as Slack documents it: the shortcut chosen on a user's message. */
function messageShortcut(options: { text: string; ts?: string; responseUrl?: string }): MessageShortcut {
  const ts = options.ts ?? MESSAGE_TS;
  return {
    type: "message_action",
    token: "legacy-verification-token",
    action_ts: slackTs(),
    team: { id: FAKE_WORKSPACE.teamId, domain: FAKE_WORKSPACE.teamDomain },
    user: {
      id: DEFAULT_USER.id,
      name: DEFAULT_USER.name,
      username: DEFAULT_USER.username,
      team_id: FAKE_WORKSPACE.teamId,
    },
    channel: DEFAULT_CHANNEL,
    is_enterprise_install: false,
    callback_id: ids.shortcut.logToCustomer,
    trigger_id: triggerId(),
    response_url: options.responseUrl ?? UNSET_RESPONSE_URL,
    message_ts: ts,
    message: {
      type: "message",
      client_msg_id: randomBytes(16).toString("hex"),
      user: "U0CUSTREP",
      team: FAKE_WORKSPACE.teamId,
      ts,
      text: options.text,
    },
  };
}

/** A block_suggestion payload: the rep typed into the external select of an open modal. */
function blockSuggestion(value: string, view: View): BlockSuggestion {
  return {
    type: "block_suggestion",
    user: { id: DEFAULT_USER.id, name: DEFAULT_USER.name, team_id: FAKE_WORKSPACE.teamId },
    container: { type: "view", view_id: view.id },
    api_app_id: FAKE_WORKSPACE.appId,
    token: "legacy-verification-token",
    action_id: ids.action.accountSelect,
    block_id: "log_to_customer_account",
    value,
    team: { id: FAKE_WORKSPACE.teamId, domain: FAKE_WORKSPACE.teamDomain },
    is_enterprise_install: false,
    view: viewOutput({
      id: view.id,
      callback_id: view.callback_id,
      private_metadata: view.private_metadata,
      blocks: view.blocks as ViewOutput["blocks"],
    }),
  };
}

async function shortcut(text: string): Promise<View> {
  bot.fake.reset();
  const res = await postInteraction(bot.url, SIGNING_SECRET, messageShortcut({ text }));
  expect(res.status).toBe(200);
  const call = await bot.fake.waitFor("views.open");
  return (call.response as { view: View }).view;
}

async function search(value: string, view: View): Promise<{ text: string; value: string }[]> {
  const res = await postInteraction(bot.url, SIGNING_SECRET, blockSuggestion(value, view));
  expect(res.status).toBe(200);
  return res.json<{ options: { text: { text: string }; value: string }[] }>().options.map((o) => ({
    text: o.text.text,
    value: o.value,
  }));
}

const picked = (
  accountId: string | null,
  kind: string | null,
): Record<string, Record<string, ViewStateValue>> => ({
  log_to_customer_account: {
    [ids.action.accountSelect]: {
      type: "external_select",
      selected_option: accountId ? { text: { type: "plain_text", text: "ACME" }, value: accountId } : null,
    },
  },
  log_to_customer_kind: {
    log_to_customer_kind: {
      type: "radio_buttons",
      selected_option: kind ? { text: { type: "plain_text", text: kind }, value: kind } : null,
    },
  },
});

async function submitPicker(view: View, accountId: string | null, kind: string | null) {
  const res = await postInteraction(
    bot.url,
    SIGNING_SECRET,
    viewSubmission({
      callbackId: ids.view.logToCustomer,
      values: picked(accountId, kind),
      privateMetadata: view.private_metadata,
      view: { id: view.id },
    }),
  );
  expect(res.status).toBe(200);
  const answer = res.json<{ response_action: string; view?: View; errors?: Record<string, string> }>();
  // A view in the response is not checked by the fake Slack (no API call), so check it here.
  if (answer.view) expect(viewViolations(answer.view)).toEqual([]);
  return answer;
}

beforeAll(async () => {
  bot = await startTestBot({ now: () => NOW });
  acmeId = (
    await bot.db.prisma.account.create({
      data: { externalId: "C-1001", name: "ACME Corporation", aliases: ["Acme"] },
    })
  ).id;
  await bot.db.prisma.account.create({
    data: { externalId: "C-2001", name: "华为技术有限公司", aliases: ["Huawei"] },
  });
  await bot.db.prisma.account.create({ data: { externalId: "C-2002", name: "杭州娃哈哈集团有限公司" } });
  await bot.db.prisma.account.create({
    data: { externalId: "C-9999", name: `Acme ${"Very Long Industrial Holding Name ".repeat(5)}Ltd` },
  });
  for (let n = 1; n <= 25; n++) {
    await bot.db.prisma.account.create({ data: { externalId: `H-${n}`, name: `Harbor Trading ${n}` } });
  }
});

afterAll(async () => {
  await bot?.stop();
});

beforeEach(async () => {
  bot.fake.reset();
  await bot.db.prisma.warningSign.deleteMany();
});

describe("the Log to customer shortcut", () => {
  it("opens the picker with the message's text and its permalink", async () => {
    const view = await shortcut(
      "Their buyer Paula is leaving &amp; a new one starts Monday, see <https://x.test/a|the note>",
    );
    expect(view.callback_id).toBe(ids.view.logToCustomer);
    const permalink = `https://${FAKE_WORKSPACE.teamDomain}.slack.com/archives/${DEFAULT_CHANNEL.id}/p1763899200001200`;
    expect(bot.fake.callsTo("chat.getPermalink")[0]?.body).toMatchObject({
      channel: DEFAULT_CHANNEL.id,
      message_ts: MESSAGE_TS,
    });
    expect(JSON.parse(view.private_metadata)).toEqual({
      text: "Their buyer Paula is leaving & a new one starts Monday, see the note (https://x.test/a)",
      truncated: false,
      permalink,
    });
    const shown = textOf(view.blocks);
    expect(shown).toContain(">Their buyer Paula is leaving &amp; a new one starts Monday");
    expect(shown).toContain(`<${permalink}|Open the message>`);
    const select = blockIn<{
      element: { type: string; action_id: string; min_query_length: number };
    }>(view, "log_to_customer_account");
    expect(select.element).toMatchObject({
      type: "external_select",
      action_id: ids.action.accountSelect,
      min_query_length: 1,
    });
    const kinds = blockIn<{
      element: { options: { value: string }[] };
    }>(view, "log_to_customer_kind");
    expect(kinds.element.options.map((o) => o.value)).toEqual(["interaction", "complaint", "sign"]);
    expect(bot.fake.rejected).toEqual([]);
  });

  it("still opens when Slack gives no permalink, and says so", async () => {
    bot.fake.reset();
    bot.fake.failNext("chat.getPermalink", "channel_not_found");
    await postInteraction(bot.url, SIGNING_SECRET, messageShortcut({ text: "Payment is late again" }));
    const call = await bot.fake.waitFor("views.open");
    const view = (call.response as { view: View }).view;
    expect(JSON.parse(view.private_metadata)).toEqual({ text: "Payment is late again", truncated: false });
    expect(textOf(view.blocks)).toContain("Slack gave no link to this message");
  });

  it("carries a long message cut to fit private_metadata, and says the link holds the rest", async () => {
    const long = `${'He said "no".\n'.repeat(200)}${"x".repeat(3000)}`;
    const view = await shortcut(long);
    expect(view.private_metadata.length).toBeLessThanOrEqual(3000);
    const metadata = JSON.parse(view.private_metadata) as {
      text: string;
      truncated: boolean;
      permalink: string;
    };
    expect(metadata.truncated).toBe(true);
    expect(metadata.permalink).toMatch(/^https:\/\//);
    expect(metadata.text.endsWith("…")).toBe(true);
    expect(long.startsWith(metadata.text.slice(0, -1))).toBe(true);
    expect(textOf(view.blocks)).toContain("the record links to the whole message");
    expect(bot.fake.rejected).toEqual([]);
  });

  it("suggests customers as the rep types, by name, alias, Chinese name and ERP id", async () => {
    const view = await shortcut("hello");
    const acme = await search("acme", view);
    expect(acme[0]).toEqual({ text: "ACME Corporation · C-1001", value: acmeId });
    expect(acme.map((o) => o.text)).toContainEqual(expect.stringMatching(/^Acme Very Long .*… · C-9999$/));
    for (const option of acme) expect(Array.from(option.text).length).toBeLessThanOrEqual(75);

    expect((await search("华为", view)).map((o) => o.text)).toEqual(["华为技术有限公司 · C-2001"]);
    expect((await search("杭州", view)).map((o) => o.text)).toEqual(["杭州娃哈哈集团有限公司 · C-2002"]);
    expect((await search("huawei", view))[0]?.text).toBe("华为技术有限公司 (Huawei) · C-2001");
    expect((await search("acmee corp", view))[0]?.value).toBe(acmeId);
    expect((await search("c-1001", view))[0]?.value).toBe(acmeId);
    expect(await search("harbor trading", view)).toHaveLength(20);
    expect(await search("zzzz qqqq", view)).toEqual([]);
  });

  it("goes on to the chosen record modal with the text prefilled, and the saved sign keeps the permalink", async () => {
    const view = await shortcut("Rival GmbH offered them 10% off");
    const answer = await submitPicker(view, acmeId, "sign");
    expect(answer.response_action).toBe("update");
    const sign = answer.view as View & { type: string };
    expect(sign.callback_id).toBe(ids.view.sign);
    expect(JSON.stringify(sign.blocks)).toContain('"initial_value":"Rival GmbH offered them 10% off"');
    const permalink = `https://${FAKE_WORKSPACE.teamDomain}.slack.com/archives/${DEFAULT_CHANNEL.id}/p1763899200001200`;
    expect(JSON.parse(sign.private_metadata)).toEqual({ accountId: acmeId, permalink });
    expect(textOf(sign.blocks)).toContain(`<${permalink}|the Slack message>`);

    // The update replaces the picker in place: the same view id, so the sign is keyed to it.
    const res = await postInteraction(
      bot.url,
      SIGNING_SECRET,
      viewSubmission({
        callbackId: ids.view.sign,
        privateMetadata: sign.private_metadata,
        view: { id: view.id, blocks: sign.blocks as ViewOutput["blocks"] },
        values: {
          sign_kind: {
            sign_kind: {
              type: "static_select",
              selected_option: { text: { type: "plain_text", text: "x" }, value: "other" },
            },
          },
          sign_date: { sign_date: { type: "datepicker", selected_date: "2026-11-23" } },
          sign_details: {
            sign_details: { type: "plain_text_input", value: "Rival GmbH offered them 10% off" },
          },
        },
      }),
    );
    expect(res.body).toBe("");
    const saved = await bot.db.prisma.warningSign.findFirstOrThrow();
    expect(saved).toMatchObject({ accountId: acmeId, sourcePermalink: permalink, submissionKey: view.id });
    const dm = await bot.fake.waitFor("chat.postMessage");
    expect(String(dm.body.text)).toContain(`Logged from <${permalink}|the Slack message>.`);
  });

  it("goes on from a long message with what was carried, within Block Kit's limits", async () => {
    const long = `${"Please call me back about the renewal. ".repeat(150)}`;
    const view = await shortcut(long);
    for (const kind of ["interaction", "complaint", "sign"]) {
      const answer = await submitPicker(view, acmeId, kind);
      expect(answer.response_action).toBe("update");
      expect(JSON.stringify(answer.view?.blocks)).toContain("Please call me back about the renewal.");
    }
  });

  it.each([
    ["interaction", ids.view.interaction],
    ["complaint", ids.view.complaint],
  ])("goes on to the %s modal with the text prefilled", async (kind, callbackId) => {
    const view = await shortcut("They complained about the last delivery");
    const answer = await submitPicker(view, acmeId, kind);
    expect(answer.response_action).toBe("update");
    expect(answer.view?.callback_id).toBe(callbackId);
    expect(JSON.stringify(answer.view?.blocks)).toContain("They complained about the last delivery");
    expect(JSON.parse(answer.view?.private_metadata ?? "{}")).toMatchObject({ accountId: acmeId });
  });

  it("asks for a customer, and refuses one that no longer exists", async () => {
    const view = await shortcut("hello");
    expect(await submitPicker(view, null, "sign")).toEqual({
      response_action: "errors",
      errors: { log_to_customer_account: "Choose a customer." },
    });
    expect(await submitPicker(view, "00000000-0000-4000-8000-000000000000", "sign")).toEqual({
      response_action: "errors",
      errors: { log_to_customer_account: "That customer no longer exists." },
    });
    expect(await submitPicker(view, acmeId, "gossip")).toEqual({
      response_action: "errors",
      errors: { log_to_customer_kind: "Choose what to log." },
    });
  });
});
