// After a saved scan: stores the churn warnings that are due (pending, not posted yet), each at most once.
import type { Band } from "../../domain/risk/score.ts";
import { type PreviousAssessment, REWARN_AFTER_DAYS, warningTrigger } from "../../domain/risk/warnings.ts";
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

/** The highest band each account was warned about in the REWARN_AFTER_DAYS days before the scan day. */
async function loadRecentWarnings(deps: ServiceDeps, asOfDay: string): Promise<Map<string, Band>> {
  const { rows } = await deps.pool.query<{ account_id: string; band: Band }>(
    `SELECT account_id, max(band) AS band
       FROM churn_warning WHERE as_of < $1::date AND as_of >= $1::date - $2::int
      GROUP BY account_id`,
    [asOfDay, REWARN_AFTER_DAYS],
  );
  return new Map(rows.map((row) => [row.account_id, row.band]));
}

/** Accounts whose exit is already being handled (or who are gone): no more warnings for them. */
async function loadLeaving(deps: ServiceDeps): Promise<Set<string>> {
  const { rows } = await deps.pool.query<{ id: string }>(
    "SELECT id FROM account WHERE status IN ('leaving', 'lost', 'blacklisted')",
  );
  return new Set(rows.map((row) => row.id));
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
  const [previous, snoozes, recent, leaving] = await Promise.all([
    loadPrevious(deps, scan.asOf),
    loadSnoozes(deps, now),
    loadRecentWarnings(deps, scan.asOf),
    loadLeaving(deps),
  ]);
  const due = scan.accounts.flatMap((account) => {
    if (leaving.has(account.accountId)) return [];
    const snoozedBand = snoozes.get(account.accountId);
    const recentBand = recent.get(account.accountId);
    const trigger = warningTrigger(
      account,
      previous.get(account.accountId) ?? null,
      snoozedBand ? { band: snoozedBand } : null,
      scan.asOf,
      recentBand ? { band: recentBand } : null,
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
