// Log interaction end to end: the modal from the card and /customer log, submissions checked, saved once, confirmed.
import type { ViewStateValue } from "@slack/bolt";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ids } from "../../src/slack/ids.ts";
import { buildInteractionModal, interactionInput as input } from "../../src/slack/views/interaction-modal.ts";
import type { RecordForm } from "../../src/slack/views/record-form.ts";
import { viewViolations } from "../support/block-kit-rules.ts";
import { type SlackBlock, textOf } from "../support/blocks.ts";
import { SIGNING_SECRET, startTestBot, type TestBot } from "../support/bot.ts";
import {
  blockActions,
  postInteraction,
  postSlashCommand,
  viewSubmission,
} from "../support/slack-requests.ts";

const NOW = new Date("2026-11-23T12:00:00Z");
const TODAY = "2026-11-23";
let bot: TestBot;
let acmeId: string;
let bareId: string;
let paulaId: string;
let danaId: string;
let strangerId: string;

type ModalBlock = {
  type: string;
  block_id?: string;
  optional?: boolean;
  element?: Record<string, unknown> & { options?: { text: { text: string }; value: string }[] };
};
type Modal = { callback_id: string; title: { text: string }; private_metadata: string; blocks: ModalBlock[] };

beforeAll(async () => {
  bot = await startTestBot({ now: () => NOW });
  const acme = await bot.db.prisma.account.create({
    data: { externalId: "C-1001", name: "ACME Corporation" },
  });
  const bare = await bot.db.prisma.account.create({ data: { externalId: "C-2002", name: "Bare & Sons" } });
  const other = await bot.db.prisma.account.create({ data: { externalId: "C-3003", name: "Other Ltd" } });
  acmeId = acme.id;
  bareId = bare.id;
  danaId = (
    await bot.db.prisma.contact.create({ data: { accountId: acmeId, name: "Dana User", role: "user" } })
  ).id;
  paulaId = (
    await bot.db.prisma.contact.create({
      data: { accountId: acmeId, name: "Paula Purchase", role: "purchasing" },
    })
  ).id;
  await bot.db.prisma.contact.create({
    data: { accountId: acmeId, name: "Old Buyer", role: "purchasing", endedOn: new Date("2026-06-30") },
  });
  strangerId = (await bot.db.prisma.contact.create({ data: { accountId: other.id, name: "Stranger" } })).id;
});

afterAll(async () => {
  await bot?.stop();
});

beforeEach(() => {
  bot.fake.reset();
});

const option = (value: string) => ({
  text: { type: "plain_text" as const, text: value, emoji: true },
  value,
});

type Form = {
  kind?: string | null;
  date?: string | null;
  ourPeople?: string[];
  /** undefined: the block is absent (account without contacts). */
  contacts?: string[];
  summary?: string | null;
  praised?: string | null;
  complained?: string | null;
  loyalty?: string | null;
  nextStep?: string | null;
  dueOn?: string | null;
  owner?: string | null;
};

/** `view.state.values` as Slack sends it: every input present, empty ones null. */
function values(form: Form): Record<string, Record<string, ViewStateValue>> {
  const one = (id: string, value: ViewStateValue) => ({ [id]: { [id]: value } });
  return {
    ...one(input.kind, { type: "static_select", selected_option: form.kind ? option(form.kind) : null }),
    ...one(input.occurredOn, { type: "datepicker", selected_date: form.date ?? null }),
    ...one(input.ourParticipants, { type: "multi_users_select", selected_users: form.ourPeople ?? [] }),
    ...(form.contacts === undefined
      ? {}
      : one(input.contactIds, { type: "multi_static_select", selected_options: form.contacts.map(option) })),
    ...one(input.summary, { type: "plain_text_input", value: form.summary ?? null }),
    ...one(input.praised, { type: "plain_text_input", value: form.praised ?? null }),
    ...one(input.complained, { type: "plain_text_input", value: form.complained ?? null }),
    ...one(input.loyalty, {
      type: "radio_buttons",
      selected_option: form.loyalty ? option(form.loyalty) : null,
    }),
    ...one(input.nextStep, { type: "plain_text_input", value: form.nextStep ?? null }),
    ...one(input.dueOn, { type: "datepicker", selected_date: form.dueOn ?? null }),
    ...one(input.ownerSlackId, { type: "users_select", selected_user: form.owner ?? null }),
  };
}

const validForm = (): Form => ({
  kind: "visit",
  date: "2026-11-20",
  ourPeople: ["U0001", "U0002"],
  contacts: [],
  summary: "Walked the plant <!channel> & talked volumes",
  praised: null,
  complained: null,
  loyalty: null,
  nextStep: null,
  dueOn: null,
  owner: "U0001",
});

function submission(form: Form, viewId: string, metadata: object = { accountId: acmeId }) {
  return viewSubmission({
    callbackId: ids.view.interaction,
    values: values(form),
    privateMetadata: JSON.stringify(metadata),
    view: { id: viewId },
  });
}

function submit(form: Form, viewId: string, metadata?: object) {
  return postInteraction(bot.url, SIGNING_SECRET, submission(form, viewId, metadata));
}

describe("opening the Log interaction modal", () => {
  it("opens from the card's button with the account's current contacts, today and the clicker preset", async () => {
    const res = await postInteraction(
      bot.url,
      SIGNING_SECRET,
      blockActions({ actionId: ids.action.logInteraction, value: acmeId, user: { id: "U0REP" } }),
    );
    expect(res.status).toBe(200);
    const open = await bot.fake.waitFor("views.open");
    const view = open.body.view as Modal;
    expect(view.callback_id).toBe("interaction_modal");
    expect(view.title.text).toBe("Log interaction");
    expect(JSON.parse(view.private_metadata)).toEqual({ accountId: acmeId });
    const byId = new Map(view.blocks.map((block) => [block.block_id, block]));
    expect(view.blocks.filter((b) => b.type === "input").map((b) => b.block_id)).toEqual([
      "interaction_kind",
      "interaction_date",
      "interaction_our_people",
      "interaction_contacts",
      "interaction_summary",
      "interaction_praised",
      "interaction_complained",
      "interaction_loyalty",
      "interaction_next_step",
      "interaction_next_step_due",
      "interaction_next_step_owner",
    ]);
    expect(byId.get(input.kind)?.element?.options?.map((o) => o.value)).toEqual([
      "visit",
      "call",
      "email",
      "meeting",
      "event",
      "other",
    ]);
    expect(byId.get(input.occurredOn)?.element?.initial_date).toBe(TODAY);
    expect(byId.get(input.ourParticipants)?.element?.initial_users).toEqual(["U0REP"]);
    expect(byId.get(input.ownerSlackId)?.element?.initial_user).toBe("U0REP");
    // Current contacts only, purchasing first; the ended one is history.
    expect(byId.get(input.contactIds)?.element?.options).toEqual([
      { text: { type: "plain_text", text: "Paula Purchase · Purchasing", emoji: true }, value: paulaId },
      { text: { type: "plain_text", text: "Dana User · User", emoji: true }, value: danaId },
    ]);
    expect(byId.get(input.summary)?.optional).toBe(false);
    expect(byId.get(input.praised)?.optional).toBe(true);
    expect(textOf(view.blocks as SlackBlock[])).toContain("Satisfied, will buy again");
    expect(bot.fake.rejected).toEqual([]);
  });

  it("opens from /customer log <name>", async () => {
    const res = await postSlashCommand(bot.url, SIGNING_SECRET, {
      command: "/customer",
      text: "log acme",
      response_url: bot.fake.responseUrl(),
    });
    expect(res.status).toBe(200);
    const open = await bot.fake.waitFor("views.open");
    const view = open.body.view as Modal;
    expect(view.callback_id).toBe("interaction_modal");
    expect(JSON.parse(view.private_metadata)).toEqual({ accountId: acmeId });
    expect(bot.fake.rejected).toEqual([]);
  });

  it("says there are no contacts to pick instead of an empty list", async () => {
    await postInteraction(
      bot.url,
      SIGNING_SECRET,
      blockActions({ actionId: ids.action.logInteraction, value: bareId }),
    );
    const view = (await bot.fake.waitFor("views.open")).body.view as Modal;
    expect(view.blocks.some((b) => b.block_id === input.contactIds)).toBe(false);
    expect(textOf(view.blocks as SlackBlock[])).toContain("No contacts are recorded for this customer");
    expect(textOf(view.blocks as SlackBlock[])).toContain("*Bare &amp; Sons*");
    expect(bot.fake.rejected).toEqual([]);
  });
});

describe("buildInteractionModal", () => {
  const form = (prefill: RecordForm["prefill"], contacts = 2): RecordForm => ({
    account: { id: "7a0f9b52-4d0b-4a59-9a40-4d1b3c2b7c11", name: "ACME", ownerSlackId: null },
    contacts: Array.from({ length: contacts }, (_, i) => ({
      id: `7a0f9b52-4d0b-4a59-9a40-${String(i).padStart(12, "0")}`,
      name: `Contact ${i} ${"with a very long name ".repeat(5)}`,
      role: "other" as const,
    })),
    today: TODAY,
    userId: "U0001",
    prefill,
  });

  it("keeps a long message's beginning in the summary, within the input's limit, and its link", () => {
    const permalink = "https://churnwatch-test.slack.com/archives/C0001/p1700000000000100";
    const text = `${"😀".repeat(1000)}${"x".repeat(4000)}`;
    const view = buildInteractionModal(form({ text, permalink }));
    const summary = view.blocks.find((b) => b.block_id === input.summary) as ModalBlock;
    const initial = String(summary.element?.initial_value);
    expect(initial.length).toBe(3000);
    expect(initial.startsWith("😀".repeat(1000))).toBe(true);
    expect(initial.endsWith("x…")).toBe(true);
    expect(summary.element?.max_length).toBe(3000);
    expect(JSON.parse(view.private_metadata ?? "")).toEqual({ accountId: form({}).account.id, permalink });
    const shown = textOf(view.blocks as SlackBlock[]);
    expect(shown).toContain(`Logged from <${permalink}|this message>`);
    expect(shown).toContain("the whole message stays behind the link");
    expect(viewViolations(view)).toEqual([]);
  });

  it("takes a short prefill whole and stays within Block Kit limits with 150 contacts", () => {
    const view = buildInteractionModal(form({ text: "Customer asked about prices" }, 150));
    const summary = view.blocks.find((b) => b.block_id === input.summary) as ModalBlock;
    expect(summary.element?.initial_value).toBe("Customer asked about prices");
    const contacts = view.blocks.find((b) => b.block_id === input.contactIds) as ModalBlock;
    expect(contacts.element?.options).toHaveLength(100);
    expect(textOf(view.blocks as SlackBlock[])).toContain("50 more are not listed");
    expect(viewViolations(view)).toEqual([]);
  });
});

describe("submitting an interaction", () => {
  it("saves every field, the next step as a follow-up, and confirms by direct message", async () => {
    const res = await submit(
      {
        kind: "meeting",
        date: "2026-11-20",
        ourPeople: ["U0001", "U0002"],
        contacts: [paulaId, danaId],
        summary: "  Talked about <!channel> the 2027 volumes & prices\nsecond line  ",
        praised: "Fast delivery",
        complained: "Invoices arrive late",
        loyalty: "average",
        nextStep: "Send the revised offer",
        dueOn: "2026-11-27",
        owner: "U0002",
      },
      "V0SAVE1",
    );
    expect(res.status).toBe(200);
    expect(res.body).toBe("");
    const interactions = await bot.db.prisma.interaction.findMany({ where: { submissionKey: "V0SAVE1" } });
    expect(interactions).toHaveLength(1);
    const [saved] = interactions;
    expect(saved).toEqual({
      id: expect.any(String),
      accountId: acmeId,
      kind: "meeting",
      occurredOn: new Date("2026-11-20T00:00:00Z"),
      ourParticipants: ["U0001", "U0002"],
      contactIds: [paulaId, danaId],
      summary: "Talked about <!channel> the 2027 volumes & prices\nsecond line",
      praised: "Fast delivery",
      complained: "Invoices arrive late",
      loyalty: "average",
      sourcePermalink: null,
      submissionKey: "V0SAVE1",
      createdBy: "U0001",
      createdAt: expect.any(Date),
    });
    const followUps = await bot.db.prisma.followUp.findMany({ where: { interactionId: saved?.id ?? "" } });
    expect(followUps).toEqual([
      {
        id: expect.any(String),
        accountId: acmeId,
        interactionId: saved?.id,
        description: "Send the revised offer",
        dueOn: new Date("2026-11-27T00:00:00Z"),
        ownerSlackId: "U0002",
        doneAt: null,
        doneBy: null,
        remindedAt: null,
        createdBy: "U0001",
        createdAt: expect.any(Date),
      },
    ]);
    const dm = await bot.fake.waitFor("chat.postMessage", (c) => c.body.channel === "U0001");
    expect(dm.body.text).toBe(
      "Logged a meeting with ACME Corporation on 2026-11-20 · next step Send the revised offer due 2026-11-27 · owner <@U0002>",
    );
    const shown = textOf(dm.body.blocks as SlackBlock[]);
    expect(shown).toContain("> Talked about &lt;!channel&gt; the 2027 volumes &amp; prices\n> second line");
    expect(shown).toContain("*Loyalty read* Average");
    expect(bot.fake.rejected).toEqual([]);
  });

  it("keeps the source message link and saves no follow-up without a next step; the owner defaults to the submitter", async () => {
    const permalink = "https://churnwatch-test.slack.com/archives/C0001/p1700000000000200";
    await submit({ ...validForm(), owner: null }, "V0LINK", { accountId: acmeId, permalink });
    const saved = await bot.db.prisma.interaction.findUniqueOrThrow({
      where: { submissionKey: "V0LINK" },
      include: { followUps: true },
    });
    expect(saved.sourcePermalink).toBe(permalink);
    expect(saved.followUps).toEqual([]);
    expect(saved.summary).toBe("Walked the plant <!channel> & talked volumes");
    const dm = await bot.fake.waitFor("chat.postMessage", (c) => c.body.channel === "U0001");
    expect(dm.body.text).toBe("Logged a visit with ACME Corporation on 2026-11-20 · no next step");

    await submit({ ...validForm(), nextStep: "Call back", dueOn: TODAY, owner: null }, "V0OWNER");
    const owned = await bot.db.prisma.followUp.findFirstOrThrow({
      where: { interaction: { submissionKey: "V0OWNER" } },
    });
    expect(owned.ownerSlackId).toBe("U0001");
    expect(owned.dueOn).toEqual(new Date(`${TODAY}T00:00:00Z`));
    await bot.fake.waitFor("chat.postMessage", (c) => String(c.body.text).includes("next step Call back"));
  });

  it.each([
    [
      "a date in the future",
      { date: "2026-11-24" },
      { interaction_date: "An interaction can't be in the future: pick 2026-11-23 or earlier." },
    ],
    [
      "a next step without a due date",
      { nextStep: "Send samples" },
      { interaction_next_step_due: "Pick when the next step is due." },
    ],
    [
      "a due date without a next step",
      { dueOn: "2026-12-01" },
      { interaction_next_step: "Say what the next step is, or clear its due date." },
    ],
    [
      "a next step due in the past",
      { nextStep: "Send samples", dueOn: "2026-11-22" },
      { interaction_next_step_due: "A next step can't be due in the past: pick 2026-11-23 or later." },
    ],
    [
      "a blank summary, no kind and nobody of ours",
      { summary: "   \n ", kind: null, ourPeople: [] },
      {
        interaction_kind: "Choose what kind of contact it was.",
        interaction_our_people: "Name at least one of us who took part.",
        interaction_summary: "Write a short summary of what was said.",
      },
    ],
    [
      "a contact of another customer",
      { contacts: ["STRANGER"] },
      {
        interaction_contacts: "Some of these contacts are not with this customer any more: pick them again.",
      },
    ],
    [
      "a contact value that is not an id",
      { contacts: ["not-an-id"] },
      { interaction_contacts: "This value could not be read: set it again." },
    ],
  ])("marks %s in the form and saves nothing", async (_, change, errors) => {
    const form = { ...validForm(), ...change } as Form;
    if (form.contacts?.[0] === "STRANGER") form.contacts = [paulaId, strangerId];
    const before = await bot.db.prisma.interaction.count();
    const viewId = `V0BAD${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
    const res = await submit(form, viewId);
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ response_action: "errors", errors });
    expect(await bot.db.prisma.interaction.count()).toBe(before);
    expect(await bot.db.prisma.followUp.count({ where: { interaction: { submissionKey: viewId } } })).toBe(0);
    expect(bot.fake.callsTo("chat.postMessage")).toEqual([]);
  });

  it("refuses a form whose metadata was tampered with", async () => {
    const res = await postInteraction(
      bot.url,
      SIGNING_SECRET,
      viewSubmission({
        callbackId: ids.view.interaction,
        values: values(validForm()),
        privateMetadata: "{not json",
        view: { id: "V0TAMPER" },
      }),
    );
    expect(res.json()).toEqual({
      response_action: "errors",
      errors: {
        interaction_summary: "This form is out of date: copy your text, then open it again from the card.",
      },
    });
    expect(await bot.db.prisma.interaction.count({ where: { submissionKey: "V0TAMPER" } })).toBe(0);
  });

  it("records a replayed submission once: double click, and Slack's retry", async () => {
    const form = { ...validForm(), nextStep: "Visit again", dueOn: "2026-12-10" };
    const payload = submission(form, "V0TWICE");
    const [first, second] = await Promise.all([
      postInteraction(bot.url, SIGNING_SECRET, payload),
      postInteraction(bot.url, SIGNING_SECRET, payload),
    ]);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect([first.body, second.body]).toEqual(["", ""]);
    // A retry carries Slack's retry headers on the same signed body.
    const retry = await postInteraction(bot.url, SIGNING_SECRET, payload, {
      headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" },
    });
    expect(retry.status).toBe(200);
    expect(retry.body).toBe("");

    const saved = await bot.db.prisma.interaction.findMany({
      where: { submissionKey: "V0TWICE" },
      include: { followUps: true },
    });
    expect(saved).toHaveLength(1);
    expect(saved[0]?.followUps.map((f) => f.description)).toEqual(["Visit again"]);
    await bot.fake.waitFor("chat.postMessage", (c) => String(c.body.text).includes("Visit again"));
    // A later, different submission is confirmed; the replays were not.
    await submit(validForm(), "V0AFTER");
    await bot.fake.waitFor("chat.postMessage", (c) => String(c.body.text).includes("no next step"));
    const dms = bot.fake.callsTo("chat.postMessage").map((c) => c.body.text);
    expect(dms).toEqual([
      "Logged a visit with ACME Corporation on 2026-11-20 · next step Visit again due 2026-12-10 · owner <@U0001>",
      "Logged a visit with ACME Corporation on 2026-11-20 · no next step",
    ]);
  });

  it("still saves when the confirmation cannot be sent", async () => {
    bot.fake.failNext("chat.postMessage", "channel_not_found");
    const res = await submit(validForm(), "V0NODM");
    expect(res.body).toBe("");
    await bot.fake.waitFor("chat.postMessage");
    expect(await bot.db.prisma.interaction.count({ where: { submissionKey: "V0NODM" } })).toBe(1);
  });
});
