// The App Home tab end to end: app_home_opened in, views.publish out with the user's own accounts,
// complaints, follow-ups and signs; paging within Slack's 100 blocks; a welcome for a user with nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { HomeData } from "../../src/domain/home.ts";
import { buildHome, HOME_BLOCK_BUDGET } from "../../src/slack/views/home.ts";
import { viewViolations } from "../support/block-kit-rules.ts";
import { type SlackBlock, textOf } from "../support/blocks.ts";
import { SIGNING_SECRET, startTestBot, type TestBot } from "../support/bot.ts";
import type { FakeSlackCall } from "../support/fake-slack.ts";
import { blockActions, eventCallback, postEvent, postInteraction } from "../support/slack-requests.ts";

// 02:00 on Monday 2026-11-30 in Shanghai (still Sunday in UTC): this week ends Sunday 2026-12-06.
const NOW = new Date("2026-11-29T18:00:00Z");
const MARIA = "U0MARIA";
const OTHER = "U0OTHER";
const BIG = "U0BIG";
let bot: TestBot;

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

type PublishedHome = {
  call: FakeSlackCall;
  blocks: SlackBlock[];
  text: string;
  view: { id: string; hash: string; private_metadata: string };
};

function published(call: FakeSlackCall): PublishedHome {
  const blocks = ((call.body.view as { blocks?: SlackBlock[] }).blocks ?? []) as SlackBlock[];
  return {
    call,
    blocks,
    text: textOf(blocks),
    view: call.response.view as PublishedHome["view"],
  };
}

/** Waits for the next views.publish for `user` after `send`. */
async function nextPublish(user: string, send: () => Promise<{ status: number }>): Promise<PublishedHome> {
  const before = bot.fake.callsTo("views.publish").length;
  const res = await send();
  expect(res.status).toBe(200);
  const call = await bot.fake.waitFor(
    "views.publish",
    (c) => c.body.user_id === user && bot.fake.callsTo("views.publish").indexOf(c) >= before,
  );
  expect(call.error).toBeUndefined();
  return published(call);
}

function openHome(user: string, tab: "home" | "messages" = "home") {
  return postEvent(
    bot.url,
    SIGNING_SECRET,
    eventCallback({ type: "app_home_opened", user, channel: `D${user}`, tab, event_ts: "1764439200.000100" }),
  );
}

async function homeOf(user: string): Promise<PublishedHome> {
  return nextPublish(user, () => openHome(user));
}

type Button = { action_id: string; value: string; text: { text: string } };

function buttons(home: PublishedHome): Button[] {
  return home.blocks.flatMap((block) => [
    ...((block.elements ?? []) as Button[]).filter((e) => (e as { type?: string }).type === "button"),
    ...(block.accessory ? [block.accessory as Button] : []),
  ]);
}

/** Clicks a Home button as Slack sends it: a signed block_actions from the published view. */
function click(home: PublishedHome, user: string, actionId: string, value: string) {
  return nextPublish(user, () =>
    postInteraction(
      bot.url,
      SIGNING_SECRET,
      blockActions({
        actionId,
        value,
        user: { id: user },
        view: {
          id: home.view.id,
          hash: home.view.hash,
          type: "home",
          private_metadata: home.view.private_metadata,
          blocks: home.blocks as never,
        },
      }),
    ),
  );
}

function pageButton(home: PublishedHome, section: string): Button | undefined {
  return buttons(home).find(
    (b) => b.action_id === "home_page" && (JSON.parse(b.value) as { section: string }).section === section,
  );
}

beforeAll(async () => {
  bot = await startTestBot({ now: () => NOW, env: { TIME_ZONE: "Asia/Shanghai" } });
  const prisma = bot.db.prisma;
  const account = (externalId: string, name: string, ownerSlackId: string, status = "active") =>
    prisma.account.create({ data: { externalId, name, ownerSlackId, status: status as "active" } });
  const acme = await account("A-1", "Acme Tools", MARIA);
  const beta = await account("A-2", "Beta Foods", MARIA);
  await account("A-3", "Gamma Lost", MARIA, "lost");
  const delta = await account("A-4", "Delta Labs", MARIA, "at_risk");
  const zeta = await account("Z-1", "Zeta Secret", OTHER);

  const interaction = (accountId: string, occurredOn: string) => ({
    accountId,
    kind: "call" as const,
    occurredOn: day(occurredOn),
    ourParticipants: [MARIA],
    summary: "Checked in",
    createdBy: MARIA,
  });
  await prisma.interaction.createMany({
    data: [
      interaction(acme.id, "2026-10-01"),
      interaction(acme.id, "2026-08-01"),
      interaction(delta.id, "2026-09-01"),
      interaction(delta.id, "2026-11-27"),
      interaction(zeta.id, "2026-11-28"),
    ],
  });

  const complaint = (
    accountId: string,
    ownerSlackId: string,
    data: { severity: "high" | "medium"; status: string; description: string; createdAt: string },
  ) => ({
    accountId,
    ownerSlackId,
    category: data.severity === "high" ? ("delivery" as const) : ("service" as const),
    severity: data.severity,
    status: data.status as "open",
    description: data.description,
    createdBy: MARIA,
    createdAt: new Date(data.createdAt),
  });
  await prisma.complaint.createMany({
    data: [
      // 9 days 18 hours old, high (3 days): 6 days overdue.
      complaint(acme.id, MARIA, {
        severity: "high",
        status: "investigating",
        description: "Late deliveries",
        createdAt: "2026-11-20T00:00:00Z",
      }),
      complaint(delta.id, MARIA, {
        severity: "medium",
        status: "open",
        description: "Rude hotline",
        createdAt: "2026-11-27T18:00:00Z",
      }),
      complaint(acme.id, MARIA, {
        severity: "high",
        status: "confirmed",
        description: "Closed and confirmed",
        createdAt: "2026-10-01T00:00:00Z",
      }),
      // On Maria's account, but someone else's complaint to handle.
      complaint(acme.id, OTHER, {
        severity: "high",
        status: "open",
        description: "Not Maria's complaint",
        createdAt: "2026-11-01T00:00:00Z",
      }),
      complaint(zeta.id, OTHER, {
        severity: "medium",
        status: "open",
        description: "Zeta complaint",
        createdAt: "2026-11-01T00:00:00Z",
      }),
    ],
  });

  const followUp = (accountId: string, ownerSlackId: string, description: string, dueOn: string) => ({
    accountId,
    ownerSlackId,
    description,
    dueOn: day(dueOn),
    createdBy: MARIA,
  });
  await prisma.followUp.createMany({
    data: [
      followUp(delta.id, MARIA, "Visit the plant", "2026-12-06"),
      followUp(acme.id, MARIA, "Send the revised offer", "2026-11-28"),
      followUp(beta.id, MARIA, "Call about the spring order", "2026-11-30"),
      followUp(delta.id, MARIA, "Next week's task", "2026-12-07"),
      { ...followUp(acme.id, MARIA, "Already done", "2026-11-29"), doneAt: NOW, doneBy: MARIA },
      followUp(acme.id, OTHER, "Other rep's step on Acme", "2026-11-30"),
      followUp(zeta.id, OTHER, "Zeta step", "2026-11-30"),
    ],
  });

  const sign = (accountId: string, observedOn: string, details: string, extra: object = {}) => ({
    accountId,
    kind: "contact_change" as const,
    observedOn: day(observedOn),
    details,
    createdBy: MARIA,
    ...extra,
  });
  await prisma.warningSign.createMany({
    data: [
      sign(delta.id, "2026-10-31", "New buyer at Delta"),
      sign(acme.id, "2026-11-20", "Undercut us by 8%", {
        kind: "competitor_activity",
        competitorName: "Rival GmbH",
      }),
      sign(delta.id, "2026-10-30", "Too old to show"),
      sign(zeta.id, "2026-11-25", "Zeta sign"),
    ],
  });

  // A rep with more than any page holds.
  const bigAccounts = Array.from({ length: 500 }, (_, i) => ({
    externalId: `BIG-${i}`,
    name: `Big ${String(i + 1).padStart(3, "0")}`,
    ownerSlackId: BIG,
  }));
  await prisma.account.createMany({ data: bigAccounts });
  const bigIds = (await prisma.account.findMany({ where: { ownerSlackId: BIG }, select: { id: true } })).map(
    (a) => a.id,
  );
  const someBig = (i: number) => bigIds[i % bigIds.length] ?? "";
  await prisma.complaint.createMany({
    data: Array.from({ length: 200 }, (_, i) => ({
      accountId: someBig(i),
      ownerSlackId: BIG,
      category: "other" as const,
      severity: "low" as const,
      description: `Big complaint ${i + 1}`,
      createdBy: BIG,
      createdAt: new Date(Date.UTC(2026, 10, 1, 0, i)),
    })),
  });
  await prisma.followUp.createMany({
    data: Array.from({ length: 300 }, (_, i) =>
      followUp(someBig(i), BIG, `Big step ${i + 1}`, `2026-11-${String((i % 30) + 1).padStart(2, "0")}`),
    ),
  });
  await prisma.warningSign.createMany({
    data: Array.from({ length: 100 }, (_, i) =>
      sign(someBig(i), `2026-11-${String((i % 29) + 1).padStart(2, "0")}`, `Big sign ${i + 1}`),
    ),
  });
});

afterAll(async () => {
  await bot?.stop();
});

beforeEach(() => {
  bot.fake.reset();
});

describe("App Home", () => {
  it("publishes the user's own accounts, complaints, follow-ups and signs, with the right figures", async () => {
    const home = await homeOf(MARIA);
    expect(home.call.body.view).toMatchObject({ type: "home" });
    expect(home.text).toContain(
      "4 accounts  ·  2 open complaints (1 overdue)  ·  3 follow-ups due by Sun 2026-12-06 (1 overdue)" +
        "  ·  2 warning signs in 30 days\nAs of 2026-11-30.",
    );
    // Longest without contact first; a lost account (let go) last.
    expect(home.text).toContain(
      [
        "• *Beta Foods* · Active · never contacted",
        "• *Acme Tools* · Active · last contact 2026-10-01, 60 days ago",
        "• *Delta Labs* · At risk · last contact 2026-11-27, 3 days ago",
        "• *Gamma Lost* · Lost · never contacted",
      ].join("\n"),
    );
    const overdue =
      "*Acme Tools* · *High* · Delivery · Investigating · 9 days old · :warning: *6 days overdue* (target 3 days)\nLate deliveries";
    const fresh = "*Delta Labs* · *Medium* · Service · Open · 2 days old · target 7 days\nRude hotline";
    expect(home.text).toContain("*My open complaints* (2) · most urgent first");
    expect(home.text.indexOf(overdue)).toBeGreaterThan(-1);
    expect(home.text.indexOf(fresh)).toBeGreaterThan(home.text.indexOf(overdue));

    expect(home.text).toContain("*My follow-ups due this week* (3) · overdue first, up to 2026-12-06");
    const due = [
      "*Acme Tools* — Send the revised offer\n:warning: *2 days overdue* (due 2026-11-28)",
      "*Beta Foods* — Call about the spring order\n*Due today* (2026-11-30)",
      "*Delta Labs* — Visit the plant\nDue Sun 2026-12-06",
    ];
    for (const line of due) expect(home.text).toContain(line);
    expect(home.text.indexOf(due[0] ?? "")).toBeLessThan(home.text.indexOf(due[1] ?? ""));
    expect(home.text.indexOf(due[1] ?? "")).toBeLessThan(home.text.indexOf(due[2] ?? ""));
    const done = buttons(home).filter((b) => b.action_id === "follow_up_done");
    const ids = await bot.db.prisma.followUp.findMany({
      where: {
        ownerSlackId: MARIA,
        description: { in: ["Send the revised offer", "Call about the spring order", "Visit the plant"] },
      },
      orderBy: { dueOn: "asc" },
      select: { id: true },
    });
    expect(done.map((b) => b.value)).toEqual(ids.map((f) => f.id));
    expect(done.map((b) => b.text.text)).toEqual(["Done", "Done", "Done"]);

    expect(home.text).toContain(
      "*Acme Tools* · 2026-11-20 · *Competitor activity* · Rival GmbH\nUndercut us by 8%",
    );
    expect(home.text).toContain(
      "*Delta Labs* · 2026-10-31 · *Purchasing / decision-maker change*\nNew buyer at Delta",
    );
    for (const hidden of ["Next week's task", "Already done", "Closed and confirmed", "Too old to show"]) {
      expect(home.text).not.toContain(hidden);
    }
    // Nothing fits on one page here: no pager.
    expect(buttons(home).some((b) => b.action_id === "home_page")).toBe(false);
    expect(bot.fake.rejected).toEqual([]);
  });

  it("never shows another user's records", async () => {
    const home = await homeOf(MARIA);
    for (const foreign of ["Zeta", "Not Maria's complaint", "Other rep's step"]) {
      expect(home.text).not.toContain(foreign);
    }
    const other = await homeOf(OTHER);
    expect(other.text).toContain("Zeta Secret");
    expect(other.text).toContain("Not Maria's complaint");
    expect(other.text).toContain("Other rep's step on Acme");
    for (const mine of ["Late deliveries", "Beta Foods", "Visit the plant", "Undercut us"]) {
      expect(other.text).not.toContain(mine);
    }
  });

  it("welcomes a user with nothing, with how to start", async () => {
    const home = await homeOf("U0NEWBIE");
    expect(home.blocks[0]).toMatchObject({ type: "header", text: { text: "Welcome to Churnwatch" } });
    expect(home.text).toContain("`/customer <name>` shows an account's card");
    expect(home.text).toContain("*Log to customer*");
    expect(home.text).not.toContain("Your customers");
    expect(home.text).not.toContain("My accounts");
  });

  it("draws nothing for the Messages tab", async () => {
    const messages = await openHome(MARIA, "messages");
    expect(messages.status).toBe(200);
    // The Messages event was sent first: by the time the next Home is published it was handled.
    await homeOf("U0NEWBIE");
    expect(bot.fake.callsTo("views.publish").map((c) => c.body.user_id)).toEqual(["U0NEWBIE"]);
  });

  it("keeps a busy Home within 100 blocks and pages each section with Show more, keeping the others", async () => {
    const first = await homeOf(BIG);
    expect(first.blocks.length).toBeLessThanOrEqual(100);
    expect(first.text).toContain("*My accounts* (500) · showing 1–20 · longest without contact first");
    expect(first.text).toContain("*My open complaints* (200) · showing 1–10 · most urgent first");
    expect(first.text).toContain("*My follow-ups due this week* (300) · showing 1–10");
    expect(first.text).toContain("*Warning signs on my accounts, last 30 days* (100) · showing 1–10");
    expect(first.text).toContain("• *Big 001* · Active · never contacted");
    expect(first.text).toContain("• *Big 020* · Active · never contacted");
    expect(first.text).not.toContain("• *Big 021* · Active");
    // 300 follow-ups all due this week and overdue ones first: the earliest due.
    expect(first.text).toContain(":warning: *29 days overdue* (due 2026-11-01)");

    const accountsMore = pageButton(first, "accounts");
    expect(accountsMore?.text.text).toBe("Show more");
    const second = await click(first, BIG, "home_page", accountsMore?.value ?? "");
    expect(second.blocks.length).toBeLessThanOrEqual(100);
    expect(second.text).toContain("*My accounts* (500) · showing 21–40");
    expect(second.text).toContain("• *Big 021* · Active · never contacted");
    expect(second.text).not.toContain("• *Big 001* · Active");
    expect(second.text).toContain("*My open complaints* (200) · showing 1–10");

    const third = await click(second, BIG, "home_page", pageButton(second, "complaints")?.value ?? "");
    expect(third.text).toContain("*My open complaints* (200) · showing 11–20");
    // The accounts page the user had moved to stays.
    expect(third.text).toContain("*My accounts* (500) · showing 21–40");
    expect(third.text).toContain("*My follow-ups due this week* (300) · showing 1–10");

    // The last page of signs offers the way back to the first.
    const last = await click(third, BIG, "home_page", JSON.stringify({ section: "signs", page: 9 }));
    expect(last.text).toContain("*Warning signs on my accounts, last 30 days* (100) · showing 91–100");
    const back = pageButton(last, "signs");
    expect(back?.text.text).toBe("Back to the first page");
    const again = await click(last, BIG, "home_page", back?.value ?? "");
    expect(again.text).toContain("*Warning signs on my accounts, last 30 days* (100) · showing 1–10");

    // A page beyond the end (the list shrank since) shows the last one.
    const stale = await click(again, BIG, "home_page", JSON.stringify({ section: "accounts", page: 999 }));
    expect(stale.text).toContain("*My accounts* (500) · showing 481–500");
    expect(bot.fake.rejected).toEqual([]);
  });

  it("pages only the clicking user's own Home", async () => {
    const big = await homeOf(BIG);
    const maria = await click(big, MARIA, "home_page", pageButton(big, "accounts")?.value ?? "");
    expect(maria.call.body.user_id).toBe(MARIA);
    expect(maria.text).toContain("Acme Tools");
    expect(maria.text).not.toContain("Big 0");
  });
});

describe("the Home block budget", () => {
  const long = `${"&<>".repeat(400)}😀${"長".repeat(3000)}`;
  const full = <T>(item: (i: number) => T, pageSize: number, total: number) => ({
    items: Array.from({ length: pageSize }, (_, i) => item(i)),
    page: 1,
    pageSize,
    total,
  });

  it("holds the worst case (every page full, longest texts, pagers) within Slack's limits", () => {
    const data: HomeData = {
      userId: BIG,
      today: "2026-11-30",
      weekEndsOn: "2026-12-06",
      accounts: full(
        (i) => ({
          id: `a${i}`,
          name: long,
          status: "at_risk",
          lastContactOn: "2020-01-01",
          daysSinceContact: 2525,
          classification: {
            keyBasis: "designated",
            face: "white",
            relationship: "transactional",
            loyalty: "disloyal",
            loyaltyDirection: "worsening",
          },
        }),
        20,
        100_000,
      ),
      complaints: {
        ...full(
          (i) => ({
            id: `c${i}`,
            accountName: long,
            category: "channel_conflict",
            severity: "critical",
            status: "resolved",
            description: long,
            ownerSlackId: BIG,
            reopened: true,
            age: { ageDays: 99_999, targetDays: 1, overdueDays: 99_998 },
          }),
          10,
          100_000,
        ),
        overdue: 100_000,
      },
      followUps: {
        ...full(
          (i) => ({
            id: `f${i}`,
            accountName: long,
            description: long,
            dueOn: "2020-01-01",
            daysLate: 2525,
          }),
          10,
          100_000,
        ),
        overdue: 100_000,
      },
      signs: full(
        () => ({
          accountName: long,
          observedOn: "2026-11-30",
          kind: "competitor_activity",
          details: long,
          competitorName: long,
        }),
        10,
        100_000,
      ),
      keyCare: {
        items: Array.from({ length: 15 }, (_, i) => ({
          accountId: `k${i}`,
          accountName: long,
          face: "black" as const,
          cadence: {
            lastContactOn: null,
            since: "2020-01-01",
            limitDays: 3650,
            daysSince: 99_999,
            overdueDays: 99_999,
            dueInDays: -99_999,
            overdueOn: "2030-01-01",
          },
          keyDates: [
            {
              kind: "holiday" as const,
              subject: long,
              name: long,
              occasionOn: "2026-12-01",
              daysAhead: 60,
              years: null,
            },
          ],
        })),
        total: 100_000,
        overdue: 100_000,
      },
    };
    const view = buildHome(data);
    expect(HOME_BLOCK_BUDGET).toBeLessThanOrEqual(100);
    expect(view.blocks).toHaveLength(HOME_BLOCK_BUDGET);
    expect(viewViolations(view)).toEqual([]);
  });
});
