// The retrospective's Block Kit builders: a long history stays within Slack's limits (cut with
// "…and N more", never mid-mention), user text is escaped, the summary form and the lessons list.
import { describe, expect, it } from "vitest";
import { exitTaskNumbers } from "../../../src/domain/exit.ts";
import type { ExitCaseDetails } from "../../../src/services/exit/get-exit-case.ts";
import type { RetroSummaryForm } from "../../../src/services/retro/draft-retro-summary.ts";
import type { RetroCaseFile } from "../../../src/services/retro/get-retro-case-file.ts";
import type { SavedRetroSummary } from "../../../src/services/retro/save-retro-summary.ts";
import { ids } from "../../../src/slack/ids.ts";
import {
  buildCorrectiveActionReminder,
  markActionDoneInReminder,
} from "../../../src/slack/views/corrective-action-reminder.ts";
import { buildLessonsResult, type LessonResult } from "../../../src/slack/views/lessons.ts";
import { buildRetroCaseFile, buildRetroPrompts } from "../../../src/slack/views/retro-case-file.ts";
import {
  buildRetroSummaryLoading,
  buildRetroSummaryModal,
  retroErrorBlock,
  retroInput,
} from "../../../src/slack/views/retro-summary-modal.ts";
import { buildRetroSummarySaved } from "../../../src/slack/views/retro-thread.ts";
import { blockViolations, viewViolations } from "../../support/block-kit-rules.ts";
import { type SlackBlock, textOf } from "../../support/blocks.ts";

const CASE_ID = "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
// Text that must be escaped, repeated to far beyond what a section holds.
const NASTY = "<!channel> Tom & <@U999> said the price <was> too high. ";
const long = (n: number) => NASTY.repeat(Math.ceil(n / NASTY.length)).slice(0, n);

function exitCase(overrides: Partial<ExitCaseDetails> = {}): ExitCaseDetails {
  return {
    id: CASE_ID,
    status: "open",
    reason: "price_too_high",
    surfaceReason: long(3000),
    deepReason: null,
    competitorWon: long(300),
    expectedEndOn: "2026-12-31",
    startedBy: "U0BOSS",
    startedOn: "2026-11-01",
    closedOn: null,
    conversationOutcome: "leaving_confirmed",
    customerSaid: long(3000),
    customerSuggested: long(3000),
    companyCommunication: null,
    currency: "USD",
    losses: {
      receivablesOutstanding: 1_000_000n,
      receivablesRecovered: 250_000n,
      compensationClaimed: 200_000n,
      compensationAgreed: 100_000n,
      goodsReturned: 50_000n,
      marketGapLoss: 300_000n,
    },
    account: {
      id: "a0000000-0000-4000-8000-000000000001",
      externalId: "C-1",
      name: `ACME ${long(300)}`,
      channelId: "C0ACME",
      ownerSlackId: "U0OWNER",
      status: "leaving",
      segment: "Retail",
      region: "North",
    },
    tasks: exitTaskNumbers.map((number) => ({
      id: `t000000${number}-0000-4000-8000-000000000001`,
      number,
      ownerSlackId: "U0OWNER",
      dueOn: "2026-11-30",
      status: number === 6 ? "not_needed" : "todo",
      notNeededReason: number === 6 ? long(2000) : null,
      notes: null,
    })),
    outreach: [],
    message: { channelId: "C0ACME", ts: "1700000000.000100" },
    retro: null,
    lessons: 0,
    correctiveActions: { open: 0, done: 0 },
    ...overrides,
  };
}

function longHistory(): RetroCaseFile {
  const months = Array.from({ length: 24 }, (_, i) => {
    const month = `${2024 + Math.floor((11 + i) / 12)}-${String(((11 + i) % 12) + 1).padStart(2, "0")}`;
    return { month, orderCount: 40, amount: 123_456_789_012n, profit: i % 5 === 0 ? null : -9_876_543_210n };
  });
  const many = <T>(make: (i: number) => T) => Array.from({ length: 40 }, (_, i) => make(i));
  return {
    exitCase: exitCase(),
    profitShown: true,
    timeline: {
      currency: "USD",
      months,
      trend: {
        months: 6,
        recentAmount: 1n,
        earlierAmount: 2n,
        recentProfit: null,
        earlierProfit: null,
      },
      otherCurrencyOrders: 3,
    },
    since: "2024-12-01",
    signs: {
      items: many((i) => ({
        observedOn: "2026-10-01",
        kind: "competitor_activity" as const,
        details: long(3000),
        competitorName: `Rival ${i} ${long(200)}`,
      })),
      total: 512,
    },
    complaints: {
      items: many((i) => ({
        raisedOn: "2026-09-01",
        category: "delivery" as const,
        severity: "high" as const,
        status: "investigating" as const,
        description: long(3000),
        duration: { kind: "open" as const, days: 40 + i, targetDays: 3, overdueDays: 37 + i },
      })),
      total: 77,
    },
    warnings: {
      items: many((i) => ({
        asOf: "2026-09-15",
        band: "critical" as const,
        risk: 80 + (i % 20),
        postedOn: "2026-09-15",
        acknowledgedBy: i % 2 === 0 ? "U0OWNER" : null,
        acknowledgedOn: i % 2 === 0 ? "2026-09-20" : null,
        acknowledgedAfterDays: i % 2 === 0 ? 5 : null,
        snoozedBy: "U0OWNER",
        snoozedUntil: "2026-10-15",
        escalatedOn: "2026-09-19",
      })),
      total: 40,
    },
    actionsTaken: {
      since: "2026-09-15",
      items: many(() => ({
        occurredOn: "2026-09-16",
        kind: "visit" as const,
        ourParticipants: ["U0OWNER", "U0BOSS", "U0THREE"],
        summary: long(3000),
        loyalty: "disloyal" as const,
      })),
      total: 41,
    },
  };
}

const sectionTexts = (blocks: readonly SlackBlock[]) =>
  blocks.flatMap((block) => {
    const text = (block as { text?: { text?: string } }).text?.text;
    return typeof text === "string" ? [text] : [];
  });

describe("the case file", () => {
  it("fits a long history in Slack's limits: every section under 3,000 characters, cut with the full counts", () => {
    const messages = buildRetroCaseFile(longHistory());
    expect(messages).toHaveLength(2);
    for (const message of messages) {
      expect(blockViolations(message.blocks)).toEqual([]);
      expect(message.blocks.length).toBeLessThanOrEqual(50);
      for (const text of sectionTexts(message.blocks as SlackBlock[]))
        expect(text.length).toBeLessThanOrEqual(3000);
    }
    const [top, records] = messages.map((message) => textOf(message.blocks as SlackBlock[]));
    // Every one of the 24 months is shown, and the money is exact.
    expect(top).toContain("Orders and profit, Dec 2024 – Nov 2026");
    expect(top).toContain("`Nov 2026` 40 orders · $1,234,567,890.12 · profit -$98,765,432.10");
    expect(top).toContain("profit unknown");
    expect(top).toContain("3 orders in other currencies are not counted");
    expect(top).toContain("Net loss: $10,000.00"); // 7,500 unrecovered + 500 goods + 3,000 gap − 1,000 agreed
    expect(top).toContain("*Reason:* Price too high (within our control)");
    // Signs: 512 in all, far fewer shown; the more-line counts the rest, records not loaded included.
    const signsShown = (records?.match(/Competitor activity/g) ?? []).length;
    expect(signsShown).toBeGreaterThan(0);
    expect(records).toContain(`_…and ${512 - signsShown} more_`);
    expect(records).toContain("*never acknowledged*");
    expect(records).toContain("still open after 40 days* (target 3, 37 days overdue)");
    // Escaped: no mention or broadcast the users typed reaches Slack as one.
    for (const text of [top, records]) {
      expect(text).not.toContain("<!channel>");
      expect(text).not.toContain("<@U999>");
      expect(text).toContain("&lt;!channel&gt;");
    }
  });

  it("leaves profit out where the retro channel may not read it", () => {
    const file = longHistory();
    const shown = textOf(buildRetroCaseFile(file)[0]?.blocks as SlackBlock[]);
    expect(shown).toContain("*Orders and profit, ");
    expect(shown).toContain(" · profit ");
    const hidden = textOf(buildRetroCaseFile({ ...file, profitShown: false })[0]?.blocks as SlackBlock[]);
    expect(hidden).toContain("*Orders, ");
    expect(hidden).not.toMatch(/profit/i);
  });

  it("says what is missing: no orders, no losses, no warnings before the customer left", () => {
    const file = longHistory();
    const [top, records] = buildRetroCaseFile({
      ...file,
      exitCase: exitCase({
        losses: {
          receivablesOutstanding: null,
          receivablesRecovered: null,
          compensationClaimed: null,
          compensationAgreed: null,
          goodsReturned: null,
          marketGapLoss: null,
        },
      }),
      timeline: null,
      signs: { items: [], total: 0 },
      warnings: { items: [], total: 0 },
      actionsTaken: { since: null, items: [], total: 0 },
    }).map((message) => textOf(message.blocks as SlackBlock[]));
    expect(top).toContain("No orders in the last two years");
    expect(top).toContain("*Losses* (task 4)\n_Not recorded._");
    expect(records).toContain("*Warning signs since 2024-12-01*\n_None recorded._");
    expect(records).toContain("No churn warning was raised before the customer left.");
  });

  it("asks the four questions with a Summarize button carrying the case id", () => {
    const prompts = buildRetroPrompts(CASE_ID);
    expect(blockViolations(prompts.blocks)).toEqual([]);
    const text = textOf(prompts.blocks as SlackBlock[]);
    for (const question of [
      "What went well?",
      "What could we have done",
      "The deep reason",
      "Lessons for every rep",
    ])
      expect(text).toContain(question);
    expect(prompts.blocks.at(-1)).toMatchObject({
      type: "actions",
      elements: [{ action_id: ids.action.retroSummarize, value: CASE_ID, text: { text: "Summarize" } }],
    });
  });
});

describe("the summary modal", () => {
  const form = (overrides: Partial<RetroSummaryForm> = {}): RetroSummaryForm => ({
    caseId: CASE_ID,
    accountName: "ACME <Corp>",
    today: "2026-11-23",
    draft: {
      deepReason: "x".repeat(5000),
      reason: "poor_service",
      lessons: ["Visit new buyers", "Escalate late complaints"],
      actions: [{ description: "Playbook step", ownerSlackId: "U0001", dueOn: "2026-12-07" }],
    },
    prefilled: true,
    note: "Prefilled by the AI from the thread: check every line before saving.",
    previous: { lessons: 3, actions: 1, summarizedOn: "2026-11-20" },
    ...overrides,
  });

  it("opens as Summarizing… and becomes a valid form with the AI's values filled in", () => {
    const loading = buildRetroSummaryLoading(CASE_ID);
    expect(viewViolations(loading)).toEqual([]);
    expect(textOf(loading.blocks as SlackBlock[])).toContain("Summarizing…");
    const view = buildRetroSummaryModal(form());
    expect(viewViolations(view)).toEqual([]);
    expect(JSON.parse(view.private_metadata ?? "")).toEqual({ caseId: CASE_ID });
    const blocks = view.blocks as (SlackBlock & { block_id?: string; element?: Record<string, unknown> })[];
    const element = (id: string) => blocks.find((block) => block.block_id === id)?.element ?? {};
    expect(String(element(retroInput.deepReason).initial_value).length).toBe(2000);
    expect(element(retroInput.reason).initial_option).toMatchObject({ value: "poor_service" });
    expect(element(retroInput.lesson(1)).initial_value).toBe("Escalate late complaints");
    expect(element(retroInput.lesson(2)).initial_value).toBeUndefined();
    expect(element(retroInput.actionOwner(0)).initial_user).toBe("U0001");
    expect(element(retroInput.actionDue(0)).initial_date).toBe("2026-12-07");
    expect(element(retroInput.actionDue(1)).initial_date).toBeUndefined();
    const text = textOf(view.blocks as SlackBlock[]);
    expect(text).toContain("ACME &lt;Corp&gt;");
    expect(text).toContain(
      "A summary was saved on 2026-11-20 (3 lessons, 1 corrective action): what you save now is added to it.",
    );
  });

  it("maps every error of the domain to its block", () => {
    expect(retroErrorBlock("lesson.3")).toBe(retroInput.lesson(3));
    expect(retroErrorBlock("action.2.owner")).toBe(retroInput.actionOwner(2));
    expect(retroErrorBlock("action.2.dueOn")).toBe(retroInput.actionDue(2));
    expect(retroErrorBlock("action.4.description")).toBe(retroInput.actionDescription(4));
    expect(retroErrorBlock("deepReason")).toBe(retroInput.deepReason);
  });
});

describe("the saved summary, reminders and the lessons list", () => {
  it("posts five 1,000-character lessons whole and escapes the actions", () => {
    const saved: SavedRetroSummary = {
      caseId: CASE_ID,
      accountName: "ACME",
      deepReason: long(2000),
      reason: "poor_service",
      lessons: Array.from({ length: 5 }, (_, i) => `${i} ${long(998)}`),
      actions: Array.from({ length: 5 }, (_, i) => ({
        id: `a${i}`,
        description: long(500),
        ownerSlackId: "U0001",
        dueOn: "2026-12-01",
      })),
      taskUpdates: [],
      caseLost: true,
      retro: null,
    };
    const message = buildRetroSummarySaved(saved, "U0BOSS");
    expect(blockViolations(message.blocks)).toEqual([]);
    const text = textOf(message.blocks as SlackBlock[]);
    expect(text).toContain(`1. 0 ${long(998)}`);
    expect(text).toContain("is recorded as lost");
  });

  it("lists up to 20 actions due in a reminder, most overdue first, and shows one done in place", () => {
    const items = Array.from({ length: 25 }, (_, i) => ({
      id: `00000000-0000-4000-8000-0000000000${String(i).padStart(2, "0")}`,
      accountName: "ACME",
      description: `Action ${i}`,
      dueOn: "2026-11-20",
      daysLate: i,
    }));
    const reminder = buildCorrectiveActionReminder(items);
    expect(blockViolations(reminder.blocks)).toEqual([]);
    expect(reminder.blocks).toHaveLength(21);
    expect(textOf(reminder.blocks as SlackBlock[]).indexOf("Action 24")).toBeLessThan(
      textOf(reminder.blocks as SlackBlock[]).indexOf("Action 23"),
    );
    const done = markActionDoneInReminder(reminder.blocks, {
      id: items[24]?.id ?? "",
      accountName: "ACME",
      description: "Action 24",
      dueOn: "2026-11-20",
      doneBy: "U0001",
      doneOn: "2026-11-23",
    });
    expect(done).not.toBeNull();
    expect(textOf((done ?? []) as SlackBlock[])).toContain("~Action 24~\nDone by <@U0001> on 2026-11-23");
    expect(JSON.stringify(done)).not.toContain(`"value":"${items[24]?.id}"`);
  });

  it("shows ten lessons with their links and says how many more there are", () => {
    const hits: LessonResult[] = Array.from({ length: 10 }, (_, i) => ({
      id: `l${i}`,
      text: `Lesson ${i} ${long(990)}`,
      createdOn: "2026-11-23",
      accountName: "ACME",
      segment: "Retail",
      reason: "price_too_high",
      caseId: CASE_ID,
      retro: { channelId: "CRETRO", ts: "1.2" },
      caseMessage: null,
      link: { url: "https://x.slack.com/archives/CRETRO/p12", to: "retrospective" },
    }));
    const message = buildLessonsResult("/customer", ["price"], hits, 14);
    expect(blockViolations(message.blocks)).toEqual([]);
    const text = textOf(message.blocks as SlackBlock[]);
    expect(text).toContain("Lessons matching “price”* — 14 lessons");
    expect(text).toContain(
      "*ACME* · Retail · Price too high · 2026-11-23 · <https://x.slack.com/archives/CRETRO/p12|the retrospective>",
    );
    expect(text).toContain("…and 4 more — add words to narrow");
    expect(textOf(buildLessonsResult("/customer", ["zebra"], [], 0).blocks as SlackBlock[])).toContain(
      "No lessons match “zebra”",
    );
  });
});
