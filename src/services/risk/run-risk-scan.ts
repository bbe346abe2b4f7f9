// The risk scan (§2–§4): every account's ledger trends, records and receivables, the BG/NBD model
// fitted over all accounts, combined into an explained risk score and a retention verdict.
import { CARD_HISTORY_DAYS } from "../../domain/account-card.ts";
import {
  type BgNbdModel,
  expectedTransactions,
  fitBgNbd,
  hasRepeatHistory,
  probabilityAlive,
  type RfmSummary,
} from "../../domain/bgnbd.ts";
import type { ComplaintCategory, ComplaintStatus, Severity } from "../../domain/complaints.ts";
import { startOfDayInZone } from "../../domain/import-rows.ts";
import type { LoyaltyRead } from "../../domain/loyalty.ts";
import { minorUnitDigits } from "../../domain/money.ts";
import { dayNumber } from "../../domain/risk/days.ts";
import { expectedProfit12m, type Judgment, judgeRetention } from "../../domain/risk/judgments.ts";
import { ledgerSignals } from "../../domain/risk/ledger-signals.ts";
import { type NextAction, nextActions } from "../../domain/risk/next-actions.ts";
import {
  overdueReceivables as overdueByCurrency,
  type Receivable,
  type RiskComplaint,
  type RiskLoyaltyRead,
  type RiskSign,
  receivableSignals,
  recordSignals,
} from "../../domain/risk/record-signals.ts";
import { type Band, type RiskTrend, scoreRisk } from "../../domain/risk/score.ts";
import type { Signal } from "../../domain/risk/signal.ts";
import { calendarDay, dominantCurrency, type OrderFact, windowStats } from "../../domain/trends.ts";
import { classifyAllAccounts } from "../classification/classify-accounts.ts";
import type { ServiceDeps } from "../deps.ts";
import { streamAccountOrders } from "./stream-orders.ts";

export type ScanDeps = ServiceDeps & {
  /** §4 retention cost when an account has none recorded, in major units of its currency. */
  defaultRetentionCost: number;
  blacklistOverdueDays: number;
};

export type AccountRisk = {
  accountId: string;
  externalId: string;
  name: string;
  risk: number;
  band: Band;
  trend: RiskTrend;
  /** Null without any purchase; see `informative` for one-time buyers. */
  pAlive: number | null;
  expectedOrders13w: number | null;
  verdict: Judgment["verdict"];
  judgment: Judgment;
  reasons: Signal[];
  actions: NextAction[];
};

export type ScanResult = {
  /** The calendar day scanned, YYYY-MM-DD in the team's time zone; nothing after it is read. */
  asOf: string;
  model: BgNbdModel | null;
  accounts: AccountRisk[];
  /** Set when the scan was saved as history. */
  scanId: string | null;
};

const MS_PER_DAY = 86_400_000;

/** The first instant after the as-of day in `timeZone`: everything at or after it is ignored. */
function endOfDay(asOfDay: string, timeZone: string): Date {
  // The next day that exists in the zone (a zone may skip a whole day) starts where this one ends.
  for (let next = dayNumber(asOfDay) + 1; ; next++) {
    const start = startOfDayInZone(new Date(next * MS_PER_DAY).toISOString().slice(0, 10), timeZone);
    if (start) return start;
  }
}

type AccountRow = {
  id: string;
  external_id: string;
  name: string;
  retention_cost: bigint | null;
  indirect_value: bigint | null;
  long_term_value: boolean;
  long_term_note: string | null;
  bad_faith: boolean;
  market_disruption: boolean;
};

type Records = {
  complaints: RiskComplaint[];
  loyaltyReads: RiskLoyaltyRead[];
  signs: RiskSign[];
  receivables: Receivable[];
};

/** Per account: purchase days (credit notes excluded; several orders on one day count once) as BG/NBD summaries. */
async function loadSummaries(deps: ScanDeps, until: Date, asOfDay: string): Promise<Map<string, RfmSummary>> {
  const { rows } = await deps.pool.query<{ account_id: string; days: number; first: number; last: number }>(
    `SELECT account_id,
            count(DISTINCT (ordered_at AT TIME ZONE $2)::date)::int AS days,
            (min((ordered_at AT TIME ZONE $2)::date) - DATE '1970-01-01')::int AS first,
            (max((ordered_at AT TIME ZONE $2)::date) - DATE '1970-01-01')::int AS last
       FROM "order"
      WHERE ordered_at < $1 AND amount >= 0
      GROUP BY account_id`,
    [until, deps.timeZone],
  );
  const end = dayNumber(asOfDay);
  // The same definition as summarizeCustomer: x repeat days, tx and T in weeks from the first day.
  return new Map(
    rows.map((row) => [
      row.account_id,
      { x: row.days - 1, tx: (row.last - row.first) / 7, T: (end - row.first) / 7 },
    ]),
  );
}

/** Complaints, loyalty reads, signs and unpaid invoices as they stood at the end of the as-of day. */
async function loadRecords(deps: ScanDeps, until: Date, asOfDay: string): Promise<Map<string, Records>> {
  const [complaints, reads, signs, receivables] = await Promise.all([
    deps.pool.query<{
      account_id: string;
      category: ComplaintCategory;
      severity: Severity;
      status: ComplaintStatus | null;
      created_at: Date;
      reopened_at: Date | null;
    }>(
      // The status each complaint had then, from its history: later steps did not happen yet.
      `SELECT c.account_id, c.category, c.severity, c.created_at,
              (SELECT e.to_status FROM complaint_event e
                WHERE e.complaint_id = c.id AND e.at < $1 ORDER BY e.at DESC LIMIT 1) AS status,
              (SELECT max(e.at) FROM complaint_event e
                WHERE e.complaint_id = c.id AND e.at < $1 AND e.to_status = 'reopened') AS reopened_at
         FROM complaint c
        WHERE c.created_at < $1`,
      [until],
    ),
    deps.pool.query<{ account_id: string; occurred_on: string; loyalty: LoyaltyRead }>(
      `SELECT account_id, to_char(occurred_on, 'YYYY-MM-DD') AS occurred_on, loyalty
         FROM interaction
        WHERE loyalty IS NOT NULL AND occurred_on <= $1::date AND occurred_on > $1::date - 366
        ORDER BY occurred_on DESC, created_at DESC`,
      [asOfDay],
    ),
    deps.pool.query<{
      account_id: string;
      kind: RiskSign["kind"];
      observed_on: string;
      details: string;
      competitor_name: string | null;
      competitor_moves: RiskSign["competitorMoves"][number][];
      changed_role: RiskSign["changedRole"];
    }>(
      `SELECT s.account_id, s.kind, to_char(s.observed_on, 'YYYY-MM-DD') AS observed_on, s.details,
              s.competitor_name, s.competitor_moves, n.role AS changed_role
         FROM warning_sign s LEFT JOIN contact n ON n.id = s.new_contact_id
        WHERE s.observed_on <= $1::date AND s.observed_on > $1::date - 366`,
      [asOfDay],
    ),
    deps.pool.query<{
      account_id: string;
      due_on: string;
      amount: bigint;
      paid_on: string | null;
      currency: string;
    }>(
      // Unpaid then: no payment, or one made after the as-of day.
      `SELECT account_id, to_char(due_on, 'YYYY-MM-DD') AS due_on, amount, currency,
              CASE WHEN paid_on <= $1::date THEN to_char(paid_on, 'YYYY-MM-DD') END AS paid_on
         FROM receivable
        WHERE due_on < $1::date AND (paid_on IS NULL OR paid_on > $1::date)
          AND (issued_on IS NULL OR issued_on <= $1::date)`,
      [asOfDay],
    ),
  ]);
  const records = new Map<string, Records>();
  const of = (accountId: string): Records => {
    let entry = records.get(accountId);
    if (!entry) {
      entry = { complaints: [], loyaltyReads: [], signs: [], receivables: [] };
      records.set(accountId, entry);
    }
    return entry;
  };
  for (const row of complaints.rows) {
    of(row.account_id).complaints.push({
      category: row.category,
      severity: row.severity,
      status: row.status ?? "open",
      createdAt: row.created_at,
      reopenedAt: row.reopened_at,
    });
  }
  for (const row of reads.rows)
    of(row.account_id).loyaltyReads.push({ occurredOn: row.occurred_on, read: row.loyalty });
  for (const row of signs.rows) {
    of(row.account_id).signs.push({
      kind: row.kind,
      observedOn: row.observed_on,
      details: row.details,
      competitorName: row.competitor_name,
      competitorMoves: row.competitor_moves,
      changedRole: row.changed_role,
    });
  }
  for (const row of receivables.rows) {
    of(row.account_id).receivables.push({
      dueOn: row.due_on,
      amount: row.amount,
      paidOn: row.paid_on,
      currency: row.currency.trim(),
    });
  }
  return records;
}

async function loadPrevious(
  deps: ScanDeps,
  asOfDay: string,
): Promise<Map<string, { risk: number; band: Band }>> {
  const { rows } = await deps.pool.query<{ account_id: string; risk: number; band: Band }>(
    `SELECT DISTINCT ON (account_id) account_id, risk, band
       FROM risk_assessment WHERE as_of < $1::date
      ORDER BY account_id, as_of DESC, created_at DESC`,
    [asOfDay],
  );
  return new Map(rows.map((row) => [row.account_id, { risk: row.risk, band: row.band }]));
}

/**
 * The model's read of one account, or null where its numbers cannot be computed (a population
 * with almost no drop-outs can push a and b so far that the hypergeometric series does not
 * converge): the account is then judged on its ledger and records alone.
 */
function modelEvidence(deps: ScanDeps, model: BgNbdModel, summary: RfmSummary) {
  try {
    return {
      pAlive: probabilityAlive(model, summary),
      expectedOrders13w: expectedTransactions(model, summary, 13),
      expectedOrders52w: expectedTransactions(model, summary, 52),
      informative: hasRepeatHistory(summary),
    };
  } catch (error) {
    deps.logger.warn({ err: (error as Error).message }, "purchase model not usable for an account");
    return null;
  }
}

function assessAccount(
  deps: ScanDeps,
  context: { until: Date; model: BgNbdModel | null; asOfDay: string },
  account: AccountRow,
  orders: readonly OrderFact[],
  summary: RfmSummary | undefined,
  records: Records | undefined,
  previous: { risk: number; band: Band } | undefined,
): AccountRisk {
  const asOf = new Date(context.until.getTime() - 1);
  const signals = [
    ...ledgerSignals([...orders], asOf, deps.timeZone),
    ...recordSignals(
      {
        timeZone: deps.timeZone,
        responseTargets: deps.responseTargets,
        complaints: records?.complaints ?? [],
        loyaltyReads: records?.loyaltyReads ?? [],
        signs: records?.signs ?? [],
      },
      asOf,
    ),
    ...receivableSignals(records?.receivables ?? [], asOf, deps.timeZone),
  ];
  const { model } = context;
  const evidence = model && summary ? modelEvidence(deps, model, summary) : null;
  const assessment = scoreRisk({ signals, model: evidence, previous: previous ?? null });

  // §4: the account's own currency and last 12 months' order value and margin.
  const yearAgo = new Date(context.until.getTime() - 365 * MS_PER_DAY);
  const lastYear = orders.filter((o) => o.orderedAt >= yearAgo);
  const currency = dominantCurrency(lastYear) ?? dominantCurrency(orders) ?? "USD";
  const stats = windowStats(lastYear, yearAgo, context.until, currency);
  const averageOrderValue = stats.orderCount > 0 ? stats.amount / BigInt(stats.orderCount) : 0n;
  const profit =
    evidence && stats.marginPct !== null && stats.orderCount > 0
      ? expectedProfit12m(evidence.expectedOrders52w, averageOrderValue, stats.marginPct)
      : null;
  const overdue = overdueByCurrency(records?.receivables ?? [], asOf, deps.timeZone).find(
    (r) => r.currency === currency,
  );
  const judgment = judgeRetention({
    expectedProfit12m: profit,
    retentionCost:
      account.retention_cost ?? BigInt(deps.defaultRetentionCost) * 10n ** BigInt(minorUnitDigits(currency)),
    indirectValue: account.indirect_value,
    longTermValue: { flagged: account.long_term_value, note: account.long_term_note },
    overdueReceivables: overdue ? { amount: overdue.amount, maxDaysOverdue: overdue.maxDaysOverdue } : null,
    badFaith: account.bad_faith,
    marketDisruption: account.market_disruption,
    blacklistOverdueDays: deps.blacklistOverdueDays,
    currency,
  });
  return {
    accountId: account.id,
    externalId: account.external_id,
    name: account.name,
    risk: assessment.risk,
    band: assessment.band,
    trend: assessment.trend,
    pAlive: evidence?.pAlive ?? null,
    expectedOrders13w: evidence?.expectedOrders13w ?? null,
    verdict: judgment.verdict,
    judgment,
    reasons: assessment.reasons,
    actions: nextActions({ reasons: assessment.reasons, verdict: judgment.verdict }),
  };
}

const INSERT_CHUNK = 1000;

async function saveScan(deps: ScanDeps, result: Omit<ScanResult, "scanId">): Promise<string> {
  const client = await deps.pool.connect();
  try {
    await client.query("BEGIN");
    const { model } = result;
    const scan = await client.query<{ id: string }>(
      `INSERT INTO risk_scan (id, as_of, finished_at, model_r, model_alpha, model_a, model_b, log_likelihood, accounts)
       VALUES (gen_random_uuid(), $1::date, now(), $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        result.asOf,
        model?.r ?? null,
        model?.alpha ?? null,
        model?.a ?? null,
        model?.b ?? null,
        model?.logLikelihood ?? null,
        result.accounts.length,
      ],
    );
    const scanId = scan.rows[0]?.id ?? "";
    for (let start = 0; start < result.accounts.length; start += INSERT_CHUNK) {
      const chunk = result.accounts.slice(start, start + INSERT_CHUNK);
      // One multi-row insert per chunk, parameters as parallel arrays.
      await client.query(
        `INSERT INTO risk_assessment (id, scan_id, account_id, as_of, risk, band, p_alive, expected_orders_13w, verdict, reasons)
         SELECT gen_random_uuid(), $1, a.account_id, $2::date, a.risk, a.band::"RiskBand", a.p_alive, a.expected, a.verdict::"RetentionVerdict", a.reasons
           FROM unnest($3::uuid[], $4::int[], $5::text[], $6::float8[], $7::float8[], $8::text[], $9::jsonb[])
             AS a(account_id, risk, band, p_alive, expected, verdict, reasons)`,
        [
          scanId,
          result.asOf,
          chunk.map((a) => a.accountId),
          chunk.map((a) => a.risk),
          chunk.map((a) => a.band),
          chunk.map((a) => a.pAlive),
          chunk.map((a) => a.expectedOrders13w),
          chunk.map((a) => a.verdict),
          chunk.map((a) => JSON.stringify(a.reasons)),
        ],
      );
    }
    await client.query("COMMIT");
    return scanId;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Scans every account that is not lost or blacklisted, as of the end of `asOfDay` (default: today in
 * the team's zone), reading nothing dated after it. `save` keeps the result as history.
 */
export async function runRiskScan(
  deps: ScanDeps,
  options: {
    asOfDay?: string;
    save: boolean;
    /**
     * Runs on the result before it is saved (the daily job stores its due warnings here), so a crash
     * in between leaves work to redo on the next run rather than a saved scan whose follow-up is lost.
     */
    beforeSave?: (result: Omit<ScanResult, "scanId">) => Promise<void>;
  },
): Promise<ScanResult> {
  const asOfDay = options.asOfDay ?? calendarDay(deps.now(), deps.timeZone);
  const until = endOfDay(asOfDay, deps.timeZone);
  const started = performance.now();
  const [accounts, summaries, records, previous] = await Promise.all([
    deps.pool.query<AccountRow>(
      `SELECT id, external_id, name, retention_cost, indirect_value, long_term_value, long_term_note, bad_faith, market_disruption
         FROM account WHERE status NOT IN ('lost', 'blacklisted') ORDER BY id`,
    ),
    loadSummaries(deps, until, asOfDay),
    loadRecords(deps, until, asOfDay),
    loadPrevious(deps, asOfDay),
  ]);
  const withRepeats = [...summaries.values()].filter((s) => s.x > 0);
  const model = withRepeats.length >= 2 ? fitBgNbd([...summaries.values()]) : null;
  const context = { until, model, asOfDay };

  // Accounts and streamed orders are both in id order: walk them together.
  const results: AccountRisk[] = [];
  const client = await deps.pool.connect();
  try {
    const stream = streamAccountOrders(client, {
      since: new Date(until.getTime() - CARD_HISTORY_DAYS * MS_PER_DAY),
      until: new Date(until.getTime() - 1),
    });
    let next = await stream.next();
    for (const account of accounts.rows) {
      while (!next.done && next.value.accountId < account.id) next = await stream.next();
      const orders = !next.done && next.value.accountId === account.id ? next.value.orders : [];
      results.push(
        assessAccount(
          deps,
          context,
          account,
          orders,
          summaries.get(account.id),
          records.get(account.id),
          previous.get(account.id),
        ),
      );
    }
    await stream.return(undefined);
  } finally {
    client.release();
  }
  results.sort((a, b) => b.risk - a.risk || a.name.localeCompare(b.name));
  const result = { asOf: asOfDay, model, accounts: results };
  await options.beforeSave?.(result);
  const scanId = options.save ? await saveScan(deps, result) : null;
  // §7: every saved scan re-classifies the accounts (history kept). A failure there is logged and
  // leaves the scan and its warnings alone: the next scan classifies again.
  if (scanId) {
    await classifyAllAccounts(deps, { asOfDay, until, scanId }).catch((error: unknown) =>
      deps.logger.error({ err: error, scanId }, "classifying the accounts failed"),
    );
  }
  deps.logger.info(
    {
      asOf: asOfDay,
      accounts: results.length,
      ms: Math.round(performance.now() - started),
      saved: options.save,
    },
    "risk scan finished",
  );
  return { ...result, scanId };
}
