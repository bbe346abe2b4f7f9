// After a saved scan: stores the churn warnings that are due (pending, not posted yet), each at most once.
import type { Band } from "../../domain/risk/score.ts";
import { type PreviousAssessment, warningTrigger } from "../../domain/risk/warnings.ts";
import type { ServiceDeps } from "../deps.ts";
import type { ScanResult } from "../risk/run-risk-scan.ts";

type StoredReason = { code?: unknown; strong?: unknown };

async function loadPrevious(deps: ServiceDeps, asOfDay: string): Promise<Map<string, PreviousAssessment>> {
  const { rows } = await deps.pool.query<{ account_id: string; band: Band; reasons: unknown }>(
    `SELECT DISTINCT ON (account_id) account_id, band, reasons
       FROM risk_assessment WHERE as_of < $1::date
      ORDER BY account_id, as_of DESC, created_at DESC`,
    [asOfDay],
  );
  return new Map(
    rows.map((row) => [
      row.account_id,
      {
        band: row.band,
        reasonCodes: (Array.isArray(row.reasons) ? (row.reasons as StoredReason[]) : [])
          .map((reason) => reason.code)
          .filter((code): code is string => typeof code === "string"),
      },
    ]),
  );
}

/** The highest band among each account's warnings snoozed past `now` (acknowledged later or not). */
async function loadSnoozes(deps: ServiceDeps, now: Date): Promise<Map<string, Band>> {
  const { rows } = await deps.pool.query<{ account_id: string; band: Band }>(
    `SELECT account_id, max(band) AS band
       FROM churn_warning WHERE snoozed_until > $1
      GROUP BY account_id`,
    [now],
  );
  return new Map(rows.map((row) => [row.account_id, row.band]));
}

/**
 * Creates the due warnings of a scan in one statement (so all or none), skipping those whose dedupe
 * key exists: a rerun of the same day, or a second instance, creates nothing twice. It runs before
 * the scan is saved (see the risk-scan job): the comparison is with assessments of earlier days, so
 * a crash before the save is repaired by the next run, which creates the same warnings (or finds
 * them) and saves the scan. Returns how many were new.
 */
export async function createDueWarnings(
  deps: ServiceDeps,
  scan: Pick<ScanResult, "asOf" | "accounts">,
): Promise<number> {
  const now = deps.now();
  const [previous, snoozes] = await Promise.all([loadPrevious(deps, scan.asOf), loadSnoozes(deps, now)]);
  const due = scan.accounts.flatMap((account) => {
    const snoozedBand = snoozes.get(account.accountId);
    const trigger = warningTrigger(
      account,
      previous.get(account.accountId) ?? null,
      snoozedBand ? { band: snoozedBand } : null,
      scan.asOf,
    );
    if (!trigger) return [];
    return [
      {
        accountId: account.accountId,
        asOf: new Date(`${scan.asOf}T00:00:00Z`),
        risk: account.risk,
        band: account.band,
        previousBand: previous.get(account.accountId)?.band ?? null,
        newSignalCodes: trigger.newSignalCodes,
        reasons: account.reasons.map(({ code, text, strong }) => ({ code, text, strong })),
        verdict: account.verdict,
        verdictHeadline: account.judgment.headline,
        actions: account.actions.map(({ action, text }) => ({ action, text })),
        dedupeKey: trigger.dedupeKey,
      },
    ];
  });
  if (due.length === 0) return 0;
  const { count } = await deps.prisma.churnWarning.createMany({ data: due, skipDuplicates: true });
  deps.logger.info({ asOf: scan.asOf, due: due.length, created: count }, "churn warnings created");
  return count;
}

/** Points the day's warnings at the assessments that raised them, once the scan is saved. */
export async function linkWarningsToScan(deps: ServiceDeps, scanId: string): Promise<void> {
  await deps.pool.query(
    `UPDATE churn_warning w SET assessment_id = a.id
       FROM risk_assessment a
      WHERE a.scan_id = $1 AND a.account_id = w.account_id AND a.as_of = w.as_of AND w.assessment_id IS NULL`,
    [scanId],
  );
}
