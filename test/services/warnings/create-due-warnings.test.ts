// Which warnings a scan stores: none for accounts whose exit is being handled or who are gone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServiceDeps } from "../../../src/services/deps.ts";
import type { AccountRisk } from "../../../src/services/risk/run-risk-scan.ts";
import { createDueWarnings } from "../../../src/services/warnings/create-due-warnings.ts";
import { createTestDatabase, type TestDatabase } from "../../support/db.ts";
import { testDeps } from "../../support/deps.ts";

let db: TestDatabase;
let deps: ServiceDeps;

const critical = (accountId: string): AccountRisk =>
  ({
    accountId,
    externalId: accountId,
    name: accountId,
    risk: 90,
    band: "critical",
    verdict: "retain",
    judgment: { verdict: "retain", headline: "Retain" },
    reasons: [{ code: "order_overdue", text: "Next order 5 weeks overdue", strong: true }],
    actions: [],
  }) as unknown as AccountRisk;

beforeAll(async () => {
  db = await createTestDatabase();
  deps = testDeps(db, () => new Date("2026-11-23T07:00:00Z"));
});

afterAll(async () => {
  await db?.drop();
});

describe("createDueWarnings", () => {
  it("warns an active account entering critical, but not one leaving, lost or blacklisted", async () => {
    const ids: Record<string, string> = {};
    for (const status of ["active", "leaving", "lost", "blacklisted"] as const)
      ids[status] = (
        await db.prisma.account.create({ data: { externalId: `W-${status}`, name: status, status } })
      ).id;
    const created = await createDueWarnings(deps, {
      asOf: "2026-11-23",
      accounts: Object.values(ids).map(critical),
    });
    expect(created).toBe(1);
    const warnings = await db.prisma.churnWarning.findMany({ select: { accountId: true } });
    expect(warnings).toEqual([{ accountId: ids.active }]);
  });
});
