// Complaints end to end (§7): modal from the card and /customer, saved once, posted with lifecycle buttons, moved step by step.
import type { ViewStateValue } from "@slack/bolt";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ids } from "../../src/slack/ids.ts";
import { type SlackBlock, textOf } from "../support/blocks.ts";
import { SIGNING_SECRET, startTestBot, type TestBot } from "../support/bot.ts";
import type { FakeSlackCall } from "../support/fake-slack.ts";
import {
  blockActions,
  postInteraction,
  postSlashCommand,
  viewSubmission,
} from "../support/slack-requests.ts";

const NOW = new Date("2026-11-23T12:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let clock = NOW;
let bot: TestBot;
let acme: { id: string };
let nochan: { id: string };
let quiet: { id: string };
let paulaId: string;
let foreignContactId: string;
let viewIds = 0;

type Button = { action_id: string; value: string; text: { text: string }; style?: string; confirm?: unknown };

beforeAll(async () => {
  bot = await startTestBot({
    now: () => clock,
    // Critical 1 day (the default too), high 2 days instead of 3.
    env: { COMPLAINT_RESPONSE_DAYS: "critical=1,high=2" },
  });
  const prisma = bot.db.prisma;
  acme = await prisma.account.create({
    data: { externalId: "C-1001", name: "ACME Corporation", ownerSlackId: "U0OWNER", channelId: "C0ACME" },
  });
  nochan = await prisma.account.create({
    data: { externalId: "C-2001", name: "Nochan GmbH", ownerSlackId: "U0NOCH" },
  });
  quiet = await prisma.account.create({
    data: { externalId: "C-3001", name: "Quiet Ltd", ownerSlackId: "U0QUIET", channelId: "C0QUIET" },
  });
  await prisma.contact.create({ data: { accountId: acme.id, name: "Dana User", role: "user" } });
  paulaId = (
    await prisma.contact.create({ data: { accountId: acme.id, name: "Paula Purchase", role: "purchasing" } })
  ).id;
  foreignContactId = (
    await prisma.contact.create({ data: { accountId: nochan.id, name: "Nora", role: "other" } })
  ).id;
});

afterAll(async () => {
  await bot?.stop();
});

beforeEach(() => {
  clock = NOW;
  bot.fake.reset();
});

const blocksOf = (call: FakeSlackCall) => (call.body.blocks ?? []) as SlackBlock[];
const buttonsOf = (call: FakeSlackCall): Button[] =>
  blocksOf(call)
    .filter((b) => b.type === "actions")
    .flatMap((b) => (b.elements ?? []) as Button[]);

function select(value: string): ViewStateValue {
  return { type: "static_select", selected_option: { text: { type: "plain_text", text: value }, value } };
}

type FormInput = {
  category?: string | null;
  severity?: string | null;
  description?: string | null;
  reportedBy?: string | null;
  owner?: string | null;
};

function formValues(input: FormInput = {}): Record<string, Record<string, ViewStateValue>> {
  const {
    category = "delivery",
    severity = "high",
    description = "Pallets arrived broken",
    owner = "U0OWNER",
  } = input;
  return {
    category: {
      category: category === null ? { type: "static_select", selected_option: null } : select(category),
    },
    severity: {
      severity: severity === null ? { type: "static_select", selected_option: null } : select(severity),
    },
    description: { description: { type: "plain_text_input", value: description } },
    ...(input.reportedBy === undefined
      ? {}
      : {
          reported_by: {
            reported_by:
              input.reportedBy === null
                ? { type: "static_select", selected_option: null }
                : select(input.reportedBy),
          },
        }),
    owner: { owner: { type: "users_select", selected_user: owner } },
  };
}

async function submitComplaint(
  accountId: string,
  input: FormInput = {},
  options: { viewId?: string; user?: string; metadata?: string } = {},
) {
  viewIds += 1;
  const viewId = options.viewId ?? `VCOMPLAINT${viewIds}`;
  const res = await postInteraction(
    bot.url,
    SIGNING_SECRET,
    viewSubmission({
      callbackId: ids.view.complaint,
      privateMetadata: options.metadata ?? JSON.stringify({ accountId }),
      values: formValues(input),
      user: { id: options.user ?? "U0001" },
      view: { id: viewId },
    }),
  );
  expect(res.status).toBe(200);
  return { res, viewId };
}

/** The complaint once its message is posted and remembered (the app stores it after Slack answers). */
async function postedFor(viewId: string) {
  return vi.waitFor(async () => {
    const complaint = await complaintFor(viewId);
    expect(complaint.messageTs).not.toBeNull();
    return complaint;
  });
}

async function complaintFor(viewId: string) {
  return bot.db.prisma.complaint.findUniqueOrThrow({
    where: { submissionKey: viewId },
    include: { events: { orderBy: { at: "asc" } } },
  });
}

/** Records a complaint in ACME's channel through the modal; returns it and its posted message. */
async function postedComplaint(input: FormInput = {}) {
  const { viewId } = await submitComplaint(acme.id, input);
  const posted = await bot.fake.waitFor("chat.postMessage", (c) => c.body.channel === "C0ACME");
  const complaint = await postedFor(viewId);
  bot.fake.reset();
  return { complaint, posted };
}

async function click(complaintId: string, action: string, user = "U0BOB") {
  const responseUrl = bot.fake.responseUrl(`${action}-${user}`);
  const res = await postInteraction(
    bot.url,
    SIGNING_SECRET,
    blockActions({
      actionId: `${ids.action.complaintTransition}:${action}`,
      value: JSON.stringify({ complaintId, action }),
      user: { id: user },
      channel: { id: "C0ACME", name: "acme" },
      responseUrl,
    }),
  );
  expect(res.status).toBe(200);
  return `${action}-${user}`;
}

async function resolveThroughModal(complaintId: string, resolution: string, user = "U0BOB") {
  await click(complaintId, "resolve", user);
  const opened = await bot.fake.waitFor("views.open");
  const view = opened.body.view as { callback_id: string; private_metadata: string; title: { text: string } };
  expect(view.callback_id).toBe(ids.view.complaintResolve);
  expect(JSON.parse(view.private_metadata)).toEqual({ complaintId });
  return postInteraction(
    bot.url,
    SIGNING_SECRET,
    viewSubmission({
      callbackId: ids.view.complaintResolve,
      privateMetadata: view.private_metadata,
      values: { resolution: { resolution: { type: "plain_text_input", value: resolution } } },
      user: { id: user },
      view: { id: `VRESOLVE${complaintId.slice(0, 8)}` },
    }),
  );
}

async function updated(predicate: (text: string) => boolean = () => true) {
  return bot.fake.waitFor("chat.update", (c) => predicate(textOf(blocksOf(c))));
}

describe("complaint modal", () => {
  it("opens from the card's Complaint button with the account's contacts and owner", async () => {
    const res = await postInteraction(
      bot.url,
      SIGNING_SECRET,
      blockActions({
        actionId: ids.action.newComplaint,
        value: acme.id,
        responseUrl: bot.fake.responseUrl(),
      }),
    );
    expect(res.status).toBe(200);
    const opened = await bot.fake.waitFor("views.open");
    const view = opened.body.view as {
      callback_id: string;
      private_metadata: string;
      title: { text: string };
      blocks: (SlackBlock & { block_id?: string; optional?: boolean; element?: Record<string, unknown> })[];
    };
    expect(view.callback_id).toBe(ids.view.complaint);
    expect(view.title.text).toBe("Record a complaint");
    expect(JSON.parse(view.private_metadata)).toEqual({ accountId: acme.id });
    const inputs = view.blocks.filter((b) => b.type === "input");
    expect(inputs.map((b) => b.block_id)).toEqual([
      "category",
      "severity",
      "description",
      "reported_by",
      "owner",
    ]);
    const byId = (id: string) => inputs.find((b) => b.block_id === id);
    const category = byId("category")?.element?.options as { value: string }[];
    expect(category.map((o) => o.value)).toEqual([
      "product_quality",
      "delivery",
      "service",
      "price",
      "billing",
      "channel_conflict",
      "other",
    ]);
    const severity = byId("severity")?.element?.options as { value: string }[];
    expect(severity.map((o) => o.value)).toEqual(["low", "medium", "high", "critical"]);
    expect(byId("description")?.element).toMatchObject({ type: "plain_text_input", multiline: true });
    expect(byId("reported_by")?.optional).toBe(true);
    const contacts = byId("reported_by")?.element?.options as { text: { text: string }; value: string }[];
    expect(contacts.map((o) => o.text.text)).toEqual(["Paula Purchase", "Dana User"]);
    expect(contacts[0]?.value).toBe(paulaId);
    expect(byId("owner")?.element).toMatchObject({ type: "users_select", initial_user: "U0OWNER" });
    expect(textOf(view.blocks)).toContain("ACME Corporation");
    expect(bot.fake.rejected).toEqual([]);
  });

  it("opens from /customer complaint <name>, without a contact picker when there are none, owned by the caller when the account has no owner", async () => {
    await bot.db.prisma.account.create({ data: { externalId: "C-9001", name: "Ownerless Oy" } });
    const res = await postSlashCommand(bot.url, SIGNING_SECRET, {
      command: "/customer",
      text: "complaint ownerless",
      user_id: "U0CALLER",
      response_url: bot.fake.responseUrl(),
    });
    expect(res.status).toBe(200);
    const opened = await bot.fake.waitFor("views.open");
    const view = opened.body.view as { callback_id: string; blocks: (SlackBlock & { block_id?: string })[] };
    expect(view.callback_id).toBe(ids.view.complaint);
    expect(view.blocks.map((b) => b.block_id).filter(Boolean)).toEqual([
      "category",
      "severity",
      "description",
      "owner",
    ]);
    expect(view.blocks.find((b) => b.block_id === "owner")).toMatchObject({
      element: { initial_user: "U0CALLER" },
    });
    expect(bot.fake.rejected).toEqual([]);
  });
});

describe("recording a complaint", () => {
  it("saves the complaint and its first step, and posts it in the account's channel with its next step", async () => {
    const { res, viewId } = await submitComplaint(
      acme.id,
      {
        category: "product_quality",
        severity: "critical",
        description: "  Rust on <!channel> every *third* part  ",
        reportedBy: paulaId,
      },
      {
        metadata: JSON.stringify({ accountId: acme.id, permalink: "https://acme.slack.com/archives/C1/p1" }),
      },
    );
    expect(res.body).toBe("");
    const posted = await bot.fake.waitFor("chat.postMessage");
    const complaint = await postedFor(viewId);
    expect(complaint).toMatchObject({
      accountId: acme.id,
      category: "product_quality",
      severity: "critical",
      description: "Rust on <!channel> every *third* part",
      reportedByContactId: paulaId,
      ownerSlackId: "U0OWNER",
      status: "open",
      resolution: null,
      sourcePermalink: "https://acme.slack.com/archives/C1/p1",
      createdBy: "U0001",
      createdAt: NOW,
      messageChannelId: "C0ACME",
      messageTs: posted.response.ts,
    });
    expect(complaint.events).toEqual([
      expect.objectContaining({
        fromStatus: null,
        toStatus: "open",
        actorSlackId: "U0001",
        at: NOW,
        note: null,
      }),
    ]);

    expect(posted.body.channel).toBe("C0ACME");
    const text = textOf(blocksOf(posted));
    expect(text).toContain("Complaint · ACME Corporation");
    expect(text).toContain("*Category*\nProduct quality");
    expect(text).toContain("*Severity*\nCritical");
    expect(text).toContain("*Status*\nOpen");
    expect(text).toContain("*Owner*\n<@U0OWNER>");
    expect(text).toContain("*Reported by*\nPaula Purchase");
    expect(text).toContain("*Recorded by*\n<@U0001>");
    // User text is escaped: no @channel ping.
    expect(text).toContain("Rust on &lt;!channel&gt; every *third* part");
    expect(text).not.toContain("<!channel>");
    expect(text).toContain("0 days old  ·  target 1 day (critical)");
    expect(text).toContain("<https://acme.slack.com/archives/C1/p1|Source message>");
    expect(text).toContain("<@U0001> recorded the complaint");
    expect(text).not.toContain("directly");
    expect(posted.body.text).toBe(
      "Complaint from ACME Corporation: Product quality, critical severity. Open.",
    );
    const buttons = buttonsOf(posted);
    expect(buttons.map((b) => [b.action_id, b.text.text])).toEqual([
      ["complaint_transition:investigate", "Investigate"],
    ]);
    expect(JSON.parse(buttons[0]?.value ?? "")).toEqual({ complaintId: complaint.id, action: "investigate" });
    expect(bot.fake.rejected).toEqual([]);
  });

  it("sends it to the owner directly when the account has no channel, and says so", async () => {
    const { viewId } = await submitComplaint(nochan.id, { owner: "U0NOCH", severity: "low" });
    const posted = await bot.fake.waitFor("chat.postMessage");
    expect(posted.body.channel).toBe("U0NOCH");
    const text = textOf(blocksOf(posted));
    expect(text).toContain("Sent here directly: Nochan GmbH has no channel in Churnwatch");
    expect(text).toContain("*Reported by*\n–");
    const complaint = await postedFor(viewId);
    // The DM's own channel id, so the message can be updated later.
    expect(complaint).toMatchObject({ messageChannelId: "D0NOCH", messageTs: posted.response.ts });
    expect(bot.fake.callsTo("chat.postMessage")).toHaveLength(1);
  });

  it("keeps the complaint when Churnwatch is not in the channel, sends it to the owner, and tells the submitter how to fix it", async () => {
    bot.fake.failNext("chat.postMessage", "not_in_channel");
    const { viewId } = await submitComplaint(quiet.id, { owner: "U0QUIET" }, { user: "U0SUB" });
    const notice = await bot.fake.waitFor("chat.postMessage", (c) => c.body.channel === "U0SUB");
    const calls = bot.fake.callsTo("chat.postMessage");
    expect(calls.map((c) => [c.body.channel, c.error ?? "ok"])).toEqual([
      ["C0QUIET", "not_in_channel"],
      ["U0QUIET", "ok"],
      ["U0SUB", "ok"],
    ]);
    expect(String(notice.body.text)).toBe(
      "Your complaint about *Quiet Ltd* is saved, but I could not post it in <#C0QUIET>: Churnwatch is not a member of that channel. " +
        "Invite it there with `/invite @Churnwatch`; the account's next complaints will be posted in the channel. " +
        "It was sent to <@U0QUIET> directly instead, with its buttons.",
    );
    const dm = calls[1] as FakeSlackCall;
    expect(textOf(blocksOf(dm))).toContain(
      "Churnwatch could not post in <#C0QUIET>. Invite it there (`/invite @Churnwatch`)",
    );
    expect(buttonsOf(dm).map((b) => b.action_id)).toEqual(["complaint_transition:investigate"]);
    const complaint = await postedFor(viewId);
    expect(complaint).toMatchObject({
      status: "open",
      messageChannelId: "D0QUIET",
      messageTs: dm.response.ts,
    });
    expect(complaint.events).toHaveLength(1);
  });

  it("shows what is wrong inline and saves nothing", async () => {
    const before = await bot.db.prisma.complaint.count();
    const { res } = await submitComplaint(acme.id, { category: null, description: "   \n ", owner: null });
    expect(res.json()).toEqual({
      response_action: "errors",
      errors: {
        category: "Pick what the complaint is about.",
        description: "Describe what the customer complained about (at most 3000 characters).",
        owner: "Pick the person who owns this complaint.",
      },
    });
    const foreign = await submitComplaint(acme.id, { reportedBy: foreignContactId });
    expect(foreign.res.json()).toEqual({
      response_action: "errors",
      errors: { reported_by: "That contact is not one of this customer's." },
    });
    const badSeverity = await submitComplaint(acme.id, { severity: "apocalyptic" });
    expect(badSeverity.res.json()).toEqual({
      response_action: "errors",
      errors: { severity: "Pick how severe it is." },
    });
    const stale = await submitComplaint(acme.id, {}, { metadata: "{not json" });
    expect(stale.res.json()).toEqual({
      response_action: "errors",
      errors: { description: "This form is out of date. Close it and start again." },
    });
    expect(await bot.db.prisma.complaint.count()).toBe(before);
    expect(bot.fake.callsTo("chat.postMessage")).toEqual([]);
  });

  it("records a replayed or doubled submission once, and posts it once", async () => {
    const first = await submitComplaint(acme.id, {}, { viewId: "VREPLAY" });
    await bot.fake.waitFor("chat.postMessage");
    const [again, twice] = await Promise.all([
      submitComplaint(acme.id, {}, { viewId: "VREPLAY" }),
      submitComplaint(acme.id, {}, { viewId: "VREPLAY" }),
    ]);
    expect([first.res.body, again.res.body, twice.res.body]).toEqual(["", "", ""]);
    expect(await bot.db.prisma.complaint.count({ where: { submissionKey: "VREPLAY" } })).toBe(1);
    const complaint = await complaintFor("VREPLAY");
    expect(complaint.events).toHaveLength(1);
    // Another submission afterwards is posted, so a second post for the replay would have shown by now.
    await submitComplaint(nochan.id, { owner: "U0NOCH" });
    await bot.fake.waitFor("chat.postMessage", (c) => c.body.channel === "U0NOCH");
    expect(bot.fake.callsTo("chat.postMessage").filter((c) => c.body.channel === "C0ACME")).toHaveLength(1);
  });
});

describe("complaint lifecycle", () => {
  it("goes open → investigating → fixing → resolved → confirmed, each step recorded and shown in place", async () => {
    const { complaint, posted } = await postedComplaint({ severity: "high" });
    const ts = posted.response.ts;

    clock = new Date(NOW.getTime() + 1 * HOUR);
    await click(complaint.id, "investigate", "U0BOB");
    let update = await updated();
    expect(update.body).toMatchObject({ channel: "C0ACME", ts });
    expect(textOf(blocksOf(update))).toContain("*Status*\nInvestigating");
    expect(textOf(blocksOf(update))).toContain("<@U0BOB> started investigating");
    expect(buttonsOf(update).map((b) => b.action_id)).toEqual([
      "complaint_transition:fix",
      "complaint_transition:resolve",
    ]);

    bot.fake.reset();
    clock = new Date(NOW.getTime() + 2 * HOUR);
    await click(complaint.id, "fix", "U0CAROL");
    update = await updated();
    expect(textOf(blocksOf(update))).toContain("*Status*\nFixing");
    expect(buttonsOf(update).map((b) => b.text.text)).toEqual(["Resolve…"]);

    bot.fake.reset();
    clock = new Date(NOW.getTime() + 1 * DAY);
    const empty = await resolveThroughModal(complaint.id, "   ");
    expect(empty.json()).toEqual({
      response_action: "errors",
      errors: { resolution: "Say what was done (at most 3000 characters)." },
    });
    bot.fake.reset();
    const resolved = await resolveThroughModal(
      complaint.id,
      "Replaced all 40 pallets; new packing spec agreed",
    );
    expect(resolved.body).toBe("");
    update = await updated();
    let text = textOf(blocksOf(update));
    expect(text).toContain("*Status*\nResolved, awaiting customer confirmation");
    expect(text).toContain("*What was done*\nReplaced all 40 pallets; new packing spec agreed");
    expect(text).toContain("after 1 day");
    expect(text).toContain("<@U0BOB> resolved it: “Replaced all 40 pallets; new packing spec agreed”");
    const buttons = buttonsOf(update);
    expect(buttons.map((b) => b.action_id)).toEqual([
      "complaint_transition:confirm",
      "complaint_transition:reopen",
    ]);
    expect(buttons[0]?.confirm).toBeDefined();

    bot.fake.reset();
    clock = new Date(NOW.getTime() + 3 * DAY);
    await click(complaint.id, "confirm", "U0OWNER");
    update = await updated();
    text = textOf(blocksOf(update));
    expect(text).toContain("*Status*\nConfirmed by the customer");
    expect(text).toContain("<@U0OWNER> closed it: the customer confirmed the fix");
    expect(buttonsOf(update).map((b) => b.action_id)).toEqual(["complaint_transition:reopen"]);

    const row = await complaintFor(complaint.submissionKey ?? "");
    expect(row).toMatchObject({
      status: "confirmed",
      resolution: "Replaced all 40 pallets; new packing spec agreed",
      updatedAt: clock,
    });
    expect(
      row.events.map((e) => [e.fromStatus, e.toStatus, e.actorSlackId, e.at.getTime() - NOW.getTime()]),
    ).toEqual([
      [null, "open", "U0001", 0],
      ["open", "investigating", "U0BOB", HOUR],
      ["investigating", "fixing", "U0CAROL", 2 * HOUR],
      ["fixing", "resolved", "U0BOB", DAY],
      ["resolved", "confirmed", "U0OWNER", 3 * DAY],
    ]);
    expect(row.events[3]?.note).toBe("Replaced all 40 pallets; new packing spec agreed");
    // History in the message, oldest first.
    const history = text.slice(text.indexOf("*History*"));
    expect(history.indexOf("recorded the complaint")).toBeLessThan(history.indexOf("started investigating"));
    expect(history.indexOf("started fixing")).toBeLessThan(history.indexOf("resolved it"));
    expect(bot.fake.rejected).toEqual([]);
  });

  it("reopens a confirmed complaint, investigates again, and resolves straight from investigating", async () => {
    const { complaint } = await postedComplaint();
    await click(complaint.id, "investigate");
    await updated((t) => t.includes("*Status*\nInvestigating"));
    await resolveThroughModal(complaint.id, "Customer had stored parts outdoors");
    await updated((t) => t.includes("*Status*\nResolved"));
    await click(complaint.id, "confirm", "U0OWNER");
    await updated((t) => t.includes("*Status*\nConfirmed"));

    bot.fake.reset();
    clock = new Date(NOW.getTime() + 2 * DAY);
    await click(complaint.id, "reopen", "U0OWNER");
    let update = await updated();
    let text = textOf(blocksOf(update));
    expect(text).toContain("*Status*\nReopened");
    expect(text).not.toContain("*What was done*");
    expect(text).toContain("<@U0OWNER> reopened it");
    expect(text).toContain("Reopened <!date^");
    expect(buttonsOf(update).map((b) => b.action_id)).toEqual(["complaint_transition:investigate"]);

    bot.fake.reset();
    await click(complaint.id, "investigate", "U0DAN");
    update = await updated();
    expect(buttonsOf(update).map((b) => b.action_id)).toEqual([
      "complaint_transition:fix",
      "complaint_transition:resolve",
    ]);

    bot.fake.reset();
    await resolveThroughModal(complaint.id, "Second batch inspected: fine", "U0DAN");
    update = await updated();
    text = textOf(blocksOf(update));
    expect(text).toContain("*Status*\nResolved, awaiting customer confirmation");
    expect(text).toContain("*What was done*\nSecond batch inspected: fine");

    const row = await complaintFor(complaint.submissionKey ?? "");
    expect(row.status).toBe("resolved");
    expect(row.events.slice(-4).map((e) => [e.fromStatus, e.toStatus, e.actorSlackId])).toEqual([
      ["resolved", "confirmed", "U0OWNER"],
      ["confirmed", "reopened", "U0OWNER"],
      ["reopened", "investigating", "U0DAN"],
      ["investigating", "resolved", "U0DAN"],
    ]);
  });

  it("refuses a stale button with a private message and refreshes the message to the current state", async () => {
    const { complaint, posted } = await postedComplaint();
    await click(complaint.id, "investigate", "U0BOB");
    await updated();
    bot.fake.reset();

    const responseId = await click(complaint.id, "investigate", "U0EVE");
    const told = await bot.fake.waitFor("response_url", (c) => c.responseId === responseId);
    expect(told.body).toMatchObject({
      response_type: "ephemeral",
      replace_original: false,
      text: "This complaint is investigating: it cannot be marked investigating now.",
    });
    const refreshed = await updated();
    expect(refreshed.body.ts).toBe(posted.response.ts);
    expect(textOf(blocksOf(refreshed))).toContain("*Status*\nInvestigating");
    expect(buttonsOf(refreshed).map((b) => b.action_id)).toEqual([
      "complaint_transition:fix",
      "complaint_transition:resolve",
    ]);
    // A stale Resolve opens no modal.
    bot.fake.reset();
    const stillOpen = await postedComplaint();
    const resolveId = await click(stillOpen.complaint.id, "resolve", "U0EVE");
    const refusal = await bot.fake.waitFor("response_url", (c) => c.responseId === resolveId);
    expect(refusal.body.text).toBe("This complaint is open: it cannot be marked resolved now.");
    await updated();
    expect(bot.fake.callsTo("views.open")).toEqual([]);

    const rows = await complaintFor(complaint.submissionKey ?? "");
    expect(rows.events.map((e) => e.actorSlackId)).toEqual(["U0001", "U0BOB"]);
  });

  it("refuses a resolve modal submitted after someone else resolved it", async () => {
    const { complaint } = await postedComplaint();
    await click(complaint.id, "investigate");
    await updated();
    bot.fake.reset();
    await click(complaint.id, "resolve", "U0BOB");
    const opened = await bot.fake.waitFor("views.open");
    const metadata = (opened.body.view as { private_metadata: string }).private_metadata;
    // Someone else resolves it first, through their own modal.
    bot.fake.reset();
    await resolveThroughModal(complaint.id, "Credit note issued", "U0CAROL");
    await updated();
    bot.fake.reset();
    const late = await postInteraction(
      bot.url,
      SIGNING_SECRET,
      viewSubmission({
        callbackId: ids.view.complaintResolve,
        privateMetadata: metadata,
        values: { resolution: { resolution: { type: "plain_text_input", value: "Replacement sent" } } },
        user: { id: "U0BOB" },
        view: { id: "VLATE" },
      }),
    );
    expect(late.json()).toEqual({
      response_action: "errors",
      errors: {
        resolution:
          "This complaint is resolved, awaiting customer confirmation: it cannot be marked resolved now.",
      },
    });
    const row = await complaintFor(complaint.submissionKey ?? "");
    expect(row.resolution).toBe("Credit note issued");
    expect(row.events.filter((e) => e.toStatus === "resolved").map((e) => e.actorSlackId)).toEqual([
      "U0CAROL",
    ]);
  });
});

describe("overdue", () => {
  it("marks a complaint overdue against the configured target, and stops once it is resolved", async () => {
    const { complaint, posted } = await postedComplaint({ severity: "high" });
    // High is 2 days here (COMPLAINT_RESPONSE_DAYS), not the default 3.
    expect(textOf(blocksOf(posted))).toContain("0 days old  ·  target 2 days (high)  ·  due <!date^");
    expect(textOf(blocksOf(posted))).not.toContain("overdue");

    clock = new Date(NOW.getTime() + 2 * DAY + HOUR);
    await click(complaint.id, "investigate");
    let update = await updated();
    expect(textOf(blocksOf(update))).not.toContain("overdue");

    bot.fake.reset();
    clock = new Date(NOW.getTime() + 5 * DAY);
    await click(complaint.id, "fix");
    update = await updated();
    expect(textOf(blocksOf(update))).toContain("5 days old  ·  target 2 days (high)");
    expect(textOf(blocksOf(update))).toContain(":warning: *3 days overdue*");
    expect(update.body.text).toBe(
      "Complaint from ACME Corporation: Delivery, high severity. Fixing, 3 days overdue.",
    );

    bot.fake.reset();
    await resolveThroughModal(complaint.id, "Done late");
    update = await updated();
    expect(textOf(blocksOf(update))).not.toContain("overdue");
    expect(textOf(blocksOf(update))).toContain("after 5 days");
  });
});
