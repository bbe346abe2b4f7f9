// The card's records end to end (§2, §7): interactions, loyalty, open complaints and signs seeded in the
// database show as exactly the right lines on /customer; many long records still fit Slack's limits.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCustomerCommand, startTestBot, type TestBot } from "../support/bot.ts";

// Targets (defaults): critical 1, high 3, medium 7, low 14 days.
const NOW = new Date("2026-11-23T12:00:00Z");
let bot: TestBot;

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

const customer = (text: string) => runCustomerCommand(bot, text);

/** Raises a complaint with the lifecycle steps it went through, as the complaint service records them. */
async function complaint(
  accountId: string,
  data: {
    severity: "low" | "medium" | "high" | "critical";
    category: "product_quality" | "delivery" | "service" | "price" | "billing" | "channel_conflict" | "other";
    description: string;
    createdAt: Date;
    steps?: [from: string, to: string, at: string][];
    ownerSlackId?: string;
  },
) {
  const steps = data.steps ?? [];
  const last = steps[steps.length - 1];
  return bot.db.prisma.complaint.create({
    data: {
      accountId,
      category: data.category,
      severity: data.severity,
      description: data.description,
      ownerSlackId: data.ownerSlackId ?? "U0QA",
      createdBy: "U0OWNER",
      createdAt: data.createdAt,
      status: (last?.[1] ?? "open") as "open",
      events: {
        create: [
          { toStatus: "open", actorSlackId: "U0OWNER", at: data.createdAt },
          ...steps.map(([from, to, at]) => ({
            fromStatus: from as "open",
            toStatus: to as "open",
            actorSlackId: "U0QA",
            at: new Date(at),
          })),
        ],
      },
    },
  });
}

beforeAll(async () => {
  bot = await startTestBot({ now: () => NOW });
  const globex = await bot.db.prisma.account.create({
    data: { externalId: "G-1", name: "Globex Industrial", ownerSlackId: "U0OWNER" },
  });
  await bot.db.prisma.account.create({ data: { externalId: "Q-1", name: "Quiet Meadow Farms" } });
  const [paula, jonas, oldBuyer] = await Promise.all([
    bot.db.prisma.contact.create({
      data: { accountId: globex.id, name: "Paula Purchase", role: "purchasing" },
    }),
    bot.db.prisma.contact.create({
      data: { accountId: globex.id, name: "Jonas Decider", role: "decision_maker" },
    }),
    bot.db.prisma.contact.create({
      data: { accountId: globex.id, name: "Old Buyer", role: "purchasing", endedOn: day("2026-10-31") },
    }),
  ]);
  const interaction = (data: {
    occurredOn: string;
    kind: "visit" | "call" | "email" | "meeting";
    ourParticipants: string[];
    contactIds?: string[];
    summary: string;
    loyalty?: "loyal" | "average" | "disloyal";
  }) => ({
    accountId: globex.id,
    createdBy: "U0OWNER",
    ...data,
    occurredOn: day(data.occurredOn),
    contactIds: data.contactIds ?? [],
    loyalty: data.loyalty ?? null,
  });
  await bot.db.prisma.interaction.createMany({
    data: [
      // Oldest first on purpose: the card orders them itself.
      interaction({
        occurredOn: "2026-06-01",
        kind: "meeting",
        ourParticipants: ["U0OWNER"],
        summary: "Kick-off of the yearly contract",
        loyalty: "disloyal",
      }),
      interaction({
        occurredOn: "2026-09-01",
        kind: "email",
        ourParticipants: ["U0REP2"],
        summary: `Sent the catalogue ${"very ".repeat(60)}long`,
        loyalty: "loyal",
      }),
      interaction({
        occurredOn: "2026-11-20",
        kind: "visit",
        ourParticipants: ["U0OWNER", "U0REP2"],
        contactIds: [paula.id, jonas.id],
        summary: "Discussed Q1 volumes\nthey want <better> prices & faster delivery",
        loyalty: "average",
      }),
      interaction({
        occurredOn: "2026-10-15",
        kind: "call",
        ourParticipants: ["U0OWNER"],
        contactIds: [oldBuyer.id],
        summary: "Old buyer hands over to Paula",
        loyalty: "loyal",
      }),
      // A contact left without a loyalty read: not a read, and older than the three shown anyway.
      interaction({
        occurredOn: "2026-05-01",
        kind: "call",
        ourParticipants: ["U0OWNER"],
        summary: "Intro call",
      }),
    ],
  });

  // 13 days 3 hours old, high (3 days): 10 days overdue.
  await complaint(globex.id, {
    severity: "high",
    category: "delivery",
    description: "Late deliveries on three orders",
    createdAt: new Date("2026-11-10T09:00:00Z"),
    steps: [["open", "investigating", "2026-11-11T09:00:00Z"]],
  });
  // Raised in September, resolved, confirmed, reopened 3 days ago: the clock restarted, medium (7 days).
  await complaint(globex.id, {
    severity: "medium",
    category: "product_quality",
    description: "Scratched housings",
    createdAt: new Date("2026-09-01T08:00:00Z"),
    steps: [
      ["open", "investigating", "2026-09-02T08:00:00Z"],
      ["investigating", "resolved", "2026-10-01T08:00:00Z"],
      ["resolved", "confirmed", "2026-10-05T08:00:00Z"],
      ["confirmed", "reopened", "2026-11-20T12:00:00Z"],
    ],
  });
  // Confirmed by the customer: closed, not on the card.
  await complaint(globex.id, {
    severity: "low",
    category: "billing",
    description: "Invoice typo, closed long ago",
    createdAt: new Date("2026-10-01T08:00:00Z"),
    steps: [
      ["open", "investigating", "2026-10-02T08:00:00Z"],
      ["investigating", "resolved", "2026-10-03T08:00:00Z"],
      ["resolved", "confirmed", "2026-10-04T08:00:00Z"],
    ],
  });
  // Critical but resolved 20 days ago: waits for the customer's confirmation, never overdue.
  await complaint(globex.id, {
    severity: "critical",
    category: "service",
    description: "Hotline unreachable for <2> days",
    createdAt: new Date("2026-11-01T10:00:00Z"),
    ownerSlackId: "U0OWNER",
    steps: [
      ["open", "investigating", "2026-11-01T11:00:00Z"],
      ["investigating", "resolved", "2026-11-03T10:00:00Z"],
    ],
  });

  await bot.db.prisma.warningSign.createMany({
    data: [
      {
        accountId: globex.id,
        kind: "contact_change",
        observedOn: day("2026-10-02"),
        details: "Paula replaces Old Buyer",
        createdBy: "U0OWNER",
      },
      {
        accountId: globex.id,
        kind: "competitor_activity",
        observedOn: day("2026-11-18"),
        details: "Offered 10% lower prices\nto purchasing",
        competitorName: "Rival GmbH",
        competitorMoves: ["price"],
        createdBy: "U0OWNER",
      },
      // Exactly 90 days ago: still in.
      {
        accountId: globex.id,
        kind: "strategy_change",
        observedOn: day("2026-08-25"),
        details: "Building their own assembly line",
        createdBy: "U0OWNER",
      },
      // 95 days ago: out of the window.
      {
        accountId: globex.id,
        kind: "payment_problem",
        observedOn: day("2026-08-20"),
        details: "Paid 40 days late",
        createdBy: "U0OWNER",
      },
    ],
  });
});

afterAll(async () => {
  await bot?.stop();
});

beforeEach(() => {
  bot.fake.reset();
});

describe("the account card's records", () => {
  it("shows the open complaints with age and overdue mark, most urgent first, and not the confirmed one", async () => {
    const { text } = await customer("globex");
    expect(text).toContain("*Open complaints* (3)");
    const overdue =
      "• *High* · Delivery · Investigating · 13 days old · :warning: *10 days overdue* (target 3 days) · <@U0QA>\n" +
      "      Late deliveries on three orders";
    const reopened =
      "• *Medium* · Product quality · Reopened · 3 days since reopened · target 7 days · <@U0QA>\n" +
      "      Scratched housings";
    const resolved =
      "• *Critical* · Service · Resolved, awaiting customer confirmation · 22 days old · <@U0OWNER>\n" +
      "      Hotline unreachable for &lt;2&gt; days";
    expect(text).toContain(overdue);
    expect(text).toContain(reopened);
    expect(text).toContain(resolved);
    expect(text.indexOf(overdue)).toBeLessThan(text.indexOf(reopened));
    expect(text.indexOf(reopened)).toBeLessThan(text.indexOf(resolved));
    expect(text).not.toContain("Invoice typo");
    expect(bot.fake.rejected).toEqual([]);
  });

  it("shows the signs of the last 90 days, newest first, with competitor and details on one line", async () => {
    const { text } = await customer("globex");
    const lines = [
      "*Warning signs, last 90 days* (3)",
      "• 2026-11-18 · *Competitor activity* · Rival GmbH — Offered 10% lower prices to purchasing",
      "• 2026-10-02 · *Purchasing / decision-maker change* — Paula replaces Old Buyer",
      "• 2026-08-25 · *Customer strategy change* — Building their own assembly line",
    ];
    expect(text).toContain(lines.join("\n"));
    expect(text).not.toContain("Paid 40 days late");
  });

  it("shows the loyalty trend and the last three interactions with who took part", async () => {
    const { text } = await customer("globex");
    const summary = `Sent the catalogue ${"very ".repeat(60)}long`;
    expect(text).toContain(
      [
        // Newest first: the 2026-11-20 read against the one before it.
        "*Loyalty* Average ← Loyal ← Loyal ← Disloyal (worsening)",
        "*Latest interactions*",
        "• 2026-11-20 · *Visit* · <@U0OWNER>, <@U0REP2> with Paula Purchase, Jonas Decider — " +
          "Discussed Q1 volumes they want &lt;better&gt; prices &amp; faster delivery",
        "• 2026-10-15 · *Call* · <@U0OWNER> with Old Buyer — Old buyer hands over to Paula",
        // Cut to 150 characters for display.
        `• 2026-09-01 · *Email* · <@U0REP2> — ${summary.slice(0, 149)}…`,
      ].join("\n"),
    );
    expect(text).not.toContain("Kick-off");
    expect(text).not.toContain("Intro call");
  });

  it("puts the records between the figures and the contacts, and keeps the record buttons", async () => {
    const { blocks, text } = await customer("globex");
    expect(text.indexOf("*Orders* none recorded yet")).toBeLessThan(text.indexOf("*Open complaints*"));
    expect(text.indexOf("*Latest interactions*")).toBeLessThan(text.indexOf("*Contacts*"));
    const actions = blocks.filter((b) => b.type === "actions");
    const buttons = actions.flatMap((b) => (b.elements ?? []) as { action_id: string }[]);
    expect(buttons.map((b) => b.action_id)).toEqual([
      "card_log_interaction",
      "card_complaint",
      "card_sign",
      "card_classify",
      "card_share",
      "exit_start",
    ]);
  });

  it("shows no record sections for an account with no records", async () => {
    const { text, blocks } = await customer("quiet meadow");
    expect(text).toContain("Quiet Meadow Farms");
    for (const heading of ["Open complaints", "Warning signs", "Loyalty", "Latest interactions"]) {
      expect(text).not.toContain(heading);
    }
    // Header, fields, ERP id, divider, order rhythm, actions: no empty section or stray divider.
    expect(blocks.map((b) => b.type)).toEqual([
      "header",
      "section",
      "context",
      "divider",
      "section",
      "actions",
    ]);
  });

  it("stays within Slack's limits with many long records, and says how many are not shown", async () => {
    const big = await bot.db.prisma.account.create({
      data: { externalId: "B-1", name: "Bigco Holdings", ownerSlackId: "U0OWNER" },
    });
    const contacts = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        bot.db.prisma.contact.create({
          data: { accountId: big.id, name: `${"&<>".repeat(40)} Contact ${i}`, role: "user" },
        }),
      ),
    );
    const long = `${"<&>".repeat(1500)} 😀${"長".repeat(2000)}`;
    await bot.db.prisma.interaction.createMany({
      data: Array.from({ length: 40 }, (_, i) => ({
        accountId: big.id,
        kind: "visit" as const,
        occurredOn: day(`2026-10-${String((i % 28) + 1).padStart(2, "0")}`),
        ourParticipants: Array.from({ length: 30 }, (_, n) => `U0REP${n}`),
        contactIds: contacts.map((c) => c.id),
        summary: long,
        loyalty: "loyal" as const,
        createdBy: "U0OWNER",
      })),
    });
    await bot.db.prisma.complaint.createMany({
      data: Array.from({ length: 60 }, (_, i) => ({
        accountId: big.id,
        category: "other" as const,
        severity: "low" as const,
        description: long,
        ownerSlackId: "U0QA",
        createdBy: "U0OWNER",
        createdAt: new Date(Date.UTC(2026, 9, 1 + (i % 30))),
      })),
    });
    await bot.db.prisma.warningSign.createMany({
      data: Array.from({ length: 30 }, (_, i) => ({
        accountId: big.id,
        kind: "competitor_activity" as const,
        observedOn: day(`2026-11-${String((i % 20) + 1).padStart(2, "0")}`),
        details: long,
        competitorName: long,
        createdBy: "U0OWNER",
      })),
    });

    const { call, blocks, text } = await customer("bigco");
    expect(call.error).toBeUndefined();
    expect(bot.fake.rejected).toEqual([]);
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const block of blocks) {
      const sectionText = (block.text as { text?: string } | undefined)?.text ?? "";
      expect(sectionText.length).toBeLessThanOrEqual(3000);
    }
    expect(text).toContain("*Open complaints* (60)");
    expect(text).toMatch(/…and \d+ more open complaints/);
    expect(text).toContain("*Warning signs, last 90 days* (30)");
    expect(text).toMatch(/…and \d+ more signs/);
    // Whatever was cut, no escape or mention is left broken.
    expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
    expect(text).not.toMatch(/<(?![@#])/);
    expect(text).toContain("<@U0REP0>, <@U0REP1>, <@U0REP2>, <@U0REP3>, <@U0REP4> +25 with ");
  });
});
