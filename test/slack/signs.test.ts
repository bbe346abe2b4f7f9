// Warning signs end to end: the modal from the card and /customer, kind-dependent fields, saving, errors, replays.
import type { BlockAction, StaticSelectAction, ViewOutput, ViewStateValue } from "@slack/bolt";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type SignKind, signKinds } from "../../src/domain/signs.ts";
import { ids } from "../../src/slack/ids.ts";
import { type SlackBlock, textOf } from "../support/blocks.ts";
import { SIGNING_SECRET, startTestBot, type TestBot } from "../support/bot.ts";
import {
  blockActions,
  postInteraction,
  postSlashCommand,
  slackTs,
  viewSubmission,
} from "../support/slack-requests.ts";

const NOW = new Date("2026-11-23T12:00:00Z");
const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
let bot: TestBot;
let acmeId: string;
let paulaId: string;
let danaId: string;

type View = {
  id: string;
  blocks: SlackBlock[];
  private_metadata: string;
  callback_id: string;
  hash?: string;
};

/** The block with this block_id, typed as the test reads it. */
function blockIn<T>(view: View, blockId: string): T {
  const found = view.blocks.find((b) => b.block_id === blockId);
  expect(found, `block ${blockId}`).toBeDefined();
  return found as unknown as T;
}

type Values = Record<string, Record<string, ViewStateValue>>;

const select = (value: string): ViewStateValue => ({
  type: "static_select",
  selected_option: { text: { type: "plain_text", text: value }, value },
});
const text = (value: string | null): ViewStateValue => ({ type: "plain_text_input", value });
const email = (value: string | null): ViewStateValue => ({ type: "email_text_input", value });
const date = (value: string): ViewStateValue => ({ type: "datepicker", selected_date: value });
const checks = (...values: string[]): ViewStateValue => ({
  type: "checkboxes",
  selected_options: values.map((value) => ({ text: { type: "plain_text", text: value }, value })),
});
/** Each input's action_id is its block_id in the sign modal. */
const field = (blockId: string, value: ViewStateValue): Values => ({ [blockId]: { [blockId]: value } });

function signValues(kind: SignKind, extra: Values = {}, details = "What we heard"): Values {
  return {
    ...field("sign_kind", select(kind)),
    ...field("sign_date", date("2026-11-20")),
    ...field("sign_details", text(details)),
    ...extra,
  };
}

async function openFromButton(): Promise<View> {
  bot.fake.reset();
  const res = await postInteraction(
    bot.url,
    SIGNING_SECRET,
    blockActions({ actionId: ids.action.recordSign, value: acmeId }),
  );
  expect(res.status).toBe(200);
  const call = await bot.fake.waitFor("views.open");
  return (call.response as { view: View }).view;
}

/** The rep picks a kind: Slack sends block_actions from the view, the app rebuilds it. */
async function chooseKind(view: View, kind: SignKind, values: Values = {}): Promise<View> {
  bot.fake.reset();
  const state = { ...values, ...field("sign_kind", select(kind)) };
  const base = blockActions({
    actionId: "sign_kind",
    view: { ...view, state: { values: state } } as Partial<ViewOutput>,
    state,
  });
  const action: StaticSelectAction = {
    type: "static_select",
    action_id: "sign_kind",
    block_id: "sign_kind",
    selected_option: { text: { type: "plain_text", text: kind }, value: kind },
    placeholder: { type: "plain_text", text: "Choose a kind" },
    action_ts: slackTs(),
  };
  const payload: BlockAction<StaticSelectAction> = {
    ...base,
    actions: [action],
  } as BlockAction<StaticSelectAction>;
  expect((await postInteraction(bot.url, SIGNING_SECRET, payload)).status).toBe(200);
  const call = await bot.fake.waitFor("views.update");
  expect(call.body.view_id).toBe(view.id);
  return (call.response as { view: View }).view;
}

async function submit(view: View, values: Values, user = "U0001") {
  const res = await postInteraction(
    bot.url,
    SIGNING_SECRET,
    viewSubmission({
      callbackId: ids.view.sign,
      values,
      privateMetadata: view.private_metadata,
      user: { id: user },
      view: { id: view.id, blocks: view.blocks as ViewOutput["blocks"] },
    }),
  );
  expect(res.status).toBe(200);
  return res.body === "" ? null : res.json<{ response_action: string; errors: Record<string, string> }>();
}

/** The Contacts section of the account card /customer shows. */
async function cardContacts(commandText: string): Promise<string> {
  const responseUrl = bot.fake.responseUrl();
  await postSlashCommand(bot.url, SIGNING_SECRET, {
    command: "/customer",
    text: commandText,
    response_url: responseUrl,
  });
  const call = await bot.fake.waitFor("response_url", (c) => responseUrl.endsWith(c.responseId ?? "-"));
  const lines = textOf(call.body.blocks as SlackBlock[]).split("\n");
  const start = lines.indexOf("*Contacts*");
  expect(start).toBeGreaterThanOrEqual(0);
  return lines
    .slice(start + 1)
    .filter((line) => line.startsWith("• "))
    .join("\n");
}

const blockIds = (view: View) => view.blocks.map((b) => b.block_id);

beforeAll(async () => {
  bot = await startTestBot({ now: () => NOW });
  acmeId = (
    await bot.db.prisma.account.create({
      data: { externalId: "C-1001", name: "ACME Corporation", aliases: ["Acme"] },
    })
  ).id;
  await bot.db.prisma.account.create({ data: { externalId: "C-2001", name: "Beta & <Sons>" } });
  paulaId = (
    await bot.db.prisma.contact.create({
      data: { accountId: acmeId, name: "Paula Purchase", role: "purchasing", email: "paula@acme.test" },
    })
  ).id;
  danaId = (
    await bot.db.prisma.contact.create({ data: { accountId: acmeId, name: "Dana User", role: "user" } })
  ).id;
});

afterAll(async () => {
  await bot?.stop();
});

beforeEach(async () => {
  bot.fake.reset();
  await bot.db.prisma.warningSign.deleteMany();
});

describe("the sign modal", () => {
  it("opens from the card's Record a sign button for that account", async () => {
    const view = await openFromButton();
    expect(view.callback_id).toBe(ids.view.sign);
    expect(JSON.parse(view.private_metadata)).toEqual({ accountId: acmeId });
    const shown = textOf(view.blocks);
    expect(shown).toContain("*ACME Corporation*");
    const kind = blockIn<{
      dispatch_action?: boolean;
      element: { options: { value: string }[] };
    }>(view, "sign_kind");
    expect(kind.element.options.map((o) => o.value)).toEqual([...signKinds]);
    expect(kind.dispatch_action).toBe(true);
    expect(JSON.stringify(view.blocks)).toContain('"initial_date":"2026-11-23"');
    // Who left / who took over and the competitor appear only for their kind.
    expect(blockIds(view)).not.toContain("sign_new_contact_name");
    expect(blockIds(view)).not.toContain("sign_competitor_name");
    expect(bot.fake.rejected).toEqual([]);
  });

  it("opens from /customer sign <name>", async () => {
    const res = await postSlashCommand(bot.url, SIGNING_SECRET, { command: "/customer", text: "sign acme" });
    expect(res.status).toBe(200);
    const call = await bot.fake.waitFor("views.open");
    const view = (call.response as { view: View }).view;
    expect(view.callback_id).toBe(ids.view.sign);
    expect(JSON.parse(view.private_metadata).accountId).toBe(acmeId);
    expect(bot.fake.rejected).toEqual([]);
  });

  it("shows who left and who took over for a contact change, keeping what was typed", async () => {
    const view = await openFromButton();
    const typed = field("sign_details", text("Paula is leaving end of month"));
    const rebuilt = await chooseKind(view, "contact_change", typed);
    expect(rebuilt.id).toBe(view.id);
    expect(blockIds(rebuilt)).toEqual(
      expect.arrayContaining([
        "sign_old_contact",
        "sign_new_contact_name",
        "sign_new_contact_role",
        "sign_new_contact_email",
        "sign_new_contact_phone",
      ]),
    );
    const who = blockIn<{
      optional: boolean;
      element: { options: { text: { text: string }; value: string }[] };
    }>(rebuilt, "sign_old_contact");
    expect(who.optional).toBe(true);
    expect(who.element.options.map((o) => [o.text.text, o.value])).toEqual([
      ["Paula Purchase — Purchasing", paulaId],
      ["Dana User — User", danaId],
    ]);
    const name = blockIn<{ optional?: boolean }>(rebuilt, "sign_new_contact_name");
    expect(name.optional).toBeUndefined();
    expect(JSON.stringify(rebuilt.blocks)).toContain("Paula is leaving end of month");
    expect(textOf(rebuilt.blocks)).toContain("Purchasing / decision-maker change");

    const competitor = await chooseKind(rebuilt, "competitor_activity");
    expect(blockIds(competitor)).toEqual(
      expect.arrayContaining(["sign_competitor_name", "sign_competitor_moves"]),
    );
    expect(blockIds(competitor)).not.toContain("sign_new_contact_name");
    expect(textOf(competitor.blocks)).toContain("Hiring our staff");
    expect(bot.fake.rejected).toEqual([]);
  });
});

describe("saving a sign", () => {
  it.each(signKinds.filter((k) => k !== "contact_change" && k !== "competitor_activity"))(
    "saves a %s sign and confirms it by DM",
    async (kind) => {
      const view = await openFromButton();
      expect(await submit(view, signValues(kind))).toBeNull();
      const signs = await bot.db.prisma.warningSign.findMany();
      expect(signs).toHaveLength(1);
      expect(signs[0]).toMatchObject({
        accountId: acmeId,
        kind,
        observedOn: day("2026-11-20"),
        details: "What we heard",
        createdBy: "U0001",
        submissionKey: view.id,
        competitorName: null,
        oldContactId: null,
        newContactId: null,
      });
      const dm = await bot.fake.waitFor("chat.postMessage");
      expect(dm.body.channel).toBe("U0001");
      expect(String(dm.body.text)).toContain("Sign recorded for *ACME Corporation*");
      expect(String(dm.body.text)).toContain("on 2026-11-20");
    },
  );

  it("on a contact change ends the old contact and starts the new one; the card shows the new purchasing contact", async () => {
    const paulaBefore = await bot.db.prisma.contact.findUniqueOrThrow({ where: { id: paulaId } });
    const view = await chooseKind(await openFromButton(), "contact_change");
    const result = await submit(
      view,
      signValues("contact_change", {
        ...field("sign_old_contact", select(paulaId)),
        ...field("sign_new_contact_name", text("Nina New")),
        ...field("sign_new_contact_role", select("purchasing")),
        ...field("sign_new_contact_email", email("nina@acme.test")),
        ...field("sign_new_contact_phone", text(null)),
      }),
    );
    expect(result).toBeNull();
    const paula = await bot.db.prisma.contact.findUniqueOrThrow({ where: { id: paulaId } });
    expect(paula).toEqual({ ...paulaBefore, endedOn: day("2026-11-20"), updatedAt: paula.updatedAt });
    const nina = await bot.db.prisma.contact.findFirstOrThrow({ where: { name: "Nina New" } });
    expect(nina).toMatchObject({
      accountId: acmeId,
      role: "purchasing",
      email: "nina@acme.test",
      phone: null,
      startedOn: day("2026-11-20"),
      endedOn: null,
    });
    const sign = await bot.db.prisma.warningSign.findFirstOrThrow();
    expect(sign).toMatchObject({ kind: "contact_change", oldContactId: paulaId, newContactId: nina.id });
    expect(await bot.db.prisma.contact.count({ where: { accountId: acmeId } })).toBe(3);

    const dm = await bot.fake.waitFor("chat.postMessage");
    expect(String(dm.body.text)).toContain(
      "Paula Purchase (Purchasing) left; Nina New (Purchasing) took over.",
    );

    const contacts = await cardContacts("acme");
    expect(contacts).toMatch(/^• \*Nina New\* — Purchasing/);
    expect(contacts).toContain("Dana User");
    expect(contacts).not.toContain("Paula Purchase");

    // Paula is history now: the next sign modal no longer offers her as the one who left.
    const next = await chooseKind(await openFromButton(), "contact_change");
    expect(JSON.stringify(next.blocks)).not.toContain(paulaId);
    expect(JSON.stringify(next.blocks)).toContain(nina.id);
  });

  it("saves the competitor and what they did", async () => {
    const view = await chooseKind(await openFromButton(), "competitor_activity");
    await submit(
      view,
      signValues("competitor_activity", {
        ...field("sign_competitor_name", text("Rival GmbH")),
        ...field("sign_competitor_moves", checks("price", "hiring")),
      }),
    );
    const sign = await bot.db.prisma.warningSign.findFirstOrThrow();
    expect(sign).toMatchObject({ competitorName: "Rival GmbH", competitorMoves: ["price", "hiring"] });
    const dm = await bot.fake.waitFor("chat.postMessage");
    expect(String(dm.body.text)).toContain("Competitor Rival GmbH: price, hiring our staff.");
  });

  it("escapes what was typed in the confirmation", async () => {
    const view = await openFromButton();
    await submit(view, signValues("other", {}, "<!channel> said <@U999> & co"));
    const dm = await bot.fake.waitFor("chat.postMessage");
    expect(String(dm.body.text)).toContain(">&lt;!channel&gt; said &lt;@U999&gt; &amp; co");
    expect(String(dm.body.text)).not.toContain("<!channel>");
  });

  it("answers problems inline and saves nothing", async () => {
    const view = await chooseKind(await openFromButton(), "contact_change");
    const result = await submit(view, {
      ...field("sign_kind", select("contact_change")),
      ...field("sign_date", date("2026-11-24")),
      ...field("sign_details", text("   ")),
      ...field("sign_new_contact_name", text("")),
      ...field("sign_new_contact_role", select("purchasing")),
      ...field("sign_new_contact_email", email("nina@")),
    });
    expect(result).toEqual({
      response_action: "errors",
      errors: {
        sign_date: "The date can't be in the future.",
        sign_details: "Say what was seen or heard.",
        sign_new_contact_name: "Name the contact who took over.",
        sign_new_contact_email: "That is not an email address.",
      },
    });
    expect(await bot.db.prisma.warningSign.count()).toBe(0);
    expect(await bot.db.prisma.contact.count({ where: { name: "" } })).toBe(0);
    expect(bot.fake.callsTo("chat.postMessage")).toEqual([]);
  });

  it("requires the competitor's name", async () => {
    const view = await chooseKind(await openFromButton(), "competitor_activity");
    const result = await submit(
      view,
      signValues("competitor_activity", field("sign_competitor_name", text(" "))),
    );
    expect(result?.errors).toEqual({ sign_competitor_name: "Name the competitor." });
    expect(await bot.db.prisma.warningSign.count()).toBe(0);
  });

  it("puts the error on the kind when its fields were not shown yet", async () => {
    // Submitted before the rebuilt modal arrived: no contact fields in the view.
    const view = await openFromButton();
    const result = await submit(view, signValues("contact_change"));
    expect(result?.errors).toEqual({
      sign_kind: "Name the contact who took over. Choose the new contact's role.",
    });
  });

  it("records a replayed submission once and confirms it once", async () => {
    const view = await openFromButton();
    expect(await submit(view, signValues("payment_problem"))).toBeNull();
    await bot.fake.waitFor("chat.postMessage");
    expect(await submit(view, signValues("payment_problem"))).toBeNull();
    expect(await bot.db.prisma.warningSign.count()).toBe(1);
    // The replay is acknowledged before anything else could be sent; a second DM would already be queued.
    await cardContacts("acme");
    expect(bot.fake.callsTo("chat.postMessage")).toHaveLength(1);
  });
});
