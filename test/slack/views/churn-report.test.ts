// The churn report's Block Kit: sections without data are left out, and a large workspace stays
// within Slack's limits (50 blocks, 3000 characters a section, 2000 a field).
import { describe, expect, it } from "vitest";
import {
  type ChurnAccount,
  type ChurnReport,
  churnHistory,
  type KeyAccountRisk,
  periodFigures,
  type ReportPeriod,
  type StatusChange,
} from "../../../src/domain/churn-report.ts";
import { buildChurnReport, buildUnknownPeriod } from "../../../src/slack/views/churn-report.ts";
import { blockViolations } from "../../support/block-kit-rules.ts";
import { type SlackBlock, textOf } from "../../support/blocks.ts";

const year: ReportPeriod = { from: "2026-01-01", to: "2026-11-23", label: "2026 to date" };
const lastYear: ReportPeriod = { from: "2025-01-01", to: "2025-12-31", label: "2025" };

function report(
  accounts: ChurnAccount[],
  changes: StatusChange[],
  extra: Partial<ChurnReport> = {},
): ChurnReport {
  const history = churnHistory(accounts, changes);
  return {
    timeZone: "Europe/Berlin",
    today: "2026-11-23",
    current: periodFigures(history, year),
    previous: periodFigures(history, lastYear),
    loyalty: { customers: 0, loyal: 0, average: 0, disloyal: 0, noRead: 0 },
    keyAccounts: {
      revenueFrom: "2025-11-24",
      revenueTo: "2026-11-23",
      sharePercent: 80,
      keyAccounts: 0,
      assessed: 0,
      atRisk: [],
    },
    ...extra,
  };
}

describe("buildChurnReport", () => {
  it("says there is no rate and shows nothing else for an empty workspace", () => {
    const message = buildChurnReport(report([], []));
    expect(message.blocks.map((block) => block.type)).toEqual(["header", "section", "context"]);
    const text = textOf(message.blocks as SlackBlock[]);
    expect(text).toContain(
      "No customers at the start of the period (2026-01-01), so there is no churn rate.",
    );
    expect(text).toContain(
      "No customers at the start of the period (2025-01-01), so there is no churn rate.",
    );
    expect(text).not.toContain("By month");
    expect(text).not.toContain("Loyalty");
  });

  it("stays within Block Kit's limits for hundreds of owners, long names and many key accounts at risk", () => {
    const hostile = "<!channel> & <@U0> ".repeat(20);
    const accounts: ChurnAccount[] = Array.from({ length: 600 }, (_, n) => ({
      id: `a-${n}`,
      ownerSlackId: `U${String(n % 300).padStart(10, "0")}`,
      segment: `${hostile}${n % 250}`,
      status: n % 3 === 0 ? "lost" : "active",
      createdOn: "2024-01-01",
      firstOrderOn: "2024-02-01",
    }));
    const changes: StatusChange[] = accounts
      .filter((account) => account.status === "lost")
      .map((account, n) => ({
        accountId: account.id,
        fromStatus: "active",
        toStatus: "lost",
        effectiveOn: n % 2 === 0 ? "2025-06-15" : "2026-03-15",
        recordedAt: new Date(0),
        exitCase: {
          reason: n % 5 === 0 ? null : "price_too_high",
          currency: ["EUR", "USD", "JPY", "CNY"][n % 4] ?? "EUR",
          losses: {
            receivablesOutstanding: 10n ** 15n,
            receivablesRecovered: null,
            compensationClaimed: null,
            compensationAgreed: null,
            goodsReturned: 123n,
            marketGapLoss: 10n ** 14n,
          },
        },
      }));
    const atRisk: KeyAccountRisk[] = Array.from({ length: 30 }, (_, n) => ({
      accountId: `a-${n}`,
      externalId: `K-${n}`.repeat(20),
      name: `${hostile}${n}`,
      ownerSlackId: null,
      band: n % 2 === 0 ? "critical" : "high",
      risk: 99 - n,
      asOf: "2026-11-22",
      reasons: Array.from({ length: 3 }, (_, k) => ({ code: `c${k}`, text: "x".repeat(1200) })),
    }));
    const message = buildChurnReport(
      report(accounts, changes, {
        loyalty: { customers: 400, loyal: 100, average: 50, disloyal: 25, noRead: 225 },
        keyAccounts: {
          revenueFrom: "2025-11-24",
          revenueTo: "2026-11-23",
          sharePercent: 80,
          keyAccounts: 45,
          assessed: 40,
          atRisk,
        },
      }),
    );
    expect(blockViolations(message.blocks)).toEqual([]);
    const text = textOf(message.blocks as SlackBlock[]);
    expect(text).toMatch(/…and \d+ more/);
    expect(text).toContain("…and 20 more: `churnwatch report --json` lists them all.");
    expect(text).not.toContain("<!channel>");
    expect(text).toContain("*Money lost* (§5 task 4)");
    expect(text).toContain("Loyal 100 (25%) · Average 50 (13%) · Disloyal 25 (6%) · No read yet 225 (56%)");
  });

  it("says so when no key account is at high or critical risk", () => {
    const message = buildChurnReport(
      report([], [], {
        keyAccounts: {
          revenueFrom: "2025-11-24",
          revenueTo: "2026-11-23",
          sharePercent: 80,
          keyAccounts: 4,
          assessed: 4,
          atRisk: [],
        },
      }),
    );
    expect(textOf(message.blocks as SlackBlock[])).toContain(
      "None of the 4 key accounts (the fewest making 80% of revenue 2025-11-24 – 2026-11-23) is at high or critical risk in its latest scan.",
    );
  });
});

describe("buildUnknownPeriod", () => {
  it("escapes the word it did not understand", () => {
    const message = buildUnknownPeriod("/customer", "<!here>");
    expect(textOf(message.blocks as SlackBlock[])).toContain("not “&lt;!here&gt;”");
  });
});
