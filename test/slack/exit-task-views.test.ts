// The exit views of tasks 2–4 at their limits: a long domino list, a nameless one, the outreach form
// with a hundred choices and a long note, and the losses form in a zero-decimal currency.
import { describe, expect, it } from "vitest";
import type { DominoAccount, DominoList } from "../../src/services/exit/domino-risk.ts";
import { buildDominoList, DOMINO_SHOWN } from "../../src/slack/views/exit-domino.ts";
import { buildLossesModal } from "../../src/slack/views/exit-losses-modal.ts";
import { buildOutreachModal } from "../../src/slack/views/exit-outreach-modal.ts";
import { blockViolations, viewViolations } from "../support/block-kit-rules.ts";
import { type SlackBlock, textOf } from "../support/blocks.ts";

/** What a person reads in the blocks. */
const shown = (blocks: readonly unknown[]) => textOf(blocks as SlackBlock[]);

const CASE = "00000000-0000-4000-8000-00000000000c";

function dominoAccount(i: number): DominoAccount {
  const long = `<Name & ${"x".repeat(300)}>`;
  return {
    accountId: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    name: i === 0 ? long : `Account ${i}`,
    ownerSlackId: "U0OWNER",
    band: "critical",
    sameSegment: "Retail",
    sameRegion: "North",
    sharedContacts: Array.from({ length: 40 }, (_, n) => `Contact ${n} ${"y".repeat(50)}`),
    link: { notes: [`<!channel> ${"z".repeat(500)}`] },
    reasons: [
      { kind: "linked", notes: [`<!channel> ${"&".repeat(500)}`] },
      { kind: "shared_contacts", contacts: Array.from({ length: 40 }, (_, n) => `Contact ${n}`) },
      { kind: "same_segment_region", segment: "<".repeat(300), region: "North" },
      { kind: "at_risk", band: "critical" },
    ],
    score: 10,
    outreach: [
      { taskNumber: 3, contactedBy: "U0REP", contactedOn: "2026-11-20" },
      { taskNumber: 2, contactedBy: "U0REP2", contactedOn: "2026-11-21" },
    ],
  };
}

describe("buildDominoList", () => {
  it("fits a full list in Block Kit's limits, escapes user text and counts the rest", () => {
    const list: DominoList = {
      caseId: CASE,
      leaving: { id: CASE, name: "Leaver" },
      shown: Array.from({ length: DOMINO_SHOWN }, (_, i) => dominoAccount(i)),
      more: 42,
    };
    const message = buildDominoList(list, 3);

    expect(blockViolations(message.blocks)).toEqual([]);
    const text = shown(message.blocks);
    expect(text).toContain("57 customers at domino risk");
    expect(text).toContain("…and 42 more customers at domino risk not listed here.");
    expect(text).toContain("Outreach logged (2 times): last on 2026-11-21 by <@U0REP2> (task 2)");
    expect(text).not.toContain("<!channel>");
    expect(text).toContain("&lt;Name &amp; x");
  });

  it("says so when no customer is at domino risk", () => {
    const message = buildDominoList(
      { caseId: CASE, leaving: { id: CASE, name: "A & B" }, shown: [], more: 0 },
      2,
    );
    expect(shown(message.blocks)).toBe(
      "No other customer shares a segment, contacts or a link with *A &amp; B*, and none is at high risk: nobody to reassure one-to-one.",
    );
  });
});

describe("buildOutreachModal", () => {
  it("holds a hundred choices and a note at the input's limit", () => {
    const view = buildOutreachModal({
      caseId: CASE,
      task: 3,
      leaving: { id: CASE, name: "Leaver" },
      choices: Array.from({ length: 100 }, (_, i) => ({
        id: `id-${i}`,
        name: `Customer ${i} ${"n".repeat(100)}`,
      })),
      more: 7,
      selected: { id: "id-outside", name: "Picked by name" },
      companyCommunication: "p".repeat(5000),
      userId: "U0001",
      today: "2026-11-23",
    });
    expect(viewViolations(view)).toEqual([]);
    // The customer from outside the list is preselected in the by-name select.
    const byName = view.blocks.find((b) => b.block_id === "exit_outreach_account") as unknown as {
      element: { initial_option?: { value: string } };
    };
    expect(byName.element.initial_option?.value).toBe("id-outside");
  });

  it("without customers at domino risk offers only the by-name select", () => {
    const view = buildOutreachModal({
      caseId: CASE,
      task: 2,
      leaving: { id: CASE, name: "Leaver" },
      choices: [],
      more: 0,
      selected: null,
      companyCommunication: null,
      userId: "U0001",
      today: "2026-11-23",
    });
    expect(viewViolations(view)).toEqual([]);
    expect(view.blocks.map((b) => b.block_id).filter(Boolean)).toEqual([
      "exit_outreach_account",
      "exit_outreach_by",
      "exit_outreach_on",
      "exit_outreach_outcome",
    ]);
  });
});

describe("buildLossesModal", () => {
  it("shows yen amounts without decimals and names invoices in other currencies", () => {
    const view = buildLossesModal({
      caseId: CASE,
      accountName: "Yen KK",
      currency: "JPY",
      losses: {
        receivablesOutstanding: 2_500_000n,
        receivablesRecovered: null,
        compensationClaimed: null,
        compensationAgreed: null,
        goodsReturned: null,
        marketGapLoss: null,
      },
      fromInvoices: { count: 3 },
      otherCurrencies: ["USD"],
    });
    expect(viewViolations(view)).toEqual([]);
    const text = shown(view.blocks);
    expect(text).toContain("Amounts in *JPY* (no decimals)");
    expect(text).toContain("Receivables outstanding start from the 3 unpaid invoices in JPY.");
    expect(text).toContain("Unpaid invoices in USD are not included");
    expect(text).toContain("e.g. 12,500");
    const first = view.blocks.find(
      (b) => b.block_id === "exit_losses_receivables_outstanding",
    ) as unknown as {
      element: { initial_value?: string };
    };
    expect(first.element.initial_value).toBe("2500000");
  });
});
