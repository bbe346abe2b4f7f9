// The domino list against a real database: each kind of tie, what is left out, the ranking and outreach shown.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../../src/errors.ts";
import type { ServiceDeps } from "../../../src/services/deps.ts";
import { closeCase } from "../../../src/services/exit/close-case.ts";
import { findDominoRisk } from "../../../src/services/exit/domino-risk.ts";
import { logOutreach } from "../../../src/services/exit/log-outreach.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { testDeps } from "../../support/deps.ts";
import { assessRisk, startCase } from "../../support/exit-cases.ts";

const NOW = new Date("2026-11-23T12:00:00Z");
let db: TestDatabase;
let deps: ServiceDeps;
let caseId: string;
const ids: Record<string, string> = {};

async function account(
  name: string,
  data: { segment?: string; region?: string; status?: "active" | "lost"; ownerSlackId?: string } = {},
): Promise<string> {
  const created = await db.prisma.account.create({
    data: { externalId: name.toUpperCase().replaceAll(" ", "-"), name, ...data },
  });
  ids[name] = created.id;
  return created.id;
}

async function contact(
  accountId: string,
  data: { name: string; email?: string; phone?: string; endedOn?: string },
): Promise<void> {
  const { endedOn, ...rest } = data;
  await db.prisma.contact.create({
    data: { accountId, ...rest, ...(endedOn ? { endedOn: new Date(`${endedOn}T00:00:00Z`) } : {}) },
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  deps = testDeps(db, () => NOW);
  const leaver = await account("Leaver", { segment: "Retail", region: "North" });
  await contact(leaver, { name: "Ana", email: "ana@example.com" });
  await contact(leaver, { name: "Bo Chen", phone: "+86 138-0000-0000" });
  // A contact who left the leaving customer: where that person works now, the news travels.
  await contact(leaver, { name: "Mo", email: "mo@example.com", endedOn: "2026-10-01" });

  const alpha = await account("Alpha Dealer", { ownerSlackId: "U0ALPHA" });
  await db.prisma.accountLink.create({ data: { accountId: leaver, linkedId: alpha, note: "its dealer" } });
  await assessRisk(db, alpha, ["critical"]);
  const bravo = await account("Bravo Group");
  await db.prisma.accountLink.create({ data: { accountId: bravo, linkedId: leaver } });
  await contact(await account("Charlie Mail"), { name: "Ana Li", email: " ANA@example.com" });
  await contact(await account("Delta Phone"), { name: "bo chen", phone: "8613800000000" });
  await contact(await account("Echo Moved"), { name: "Mo M.", email: "mo@example.com" });
  await account("Foxtrot SegRegion", { segment: " retail ", region: "NORTH" });
  await account("Golf Segment", { segment: "Retail", region: "South" });
  await assessRisk(db, await account("Hotel AtRisk"), ["low", "high"]);

  // Left out: the same phone under another name, a contact who has left, risk that went down,
  // a lost account of the same segment, and an account with nothing in common.
  await contact(await account("India PhoneOnly"), { name: "Someone Else", phone: "8613800000000" });
  await contact(await account("Juliet Ended"), {
    name: "Ana",
    email: "ana@example.com",
    endedOn: "2026-11-22",
  });
  await assessRisk(db, await account("Kilo WasRisky"), ["critical", "medium"]);
  await account("Lima Lost", { segment: "Retail", region: "North", status: "lost" });
  await assessRisk(db, await account("Mike Unrelated", { segment: "Wholesale" }), ["low"]);

  caseId = await startCase(deps, leaver);
});

afterAll(async () => {
  await db?.drop();
});

describe("findDominoRisk", () => {
  it("finds each kind of tie, ranks them and leaves out the rest", async () => {
    const list = await findDominoRisk(deps, { caseId, limit: 20 });

    expect(list.leaving).toEqual({ id: ids.Leaver, name: "Leaver" });
    expect(list.more).toBe(0);
    expect(list.shown.map((account) => [account.name, account.reasons])).toEqual([
      [
        "Alpha Dealer",
        [
          { kind: "linked", notes: ["its dealer"] },
          { kind: "at_risk", band: "critical" },
        ],
      ],
      ["Bravo Group", [{ kind: "linked", notes: [] }]],
      ["Charlie Mail", [{ kind: "shared_contacts", contacts: ["Ana Li"] }]],
      ["Delta Phone", [{ kind: "shared_contacts", contacts: ["bo chen"] }]],
      ["Echo Moved", [{ kind: "shared_contacts", contacts: ["Mo M."] }]],
      ["Foxtrot SegRegion", [{ kind: "same_segment_region", segment: "Retail", region: "North" }]],
      ["Hotel AtRisk", [{ kind: "at_risk", band: "high" }]],
      ["Golf Segment", [{ kind: "same_segment", segment: "Retail" }]],
    ]);
    expect(list.shown[0]).toMatchObject({ ownerSlackId: "U0ALPHA", band: "critical", outreach: [] });
  });

  it("caps the list and counts the rest", async () => {
    const list = await findDominoRisk(deps, { caseId, limit: 3 });
    expect(list.shown.map((account) => account.name)).toEqual([
      "Alpha Dealer",
      "Bravo Group",
      "Charlie Mail",
    ]);
    expect(list.more).toBe(5);
  });

  it("shows the outreach logged on this case for each account", async () => {
    const logged = await logOutreach(deps, {
      caseId,
      task: 3,
      draft: {
        accountId: ids["Golf Segment"] as string,
        contactedBy: "U0REP",
        contactedOn: "2026-11-22",
        outcome: "Heard the rumour; reassured.",
        companyCommunication: null,
      },
      actorSlackId: "U0REP",
      submissionKey: "VDOMINO1",
    });
    expect(logged).toMatchObject({ ok: true, created: true });

    const list = await findDominoRisk(deps, { caseId, limit: 20 });
    const golf = list.shown.find((account) => account.name === "Golf Segment");
    expect(golf?.outreach).toEqual([{ taskNumber: 3, contactedBy: "U0REP", contactedOn: "2026-11-22" }]);
    expect(list.shown.filter((account) => account.outreach.length > 0)).toHaveLength(1);
  });

  it("refuses a closed case with a clear message", async () => {
    const other = await account("November Closed", { segment: "Retail" });
    const closedId = await startCase(deps, other);
    await db.prisma.$transaction((tx) =>
      closeCase(tx, { caseId: closedId, outcome: "retained", today: "2026-11-23", actorSlackId: "U0REP" }),
    );

    const refusal = await findDominoRisk(deps, { caseId: closedId, limit: 5 }).catch(
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(AppError);
    expect((refusal as AppError).userMessage).toBe(
      "November Closed was retained on 2026-11-23: its exit handling is closed, so nothing more is recorded on it.",
    );
  });
});
