// Exit cases for tests: a case started as the app does, and risk assessments of an account.
import type { ServiceDeps } from "../../src/services/deps.ts";
import { startExit } from "../../src/services/exit/start-exit.ts";
import type { TestDatabase } from "./db.ts";

let keys = 0;

/** Starts exit handling for the account (as the Slack modal would) and returns the case id. */
export async function startCase(deps: ServiceDeps, accountId: string): Promise<string> {
  keys += 1;
  const result = await startExit(deps, {
    accountId,
    draft: {
      reason: "price_too_high",
      surfaceReason: null,
      deepReason: null,
      competitorWon: null,
      expectedEndOn: null,
    },
    warningId: null,
    actorSlackId: "U0STARTER",
    submissionKey: `VSTART${keys}-${accountId}`,
  });
  if (!result.ok) throw new Error(`startExit refused: ${JSON.stringify(result.errors)}`);
  return result.caseId;
}

/** Stores risk assessments for an account, oldest first, one scan each. */
export async function assessRisk(
  db: TestDatabase,
  accountId: string,
  bands: readonly ("low" | "medium" | "high" | "critical")[],
): Promise<void> {
  const risk = { low: 10, medium: 30, high: 60, critical: 90 } as const;
  for (const [index, band] of bands.entries()) {
    const asOf = new Date(Date.UTC(2026, 10, 1 + index));
    const scan = await db.prisma.riskScan.create({ data: { asOf } });
    await db.prisma.riskAssessment.create({
      data: { scanId: scan.id, accountId, asOf, risk: risk[band], band, verdict: "retain", reasons: [] },
    });
  }
}
