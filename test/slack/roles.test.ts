// §7 roles end to end: who sees margin and profit on the card, the churn report and channel warnings, with
// one configured manager; and reps who may see their own accounts' margins (REPS_SEE_MARGIN).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSilentLogger } from "../../src/logger.ts";
import { classifyAllAccounts } from "../../src/services/classification/classify-accounts.ts";
import { getExitBriefFacts } from "../../src/services/exit/exit-brief.ts";
import { getExitCase } from "../../src/services/exit/get-exit-case.ts";
import { createRoles } from "../../src/services/roles.ts";
import { getWarning } from "../../src/services/warnings/get-warning.ts";
import { type SlackBlock, textOf } from "../support/blocks.ts";
import { SIGNING_SECRET, startTestBot, type TestBot } from "../support/bot.ts";
import { createTestDatabase, type TestDatabase } from "../support/db.ts";
import { testDeps } from "../support/deps.ts";
import { startCase } from "../support/exit-cases.ts";
import { postSlashCommand } from "../support/slack-requests.ts";

const NOW = new Date("2026-11-23T12:00:00Z");
const MANAGER = "UMANAGER";
const ACME_MARGIN = "margin 21.4% vs 25.0% in the previous 90 days";
const BETA_MARGIN = "margin 11.1% vs 19.0% in the previous 90 days";
let db: TestDatabase;
let strict: TestBot;
let open: TestBot;
let warningId: string;
let betaId: string;

async function command(bot: TestBot, userId: string, text: string): Promise<string> {
  const responseUrl = bot.fake.responseUrl();
  const res = await postSlashCommand(bot.url, SIGNING_SECRET, {
    command: "/customer",
    text,
    user_id: userId,
    response_url: responseUrl,
  });
  expect(res.status).toBe(200);
  const call = await bot.fake.waitFor(
    "response_url",
    (c) => c.responseId !== undefined && responseUrl.endsWith(c.responseId),
  );
  expect(call.error).toBeUndefined();
  return textOf((call.body.blocks ?? []) as SlackBlock[]);
}

async function seedAccount(externalId: string, name: string, owner: string, marginText: string) {
  const { prisma } = db;
  const account = await prisma.account.create({ data: { externalId, name, ownerSlackId: owner } });
  const day = (iso: string) => new Date(`${iso}T10:00:00Z`);
  await prisma.order.createMany({
    data: [
      { orderedAt: day("2026-07-10"), amount: 40000n, cost: 30000n },
      { orderedAt: day("2026-10-10"), amount: 30000n, cost: 23600n },
    ].map((order, n) => ({
      ...order,
      accountId: account.id,
      externalId: `${externalId}-O${n}`,
      quantity: 1,
      currency: "EUR",
    })),
  });
  const scan = await prisma.riskScan.create({ data: { asOf: new Date("2026-11-22") } });
  const reasons = [
    { code: "margin_decline", text: marginText, strength: 0.6, strong: false },
    {
      code: "order_value_decline",
      text: "order value −25% vs previous 90 days",
      strength: 0.5,
      strong: false,
    },
  ];
  await prisma.riskAssessment.create({
    data: {
      scanId: scan.id,
      accountId: account.id,
      asOf: new Date("2026-11-22"),
      risk: 80,
      band: "critical",
      verdict: "fight_hard",
      reasons,
    },
  });
  return { account, reasons };
}

beforeAll(async () => {
  db = await createTestDatabase();
  const { account, reasons } = await seedAccount("C-1001", "ACME Corporation", "UREP1", ACME_MARGIN);
  betaId = (await seedAccount("C-2001", "Beta Industries", "UREP2", BETA_MARGIN)).account.id;
  const warning = await db.prisma.churnWarning.create({
    data: {
      accountId: account.id,
      asOf: new Date("2026-11-22"),
      risk: 80,
      band: "critical",
      previousBand: "medium",
      newSignalCodes: [],
      reasons,
      verdict: "fight_hard",
      verdictHeadline:
        "Fight hard: the expected profit of the next 12 months (€9,400.00) is above the retention cost (€2,000.00).",
      actions: [],
      dedupeKey: "acme-2026-11-22",
    },
  });
  warningId = warning.id;
  // Key accounts are the classification's, as the daily scan saves it.
  await classifyAllAccounts(
    testDeps(db, () => NOW),
    { asOfDay: "2026-11-23", until: NOW, scanId: null },
  );
  strict = await startTestBot({ now: () => NOW, db, env: { MANAGER_USER_IDS: MANAGER } });
  open = await startTestBot({
    now: () => NOW,
    db,
    env: { MANAGER_USER_IDS: MANAGER, REPS_SEE_MARGIN: "true" },
  });
});

afterAll(async () => {
  await strict?.stop();
  await open?.stop();
  await db?.drop();
});

describe("a rep who may not see margins", () => {
  it("sees no margin or profit on the card, while the manager does", async () => {
    const rep = await command(strict, "UREP1", "acme");
    expect(rep).toContain("ACME Corporation");
    expect(rep).toContain("Value");
    expect(rep).not.toMatch(/Margin|Profit/);
    expect(rep).not.toContain("21.4%");
    expect(rep).toContain("margin falling (figures for managers)");
    expect(rep).toContain("margin and profit are shown to managers");

    const manager = await command(strict, MANAGER, "acme");
    expect(manager).toContain("Margin");
    expect(manager).toContain("Profit");
    expect(manager).toContain(ACME_MARGIN);
  });

  it("reads the report's key accounts without margin figures, while the manager gets them", async () => {
    const rep = await command(strict, "UREP1", "report");
    expect(rep).toContain("ACME Corporation");
    expect(rep).toContain("Beta Industries");
    expect(rep).not.toContain(ACME_MARGIN);
    expect(rep).not.toContain(BETA_MARGIN);
    expect(rep).toContain("margin falling (figures for managers)");

    const manager = await command(strict, MANAGER, "report");
    expect(manager).toContain(ACME_MARGIN);
    expect(manager).toContain(BETA_MARGIN);
  });
});

describe("REPS_SEE_MARGIN=true", () => {
  it("the owner sees their own account's margin, not another rep's", async () => {
    const own = await command(open, "UREP1", "acme");
    expect(own).toContain("Margin");
    expect(own).toContain(ACME_MARGIN);
    const other = await command(open, "UREP1", "beta");
    expect(other).toContain("Beta Industries");
    expect(other).not.toMatch(/Margin|Profit/);
    expect(other).not.toContain(BETA_MARGIN);

    const report = await command(open, "UREP1", "report");
    expect(report).toContain(ACME_MARGIN);
    expect(report).not.toContain(BETA_MARGIN);
  });
});

describe("churn warnings in channels", () => {
  const deps = (managers: string[]) =>
    testDeps(db, () => NOW, {
      roles: createRoles(
        { managerUserIds: managers, managerGroupId: undefined, repsSeeMargin: true },
        { logger: createSilentLogger(), now: () => NOW },
      ),
    });

  it("a channel's audience reads margins and expected profit only with roles off; the managers' escalation keeps them", async () => {
    const channel = await getWarning(deps([MANAGER]), warningId);
    expect(channel.reasons.map((r) => r.text)).toEqual([
      "margin falling (figures for managers)",
      "order value −25% vs previous 90 days",
    ]);
    expect(channel.verdictHeadline).not.toContain("€9,400.00");
    expect(channel.verdictHeadline).toContain("Fight hard");

    const managers = await getWarning(deps([MANAGER]), warningId, "managers");
    expect(managers.reasons[0]?.text).toBe(ACME_MARGIN);
    expect(managers.verdictHeadline).toContain("€9,400.00");

    const rolesOff = await getWarning(deps([]), warningId);
    expect(rolesOff.reasons[0]?.text).toBe(ACME_MARGIN);
    expect(rolesOff.verdictHeadline).toContain("€9,400.00");
  });
});

describe("the exit brief, posted in the case's thread", () => {
  it("carries the year's profit and margin only while roles are off", async () => {
    const rolesOff = testDeps(db, () => NOW);
    const caseId = await startCase(rolesOff, betaId);
    const exitCase = await getExitCase(rolesOff, caseId);
    const open = await getExitBriefFacts(rolesOff, exitCase);
    expect(open.year?.current.profit).toBe(16400n);
    expect(open.risk?.reasons[0]?.text).toBe(BETA_MARGIN);

    const rolesOn = testDeps(db, () => NOW, {
      roles: createRoles(
        { managerUserIds: [MANAGER], managerGroupId: undefined, repsSeeMargin: true },
        { logger: createSilentLogger(), now: () => NOW },
      ),
    });
    const hidden = await getExitBriefFacts(rolesOn, exitCase);
    expect(hidden.year?.current.amount).toBe(70000n);
    expect(hidden.year?.current.profit).toBeNull();
    expect(hidden.year?.current.marginPct).toBeNull();
    expect(hidden.risk?.reasons[0]?.text).toBe("margin falling (figures for managers)");
  });
});
