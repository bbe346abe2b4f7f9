// `churnwatch report`: the churn report of chosen days (or a period to date) as text or documented JSON.
import {
  type ChurnRate,
  type ChurnReport,
  type CurrencyLoss,
  controlSentence,
  formatRate,
  formatShare,
  isIsoDay,
  loyaltyLine,
  moneyLine,
  type PeriodFigures,
  parsePeriodKind,
  rateSentence,
  reasonLabel,
} from "../domain/churn-report.ts";
import { isWithinControl } from "../domain/exit.ts";
import { minorToDecimalString, minorUnitDigits } from "../domain/money.ts";
import { AppError } from "../errors.ts";
import { type ChurnReportInput, getChurnReport } from "../services/report/get-churn-report.ts";
import type { CliIo } from "./main.ts";
import { scanDeps, withDatabase } from "./with-database.ts";

export type ReportFlags = {
  from?: string | undefined;
  to?: string | undefined;
  json?: boolean | undefined;
};

function dayFlag(name: "from" | "to", text: string | undefined): void {
  if (text !== undefined && !isIsoDay(text)) {
    throw new AppError("bad_request", `--${name} takes a date YYYY-MM-DD, not "${text}".`);
  }
}

/** Checks what it can before the database opens: the period word or the two dates. */
export function reportInput(words: readonly string[], flags: ReportFlags): ChurnReportInput {
  dayFlag("from", flags.from);
  dayFlag("to", flags.to);
  if (words.length === 0) {
    if (flags.from !== undefined && flags.to !== undefined && flags.from > flags.to) {
      throw new AppError("bad_request", `--from ${flags.from} is after --to ${flags.to}.`);
    }
    return { from: flags.from, to: flags.to };
  }
  const word = words.join(" ");
  const period = parsePeriodKind(word);
  if (period === null) {
    throw new AppError(
      "bad_request",
      `churnwatch report takes month, quarter or year (each to date, with the previous one), not "${word}"; or --from and --to.`,
    );
  }
  if (flags.from !== undefined || flags.to !== undefined) {
    throw new AppError(
      "bad_request",
      `churnwatch report ${period} is the ${period} to date: leave out --from and --to.`,
    );
  }
  return { period };
}

// ---- JSON -----------------------------------------------------------------------------------

function rateJson(churn: ChurnRate) {
  return {
    customersAtStart: churn.customersAtStart,
    lost: churn.lost,
    rate: churn.rate,
    annualisedRate: churn.annualisedRate,
    benchmark: churn.benchmark,
  };
}

/** Money as a decimal string in major units of its currency: exact, never a float. */
function amount(minor: bigint, currency: string): string {
  return minorToDecimalString(minor, minorUnitDigits(currency));
}

function lossJson(loss: CurrencyLoss) {
  const money = (minor: bigint) => amount(minor, loss.currency);
  return {
    currency: loss.currency,
    cases: loss.cases,
    unrecoveredReceivables: money(loss.unrecoveredReceivables),
    compensationAgreed: money(loss.compensationAgreed),
    goodsReturned: money(loss.goodsReturned),
    marketGapLoss: money(loss.marketGapLoss),
    netLoss: money(loss.netLoss),
  };
}

function periodJson(figures: PeriodFigures) {
  const { period, reasons, moneyLost } = figures;
  return {
    label: period.label,
    from: period.from,
    to: period.to,
    days: figures.days,
    churn: rateJson(figures.churn),
    byMonth: figures.byMonth.map((m) => ({ month: m.month, from: m.from, to: m.to, ...rateJson(m.churn) })),
    byOwner: figures.byOwner.map((g) => ({ ownerSlackId: g.ownerSlackId, ...rateJson(g.churn) })),
    bySegment: figures.bySegment.map((g) => ({ segment: g.segment, ...rateJson(g.churn) })),
    reasons: {
      lostAccounts: reasons.lostAccounts,
      recorded: reasons.recorded,
      withinControl: reasons.withinControl,
      withinControlShare: reasons.withinControlShare,
      mix: reasons.mix.map(({ reason, accounts }) => ({
        reason,
        label: reasonLabel(reason),
        withinControl: reason === null ? null : isWithinControl(reason),
        accounts,
      })),
    },
    moneyLost: {
      lostAccounts: moneyLost.lostAccounts,
      withAmounts: moneyLost.withAmounts,
      byCurrency: moneyLost.byCurrency.map(lossJson),
    },
  };
}

/** The documented shape (README "Churn report"): every key always present, null where there is no value. */
export function reportJson(report: ChurnReport) {
  const { keyAccounts } = report;
  return {
    timeZone: report.timeZone,
    today: report.today,
    period: periodJson(report.current),
    previous: report.previous ? periodJson(report.previous) : null,
    loyalty: { ...report.loyalty },
    keyAccounts: {
      revenueFrom: keyAccounts.revenueFrom,
      revenueTo: keyAccounts.revenueTo,
      sharePercent: keyAccounts.sharePercent,
      keyAccounts: keyAccounts.keyAccounts,
      assessed: keyAccounts.assessed,
      atRisk: keyAccounts.atRisk.map((account) => ({
        externalId: account.externalId,
        name: account.name,
        ownerSlackId: account.ownerSlackId,
        band: account.band,
        risk: account.risk,
        asOf: account.asOf,
        reasons: account.reasons,
      })),
    },
  };
}

// ---- text -----------------------------------------------------------------------------------

function rateCells(churn: ChurnRate): string {
  const rate = churn.rate === null ? "–" : formatRate(churn.rate);
  const yearly = churn.annualisedRate === null ? "–" : formatRate(churn.annualisedRate);
  return `${String(churn.customersAtStart).padStart(9)} ${String(churn.lost).padStart(5)} ${rate.padStart(7)} ${yearly.padStart(7)}`;
}

function printTable(io: CliIo, title: string, rows: readonly [string, ChurnRate][]): void {
  if (rows.length === 0) return;
  io.out(`\n${title.padEnd(24)} customers  lost    rate  a year`);
  for (const [label, churn] of rows) io.out(`${label.slice(0, 24).padEnd(24)} ${rateCells(churn)}`);
}

function printPeriod(io: CliIo, figures: PeriodFigures): void {
  const { period, reasons, moneyLost } = figures;
  io.out(
    `Churn ${period.label}${period.label.includes(period.from) ? "" : ` (${period.from} – ${period.to})`}`,
  );
  io.out(rateSentence(figures.churn, period));
  if (figures.churn.customersAtStart === 0) return;
  if (figures.byMonth.length > 1)
    printTable(
      io,
      "By month",
      figures.byMonth.map((m) => [m.month, m.churn]),
    );
  printTable(
    io,
    "By owner",
    figures.byOwner.map((g) => [g.ownerSlackId ?? "(no owner)", g.churn]),
  );
  printTable(
    io,
    "By segment",
    figures.bySegment.map((g) => [g.segment ?? "(no segment)", g.churn]),
  );
  if (reasons.lostAccounts > 0) {
    io.out(`\nWhy they left (${reasons.lostAccounts} lost)`);
    for (const { reason, accounts } of reasons.mix) {
      const control =
        reason === null ? "" : isWithinControl(reason) ? "  within our control" : "  beyond our control";
      io.out(
        `  ${reasonLabel(reason).padEnd(34)} ${String(accounts).padStart(4)} ${formatShare(accounts / reasons.lostAccounts).padStart(5)}${control}`,
      );
    }
    const control = controlSentence(reasons);
    if (control) io.out(control);
  }
  if (moneyLost.byCurrency.length > 0) {
    io.out(`\nMoney lost (task 4), recorded for ${moneyLost.withAmounts} of ${moneyLost.lostAccounts} lost`);
    for (const loss of moneyLost.byCurrency) io.out(`  ${loss.currency}  ${moneyLine(loss)}`);
  }
}

function printReport(io: CliIo, report: ChurnReport): void {
  io.out(`Days in ${report.timeZone}; today is ${report.today}.\n`);
  printPeriod(io, report.current);
  if (report.previous) {
    io.out(
      `\nPrevious: ${report.previous.period.label} (${report.previous.period.from} – ${report.previous.period.to})`,
    );
    io.out(rateSentence(report.previous.churn, report.previous.period));
  }
  const { loyalty, keyAccounts } = report;
  if (loyalty.customers > 0)
    io.out(`\nLoyalty of the ${loyalty.customers} current customers: ${loyaltyLine(loyalty)}`);
  if (keyAccounts.keyAccounts === 0 || keyAccounts.assessed === 0) return;
  io.out(
    `\nKey accounts at risk now: ${keyAccounts.atRisk.length} of ${keyAccounts.keyAccounts} (the fewest making ${keyAccounts.sharePercent}% of revenue ${keyAccounts.revenueFrom} – ${keyAccounts.revenueTo})`,
  );
  for (const account of keyAccounts.atRisk) {
    io.out(
      `${String(account.risk).padStart(3)} ${account.band.padEnd(8)} ${account.name} (${account.externalId}) — owner ${account.ownerSlackId ?? "none"}, scanned ${account.asOf}`,
    );
    for (const reason of account.reasons) io.out(`      · ${reason.text}`);
  }
}

export async function runReport(io: CliIo, words: readonly string[], flags: ReportFlags): Promise<number> {
  const input = reportInput(words, flags);
  return withDatabase(async (db, config, logger) => {
    const report = await getChurnReport(scanDeps(db, config, logger), input);
    if (flags.json) io.out(JSON.stringify(reportJson(report), null, 2));
    else printReport(io, report);
    return 0;
  });
}
