// Exit tasks 2–4 end to end: "Customers at risk" (ephemeral list), "Log outreach" (modal, thread line,
// message refreshed) and "Losses" (modal prefilled from invoices, totals on the message), closed cases.
import type { ViewStateValue } from "@slack/bolt";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ServiceDeps } from "../../src/services/deps.ts";
import { closeCase } from "../../src/services/exit/close-case.ts";
import { postExitCase } from "../../src/services/exit/exit-message.ts";
import { ids } from "../../src/slack/ids.ts";
import { exitRenderers } from "../../src/slack/views/exit-case.ts";
import { createBotWebClient } from "../../src/slack/web-client.ts";
import { type SlackBlock, textOf } from "../support/blocks.ts";
import { BOT_TOKEN, SIGNING_SECRET, startTestBot, type TestBot } from "../support/bot.ts";
import { testDeps } from "../support/deps.ts";
import { assessRisk, startCase } from "../support/exit-cases.ts";
import type { FakeSlackCall } from "../support/fake-slack.ts";
import { blockActions, postInteraction, viewSubmission } from "../support/slack-requests.ts";

const NOW = new Date("2026-11-23T12:00:00Z");
let bot: TestBot;
let deps: ServiceDeps;
let caseId: string;
let messageTs: string;
const account: Record<string, string> = {};
let viewIds = 0;

type View = { id: string; callback_id: string; private_metadata: string; blocks: SlackBlock[] };
type Accessory = { action_id: string; value: string };

async function createAccount(
  name: string,
  data: { segment?: string; ownerSlackId?: string; channelId?: string; status?: "lost" } = {},
) {
  const created = await bot.db.prisma.account.create({
    data: { externalId: name.toUpperCase().replaceAll(" ", "-"), name, ...data },
  });
  account[name] = created.id;
  return created.id;
}

beforeAll(async () => {
  bot = await startTestBot({ now: () => NOW });
  deps = testDeps(bot.db, () => NOW);
  const prisma = bot.db.prisma;
  const leaver = await createAccount("Leaver GmbH", {
    segment: "Retail",
    ownerSlackId: "U0OWNER",
    channelId: "C0LEAVE",
  });
  await prisma.contact.create({ data: { accountId: leaver, name: "Ana", email: "ana@example.com" } });
  await prisma.receivable.create({
    data: {
      accountId: leaver,
      externalId: "INV-1",
      dueOn: new Date("2026-10-01T00:00:00Z"),
      amount: 123_456n,
      currency: "EUR",
    },
  });
  const partner = await createAccount("Partner AG", { ownerSlackId: "U0PARTNER" });
  await prisma.accountLink.create({ data: { accountId: partner, linkedId: leaver, note: "same group" } });
  await assessRisk(bot.db, partner, ["high"]);
  const shared = await createAccount("Shared Contact Co");
  await prisma.contact.create({ data: { accountId: shared, name: "Ana B.", email: "ANA@example.com" } });
  await createAccount("Segment Co", { segment: "retail" });
  await createAccount("Gone Co", { segment: "Retail", status: "lost" });

  caseId = await startCase(deps, leaver);
  const posted = await postExitCase(deps, {
    slack: createBotWebClient(BOT_TOKEN, bot.fake.apiUrl),
    caseId,
    render: exitRenderers,
  });
  if (!posted) throw new Error("the case message was not posted");
  expect(posted.channelId).toBe("C0LEAVE");
  messageTs = posted.ts;
});

afterAll(async () => {
  await bot?.stop();
});

beforeEach(() => {
  bot.fake.reset();
});

afterEach(() => {
  // Every message, modal and answer passed Slack's Block Kit checks.
  expect(bot.fake.rejected).toEqual([]);
});

async function click(actionId: string, value: string) {
  const responseUrl = bot.fake.responseUrl(`r${++viewIds}`);
  const res = await postInteraction(
    bot.url,
    SIGNING_SECRET,
    blockActions({
      actionId,
      value,
      responseUrl,
      channel: { id: "C0LEAVE", name: "leaver" },
      message: { ts: messageTs },
    }),
  );
  expect(res.status).toBe(200);
  return responseUrl;
}

/** The private answer posted to the click's response URL. */
async function answerTo(responseUrl: string): Promise<FakeSlackCall> {
  return bot.fake.waitFor(
    "response_url",
    (c) => c.responseId !== undefined && responseUrl.endsWith(c.responseId),
  );
}

async function openedView(callbackId: string): Promise<View> {
  const call = await bot.fake.waitFor("views.open", (c) => (c.body.view as View).callback_id === callbackId);
  return call.body.view as View;
}

function submit(
  callbackId: string,
  metadata: string,
  values: Record<string, Record<string, ViewStateValue>>,
  viewId?: string,
) {
  return postInteraction(
    bot.url,
    SIGNING_SECRET,
    viewSubmission({
      callbackId,
      privateMetadata: metadata,
      values,
      view: { id: viewId ?? `VEXIT${++viewIds}` },
    }),
  );
}

const text = (value: string | null): ViewStateValue => ({ type: "plain_text_input", value });
const select = (value: string | null): ViewStateValue => ({
  type: "static_select",
  selected_option: value === null ? null : { text: { type: "plain_text", text: value }, value },
});

function outreachValues(input: {
  pick?: string | null;
  on?: string;
  outcome?: string | null;
  company?: string | null;
}) {
  return {
    exit_outreach_pick: { exit_outreach_pick: select(input.pick ?? null) },
    exit_outreach_account: { [ids.action.accountSelect]: { type: "external_select", selected_option: null } },
    exit_outreach_by: { exit_outreach_by: { type: "users_select", selected_user: "U0REP" } },
    exit_outreach_on: { exit_outreach_on: { type: "datepicker", selected_date: input.on ?? "2026-11-22" } },
    exit_outreach_outcome: { exit_outreach_outcome: text(input.outcome ?? null) },
    exit_outreach_company: { exit_outreach_company: text(input.company ?? null) },
  } as Record<string, Record<string, ViewStateValue>>;
}

/** The case message's section of task `number`, as text, from its latest update. */
async function taskSection(number: number): Promise<string> {
  const update = await bot.fake.waitFor("chat.update", (c) => c.body.ts === messageTs);
  const blocks = (update.body.blocks ?? []) as SlackBlock[];
  const section = blocks.find((b) => b.type === "section" && textOf([b]).includes(`*${number}. `));
  return textOf(section ? [section] : []);
}

async function threadLine(): Promise<string> {
  const call = await bot.fake.waitFor("chat.postMessage", (c) => c.body.thread_ts === messageTs);
  return String(call.body.text);
}

const domino = (task: 2 | 3) => JSON.stringify({ caseId, task });

describe("exit tasks 2 and 3: customers at domino risk", () => {
  it("lists the accounts at domino risk privately, with reasons, owner, band and outreach", async () => {
    const answer = await answerTo(await click(ids.action.exitDomino, domino(3)));

    expect(answer.body).toMatchObject({ response_type: "ephemeral", replace_original: false });
    const blocks = answer.body.blocks as SlackBlock[];
    const shown = textOf(blocks);
    expect(shown).toContain("3 customers at domino risk");
    expect(shown).toContain(
      "*Partner AG* · owner <@U0PARTNER> · :large_orange_circle: High risk\n:hourglass_flowing_sand: No outreach logged yet\n• Linked partner (same group)\n• Already at high risk",
    );
    expect(shown).toContain(
      "*Shared Contact Co* · owner no owner · not scanned yet\n:hourglass_flowing_sand: No outreach logged yet\n• Shared contact: Ana B.",
    );
    expect(shown).toContain("*Segment Co*");
    expect(shown).not.toContain("Gone Co");
    expect(shown.indexOf("Partner AG")).toBeLessThan(shown.indexOf("Shared Contact Co"));
    expect(shown.indexOf("Shared Contact Co")).toBeLessThan(shown.indexOf("Segment Co"));
    const accessory = blocks.find((b) => textOf([b]).includes("*Partner AG*"))?.accessory as Accessory;
    expect(accessory.action_id).toBe(ids.action.exitOutreach);
    expect(JSON.parse(accessory.value)).toEqual({ caseId, task: 3, accountId: account["Partner AG"] });
  });

  it("Log outreach saves once, refreshes the message and posts the outreach in its thread", async () => {
    await click(ids.action.exitOutreach, domino(3));
    const view = await openedView(ids.view.exitOutreach);
    const pick = view.blocks.find((b) => b.block_id === "exit_outreach_pick") as unknown as {
      element: { options: { value: string }[] };
    };
    expect(pick.element.options.map((o) => o.value)).toEqual([
      account["Partner AG"],
      account["Shared Contact Co"],
      account["Segment Co"],
    ]);
    expect(textOf(view.blocks)).toContain("Company-level communication");

    const values = outreachValues({
      pick: account["Partner AG"] ?? null,
      outcome: "They had heard <rumours>; told them the truth.",
      company: "Press release on 2026-11-24",
    });
    const res = await submit(ids.view.exitOutreach, view.private_metadata, values, "VOUTREACH1");
    expect(res.body).toBe("");

    expect(await threadLine()).toBe(
      "<@U0001> — Outreach to Partner AG by <@U0REP> on 2026-11-22: They had heard &lt;rumours&gt;; told them the truth. · Company-level communication: Press release on 2026-11-24",
    );
    const section = await taskSection(3);
    expect(section).toContain("Outreach logged: 1 contact with 1 customer");
    expect(section).toContain("Company-level communication: Press release on 2026-11-24");

    // The same submission again records nothing more.
    expect((await submit(ids.view.exitOutreach, view.private_metadata, values, "VOUTREACH1")).body).toBe("");
    expect(await bot.db.prisma.exitOutreach.count({ where: { caseId } })).toBe(1);

    const again = await answerTo(await click(ids.action.exitDomino, domino(2)));
    expect(textOf(again.body.blocks as SlackBlock[])).toContain(
      ":white_check_mark: Outreach logged: last on 2026-11-22 by <@U0REP> (task 3)",
    );
  });

  it("the list's Log outreach opens the form on that customer; task 2 asks for the outcome", async () => {
    await click(
      ids.action.exitOutreach,
      JSON.stringify({ caseId, task: 2, accountId: account["Shared Contact Co"] }),
    );
    const view = await openedView(ids.view.exitOutreach);
    const pick = view.blocks.find((b) => b.block_id === "exit_outreach_pick") as unknown as {
      element: { initial_option: { value: string } };
    };
    expect(pick.element.initial_option.value).toBe(account["Shared Contact Co"]);
    expect(view.blocks.some((b) => b.block_id === "exit_outreach_company")).toBe(false);

    const res = await submit(
      ids.view.exitOutreach,
      view.private_metadata,
      outreachValues({ pick: account["Shared Contact Co"] ?? null, on: "2026-11-24", outcome: " " }),
    );
    expect(res.json()).toEqual({
      response_action: "errors",
      errors: { exit_outreach_on: "That day is in the future.", exit_outreach_outcome: "Say how it went." },
    });
  });
});

describe("exit task 4: cut the loss", () => {
  it("opens prefilled from the unpaid invoices, checks the amounts, saves and shows the totals", async () => {
    await click(ids.action.exitLosses, caseId);
    const view = await openedView(ids.view.exitLosses);
    const outstanding = view.blocks.find(
      (b) => b.block_id === "exit_losses_receivables_outstanding",
    ) as unknown as {
      element: { initial_value?: string };
      label: { text: string };
    };
    expect(outstanding.element.initial_value).toBe("1234.56");
    expect(outstanding.label.text).toBe("(a) Receivables outstanding (EUR)");
    expect(textOf(view.blocks)).toContain("Receivables outstanding start from the 1 unpaid invoice in EUR.");

    const amounts = (recovered: string) => ({
      exit_losses_receivables_outstanding: { exit_losses_receivables_outstanding: text("1234.56") },
      exit_losses_receivables_recovered: { exit_losses_receivables_recovered: text(recovered) },
      exit_losses_compensation_claimed: { exit_losses_compensation_claimed: text("500") },
      exit_losses_compensation_agreed: { exit_losses_compensation_agreed: text("200") },
      exit_losses_goods_returned: { exit_losses_goods_returned: text(null) },
      exit_losses_market_gap: { exit_losses_market_gap: text("10,000") },
    });
    const refused = await submit(ids.view.exitLosses, view.private_metadata, amounts("1300"));
    expect(refused.json()).toEqual({
      response_action: "errors",
      errors: { exit_losses_receivables_recovered: "Cannot be more than the receivables outstanding." },
    });

    const saved = await submit(ids.view.exitLosses, view.private_metadata, amounts("234.56"));
    expect(saved.body).toBe("");
    expect(await threadLine()).toBe(
      "<@U0001> — 4. Cut the loss: unrecovered receivables €1,000.00, compensation agreed €200.00, goods returned €0.00, market-gap loss €10,000.00; net loss €10,800.00",
    );
    const section = await taskSection(4);
    expect(section).toContain("*Net loss €10,800.00*");
    // Saving is not finishing: the task keeps its Done button.
    const task = await bot.db.prisma.exitTask.findFirstOrThrow({ where: { caseId, number: 4 } });
    expect(task.status).toBe("todo");

    bot.fake.reset();
    await click(ids.action.exitLosses, caseId);
    const reopened = await openedView(ids.view.exitLosses);
    const values = reopened.blocks
      .filter((b) => String(b.block_id ?? "").startsWith("exit_losses_"))
      .map((b) => (b as unknown as { element: { initial_value?: string } }).element.initial_value ?? "");
    expect(values).toEqual(["1234.56", "234.56", "500.00", "200.00", "", "10000.00"]);
  });
});

describe("a closed case", () => {
  it("answers every button and form with a clear message", async () => {
    await bot.db.prisma.$transaction((tx) =>
      closeCase(tx, { caseId, outcome: "lost", today: "2026-11-23", actorSlackId: "U0OWNER" }),
    );
    const closed =
      "Leaver GmbH was lost on 2026-11-23: its exit handling is closed, so nothing more is recorded on it.";

    for (const [actionId, value] of [
      [ids.action.exitDomino, domino(3)],
      [ids.action.exitOutreach, domino(2)],
      [ids.action.exitLosses, caseId],
    ] as const) {
      const answer = await answerTo(await click(actionId, value));
      expect(answer.body).toMatchObject({ response_type: "ephemeral", text: closed });
    }
    expect(bot.fake.callsTo("views.open")).toEqual([]);

    const res = await submit(
      ids.view.exitOutreach,
      JSON.stringify({ caseId, task: 3 }),
      outreachValues({ pick: account["Segment Co"] ?? null, outcome: "Fine" }),
    );
    expect(res.json()).toEqual({ response_action: "errors", errors: { exit_outreach_outcome: closed } });
  });
});
