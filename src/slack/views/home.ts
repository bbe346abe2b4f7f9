// Block Kit for the App Home tab: a rep's accounts, open complaints, follow-ups due this week and recent
// signs, one page each within Slack's 100-block limit; a welcome with real guidance when there is nothing.
import type { types } from "@slack/bolt";
import { z } from "zod";
import {
  categoryLabel,
  statusLabel as complaintStatusLabel,
  severityLabel,
} from "../../domain/complaints.ts";
import {
  firstPages,
  HOME_PAGE_SIZE,
  HOME_SIGN_DAYS,
  type HomeAccount,
  type HomeComplaint,
  type HomeData,
  type HomeFollowUp,
  type HomePage,
  type HomePages,
  type HomeSection,
  type HomeSign,
  homeSections,
  isEmptyHome,
} from "../../domain/home.ts";
import { signKindLabel } from "../../domain/signs.ts";
import { ids } from "../ids.ts";
import { accountStatusLabel, complaintTiming } from "./account-card.ts";
import { classSummary } from "./classification.ts";
import { keyCareHomeLine } from "./key-care.ts";
import { escapeMrkdwn, linesWithin, oneLine, plural } from "./mrkdwn.ts";

type KnownBlock = types.KnownBlock;

/**
 * Block budget. Slack refuses a Home view of more than 100 blocks, so every section shows one page:
 * a divider, a heading, its rows and one pager button. Rows are one block each (a follow-up carries its
 * Done button; complaints and signs are two lines), except accounts, packed ACCOUNTS_PER_BLOCK lines
 * to a section: each account line is at most ~500 characters (name cut to 60, escaped, and its class), so five stay
 * far below the 3000-character section limit.
 */
const TOP_BLOCKS = 2;
/** The key accounts' cadence section: a divider and one section of lines. */
const KEY_CARE_BLOCKS = 2;
const SECTION_OVERHEAD = 3;
const ACCOUNTS_PER_BLOCK = 5;

function rowBlocks(section: HomeSection, rows: number): number {
  return section === "accounts" ? Math.ceil(rows / ACCOUNTS_PER_BLOCK) : rows;
}

/** The most blocks a Home view can have, whatever the data: 48 with the page sizes of HOME_PAGE_SIZE. */
export const HOME_BLOCK_BUDGET =
  TOP_BLOCKS +
  KEY_CARE_BLOCKS +
  homeSections.reduce(
    (sum, section) => sum + SECTION_OVERHEAD + rowBlocks(section, HOME_PAGE_SIZE[section]),
    0,
  );

/** Which page of each section the published view shows: kept in the view so paging one keeps the others. */
export const ZHomeMetadata = z.object({
  pages: z.object({
    accounts: z.number().int().min(0).max(100_000).catch(0),
    complaints: z.number().int().min(0).max(100_000).catch(0),
    followUps: z.number().int().min(0).max(100_000).catch(0),
    signs: z.number().int().min(0).max(100_000).catch(0),
  }),
});

/** The "Show more" button's value. */
export const ZHomePageButton = z.object({
  section: z.enum(homeSections),
  page: z.number().int().min(0).max(100_000),
});
export type HomePageButton = z.infer<typeof ZHomePageButton>;

/** The pages a published Home view shows; a missing or unreadable metadata means first pages. */
export function parseHomeMetadata(privateMetadata: string | undefined): HomePages {
  try {
    return ZHomeMetadata.parse(JSON.parse(privateMetadata ?? "")).pages;
  } catch {
    return { ...firstPages };
  }
}

const NAME_MAX = 60;

function accountName(name: string): string {
  return `*${escapeMrkdwn(oneLine(name, NAME_MAX))}*`;
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

function weekdayOf(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString("en-US", { weekday: "short", timeZone: "UTC" });
}

function sectionText(text: string, accessory?: types.Button): KnownBlock {
  return { type: "section", text: { type: "mrkdwn", text }, ...(accessory ? { accessory } : {}) };
}

/** "*My accounts* (500) · 21–40 · longest without contact first" */
function heading(title: string, page: HomePage<unknown>, note: string): string {
  const from = page.page * page.pageSize + 1;
  const to = page.page * page.pageSize + page.items.length;
  const range = page.total > page.pageSize ? ` · showing ${count(from)}–${count(to)}` : "";
  return `*${title}* (${count(page.total)})${range}${note ? ` · ${note}` : ""}`;
}

/** One button: the next page while there is one, back to the first from the last. */
function pager(section: HomeSection, page: HomePage<unknown>): KnownBlock[] {
  const hasNext = (page.page + 1) * page.pageSize < page.total;
  if (!hasNext && page.page === 0) return [];
  const value: HomePageButton = { section, page: hasNext ? page.page + 1 : 0 };
  return [
    {
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: ids.action.homePage,
          text: { type: "plain_text", text: hasNext ? "Show more" : "Back to the first page" },
          value: JSON.stringify(value),
        },
      ],
    },
  ];
}

function accountLine(account: HomeAccount): string {
  const contact =
    account.lastContactOn === null
      ? "never contacted"
      : `last contact ${account.lastContactOn}` +
        (account.daysSinceContact !== null && account.daysSinceContact > 0
          ? `, ${plural(account.daysSinceContact, "day")} ago`
          : account.daysSinceContact === 0
            ? ", today"
            : "");
  const classification = account.classification ? ` · ${classSummary(account.classification)}` : "";
  return `• ${accountName(account.name)} · ${accountStatusLabel[account.status]} · ${contact}${classification}`;
}

function accountBlocks(page: HomePage<HomeAccount>): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  for (let i = 0; i < page.items.length; i += ACCOUNTS_PER_BLOCK) {
    blocks.push(
      sectionText(
        page.items
          .slice(i, i + ACCOUNTS_PER_BLOCK)
          .map(accountLine)
          .join("\n"),
      ),
    );
  }
  return blocks;
}

function complaintBlock(complaint: HomeComplaint): KnownBlock {
  return sectionText(
    `${accountName(complaint.accountName)} · *${severityLabel[complaint.severity]}* · ${categoryLabel[complaint.category]}` +
      ` · ${complaintStatusLabel[complaint.status]} · ${complaintTiming(complaint)}` +
      `\n${escapeMrkdwn(oneLine(complaint.description, 150))}`,
  );
}

function dueText(followUp: HomeFollowUp): string {
  if (followUp.daysLate > 0) {
    return `:warning: *${plural(followUp.daysLate, "day")} overdue* (due ${followUp.dueOn})`;
  }
  if (followUp.daysLate === 0) return `*Due today* (${followUp.dueOn})`;
  return `Due ${weekdayOf(followUp.dueOn)} ${followUp.dueOn}`;
}

function followUpBlock(followUp: HomeFollowUp): KnownBlock {
  return sectionText(
    `${accountName(followUp.accountName)} — ${escapeMrkdwn(oneLine(followUp.description, 200))}\n${dueText(followUp)}`,
    {
      type: "button",
      action_id: ids.action.followUpDone,
      text: { type: "plain_text", text: "Done" },
      value: followUp.id,
    },
  );
}

function signBlock(sign: HomeSign): KnownBlock {
  const competitor = sign.competitorName ? ` · ${escapeMrkdwn(oneLine(sign.competitorName, 60))}` : "";
  const details = escapeMrkdwn(oneLine(sign.details, 200));
  return sectionText(
    `${accountName(sign.accountName)} · ${sign.observedOn} · *${signKindLabel[sign.kind]}*${competitor}` +
      (details ? `\n${details}` : ""),
  );
}

/** A section with rows: none at all when it has none (no empty placeholders). */
function listSection<T>(
  section: HomeSection,
  page: HomePage<T>,
  head: string,
  rows: (page: HomePage<T>) => KnownBlock[],
): KnownBlock[] {
  if (page.total === 0 || page.items.length === 0) return [];
  return [{ type: "divider" }, sectionText(head), ...rows(page), ...pager(section, page)];
}

function summary(data: HomeData): string {
  const parts: string[] = [];
  if (data.accounts.total > 0) parts.push(plural(data.accounts.total, "account"));
  if (data.complaints.total > 0) {
    parts.push(
      `${plural(data.complaints.total, "open complaint")}${data.complaints.overdue > 0 ? ` (${count(data.complaints.overdue)} overdue)` : ""}`,
    );
  }
  if (data.followUps.total > 0) {
    parts.push(
      `${plural(data.followUps.total, "follow-up")} due by ${weekdayOf(data.weekEndsOn)} ${data.weekEndsOn}` +
        (data.followUps.overdue > 0 ? ` (${count(data.followUps.overdue)} overdue)` : ""),
    );
  }
  if (data.signs.total > 0)
    parts.push(`${plural(data.signs.total, "warning sign")} in ${HOME_SIGN_DAYS} days`);
  return `${parts.join("  ·  ")}\nAs of ${data.today}. Type \`/customer <name>\` for an account's card.`;
}

function welcome(): KnownBlock[] {
  return [
    { type: "header", text: { type: "plain_text", text: "Welcome to Churnwatch", emoji: false } },
    sectionText(
      "Churnwatch helps you keep your customers: it sets each account's orders against its own past and keeps " +
        "track of contacts, complaints and warning signs.\n\n" +
        "• `/customer <name>` shows an account's card (name, alias or ERP id; typos are fine).\n" +
        "• `/customer log <name>`, `/customer complaint <name>` and `/customer sign <name>` record an " +
        "interaction, a complaint or a warning sign.\n" +
        "• On any message, *More actions* (⋯) → *Log to customer* records it for an account.",
    ),
    {
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text:
            "This tab lists the accounts you own, your open complaints, your follow-ups due this week and recent " +
            "signs on your accounts. Nothing is assigned to you yet: account owners come from the accounts import " +
            "(`owner_slack_id`).",
        },
      ],
    },
  ];
}

/** §7 the user's key accounts: overdue contact first, with key dates ahead; the rest counted. */
function keyCareSection(data: HomeData): KnownBlock[] {
  const keyCare = data.keyCare;
  if (!keyCare || keyCare.items.length === 0) return [];
  const head =
    `*My key accounts: contact and key dates* (${count(keyCare.total)})` +
    (keyCare.overdue > 0 ? `  ·  :warning: ${count(keyCare.overdue)} overdue` : "");
  return [
    { type: "divider" },
    sectionText(
      linesWithin(
        head,
        keyCare.items.map(keyCareHomeLine),
        keyCare.total - keyCare.items.length,
        (n) => `…and ${plural(n, "more key account")}`,
      ),
    ),
  ];
}

/** The Home view for one user; `private_metadata` remembers the pages shown. */
export function buildHome(data: HomeData): types.HomeView {
  const pages: HomePages = {
    accounts: data.accounts.page,
    complaints: data.complaints.page,
    followUps: data.followUps.page,
    signs: data.signs.page,
  };
  const blocks: KnownBlock[] = isEmptyHome(data)
    ? welcome()
    : [
        { type: "header", text: { type: "plain_text", text: "Your customers", emoji: false } },
        { type: "context", elements: [{ type: "mrkdwn", text: summary(data) }] },
        ...keyCareSection(data),
        ...listSection(
          "complaints",
          data.complaints,
          heading("My open complaints", data.complaints, "most urgent first"),
          (page) => page.items.map(complaintBlock),
        ),
        ...listSection(
          "followUps",
          data.followUps,
          heading("My follow-ups due this week", data.followUps, `overdue first, up to ${data.weekEndsOn}`),
          (page) => page.items.map(followUpBlock),
        ),
        ...listSection(
          "signs",
          data.signs,
          heading(`Warning signs on my accounts, last ${HOME_SIGN_DAYS} days`, data.signs, "newest first"),
          (page) => page.items.map(signBlock),
        ),
        ...listSection(
          "accounts",
          data.accounts,
          heading("My accounts", data.accounts, "longest without contact first"),
          accountBlocks,
        ),
      ];
  return { type: "home", blocks, private_metadata: JSON.stringify({ pages }) };
}

/** Shown instead when the Home could not be loaded: the reason, never a stack. */
export function buildHomeError(message: string): types.HomeView {
  return {
    type: "home",
    blocks: [
      sectionText(`Churnwatch could not load your Home tab. ${escapeMrkdwn(message)}`),
      { type: "context", elements: [{ type: "mrkdwn", text: "Open the tab again in a moment to retry." }] },
    ],
  };
}
