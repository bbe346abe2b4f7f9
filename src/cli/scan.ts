// `churnwatch scan` and `churnwatch backtest`: the risk scan from the command line.
import type pg from "pg";
import { loadConfig } from "../config.ts";
import { calendarDay } from "../domain/trends.ts";
import { AppError } from "../errors.ts";
import { RISK_SCAN_JOB, riskScanJob } from "../jobs/risk-scan.ts";
import { startScheduler } from "../jobs/scheduler.ts";
import { type BacktestResult, runBacktest } from "../services/risk/run-backtest.ts";
import { runRiskScan, type ScanDeps, type ScanResult } from "../services/risk/run-risk-scan.ts";
import { createBotWebClient } from "../slack/web-client.ts";
import type { CliIo } from "./main.ts";
import { scanDeps, withDatabase } from "./with-database.ts";

export type ScanFlags = {
  "as-of"?: string | undefined;
  json?: boolean | undefined;
  save?: boolean | undefined;
  post?: boolean | undefined;
  "horizon-weeks"?: string | undefined;
};

function asOfDay(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const date = new Date(`${text}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(text) ||
    Number.isNaN(date.getTime()) ||
    date.toISOString().slice(0, 10) !== text
  ) {
    throw new AppError("bad_request", `--as-of takes a date YYYY-MM-DD, not "${text}".`);
  }
  return text;
}

function scanJson(scan: ScanResult): unknown {
  return {
    asOf: scan.asOf,
    model: scan.model
      ? {
          kind: "bg-nbd",
          timeUnit: "week",
          r: scan.model.r,
          alpha: scan.model.alpha,
          a: scan.model.a,
          b: scan.model.b,
          logLikelihood: scan.model.logLikelihood,
        }
      : null,
    accounts: scan.accounts.map((account) => ({
      externalId: account.externalId,
      name: account.name,
      risk: account.risk,
      band: account.band,
      pAlive: account.pAlive,
      expectedOrders13w: account.expectedOrders13w,
      verdict: account.verdict,
      reasons: account.reasons.map((reason) => ({ code: reason.code, text: reason.text })),
    })),
  };
}

function percent(value: number | null): string {
  return value === null ? "–" : `${(value * 100).toFixed(0)}%`;
}

function printScan(io: CliIo, scan: ScanResult): void {
  const counts = new Map<string, number>();
  for (const account of scan.accounts) counts.set(account.band, (counts.get(account.band) ?? 0) + 1);
  io.out(
    `Risk as of ${scan.asOf}: ${scan.accounts.length} accounts — ${["critical", "high", "medium", "low"].map((band) => `${counts.get(band) ?? 0} ${band}`).join(", ")}.`,
  );
  if (scan.model) {
    const m = scan.model;
    io.out(
      `Purchase model (BG/NBD, weeks): r ${m.r.toFixed(3)}, alpha ${m.alpha.toFixed(3)}, a ${m.a.toFixed(3)}, b ${m.b.toFixed(3)}, log-likelihood ${m.logLikelihood.toFixed(1)}`,
    );
  }
  for (const account of scan.accounts
    .filter((a) => a.band === "critical" || a.band === "high")
    .slice(0, 20)) {
    io.out(
      `\n${String(account.risk).padStart(3)} ${account.band.padEnd(8)} ${account.name} (${account.externalId}) — ${account.judgment.headline}`,
    );
    for (const reason of account.reasons) io.out(`      · ${reason.text}`);
  }
  if (scan.scanId) io.out(`\nSaved as history (scan ${scan.scanId}).`);
}

function printBacktest(io: CliIo, result: BacktestResult): void {
  const m = result.metrics;
  io.out(
    `Backtest as of ${result.asOf}, horizon ${result.horizonWeeks} weeks: ${m.accounts} accounts, ${m.churned} churned (${percent(m.churnRate)}); AUC ${m.auc === null ? "–" : m.auc.toFixed(3)} (purchase model alone: ${result.modelAuc === null ? "–" : result.modelAuc.toFixed(3)})`,
  );
  io.out("\nBand        accounts  churned  precision  recall");
  for (const g of m.byBand) {
    io.out(
      `${g.key.padEnd(10)} ${String(g.accounts).padStart(9)} ${String(g.churned).padStart(8)} ${percent(g.precision).padStart(10)} ${percent(g.recall).padStart(7)}`,
    );
  }
  io.out("\nReason                              accounts  churned  precision  recall");
  for (const g of [...m.byReason].sort((a, b) => b.accounts - a.accounts)) {
    io.out(
      `${g.key.padEnd(34)} ${String(g.accounts).padStart(9)} ${String(g.churned).padStart(8)} ${percent(g.precision).padStart(10)} ${percent(g.recall).padStart(7)}`,
    );
  }
}

/**
 * The daily job run by hand: scan today, save it, create and post the due warnings. It takes the
 * same lock as the bot's job, so it never runs alongside it.
 */
async function postWarnings(io: CliIo, deps: ScanDeps, pool: pg.Pool): Promise<number> {
  const config = loadConfig();
  const slack = createBotWebClient(config.slack.botToken, config.slack.apiUrl);
  const scheduler = startScheduler(
    [riskScanJob({ ...deps, slack, scanCron: config.scanCron, warningsChannel: config.warningsChannel })],
    { timeZone: deps.timeZone, logger: deps.logger, pool, now: deps.now },
  );
  try {
    if (!(await scheduler.runNow(RISK_SCAN_JOB))) {
      io.err("A risk scan is running elsewhere (the bot's daily job?): nothing was done.");
      return 1;
    }
  } finally {
    await scheduler.stop();
  }
  const { rows } = await pool.query<{ posted: bigint; pending: bigint }>(
    `SELECT count(*) FILTER (WHERE status <> 'pending') AS posted, count(*) FILTER (WHERE status = 'pending') AS pending
       FROM churn_warning WHERE as_of = $1::date`,
    [calendarDay(deps.now(), deps.timeZone)],
  );
  const posted = Number(rows[0]?.posted ?? 0n);
  const pending = Number(rows[0]?.pending ?? 0n);
  io.out(
    `Scanned and saved. Warnings today: ${posted} posted${pending > 0 ? `, ${pending} still pending (see the log)` : ""}.`,
  );
  return pending > 0 ? 1 : 0;
}

export async function runScanCommand(
  io: CliIo,
  command: "scan" | "backtest",
  flags: ScanFlags,
): Promise<number> {
  const day = asOfDay(flags["as-of"]);
  return withDatabase(async (db, config, logger) => {
    const deps = scanDeps(db, config, logger);
    if (command === "scan" && flags.post) {
      if (day || flags.json || flags.save) {
        throw new AppError(
          "bad_request",
          "--post scans today, saves it and posts the due warnings: use it alone.",
        );
      }
      return postWarnings(io, deps, db.pool);
    }
    if (command === "scan") {
      const scan = await runRiskScan(deps, { ...(day ? { asOfDay: day } : {}), save: flags.save === true });
      if (flags.json) io.out(JSON.stringify(scanJson(scan), null, 2));
      else printScan(io, scan);
      return 0;
    }
    if (!day) throw new AppError("bad_request", "churnwatch backtest needs --as-of YYYY-MM-DD.");
    const horizon = flags["horizon-weeks"] ?? "13";
    if (!/^\d{1,3}$/.test(horizon) || Number(horizon) < 1) {
      throw new AppError("bad_request", "--horizon-weeks takes a whole number of weeks, e.g. 13.");
    }
    const result = await runBacktest(deps, { asOfDay: day, horizonWeeks: Number(horizon) });
    if (flags.json) io.out(JSON.stringify(result, null, 2));
    else printBacktest(io, result);
    return 0;
  });
}
