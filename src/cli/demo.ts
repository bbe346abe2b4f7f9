// `churnwatch demo`: loads the demo data set so a new user can try /customer at once.
import { AppError } from "../errors.ts";
import { loadDemo } from "../services/demo/load-demo.ts";
import { runRiskScan } from "../services/risk/run-risk-scan.ts";
import type { CliIo } from "./main.ts";
import { scanDeps, withDatabase } from "./with-database.ts";

function positiveInteger(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new AppError("bad_request", `--${name} takes a whole number above 0.`);
  return Number(text);
}

export async function runDemo(
  io: CliIo,
  flags: { accounts?: string | undefined; seed?: string | undefined; owner?: string | undefined },
): Promise<number> {
  const accounts = positiveInteger(flags.accounts, 240, "accounts");
  const seed = positiveInteger(flags.seed, 42, "seed");
  if (flags.owner !== undefined && !/^[UW][A-Z0-9]{2,}$/.test(flags.owner)) {
    throw new AppError("bad_request", "--owner takes a Slack user id such as U012ABCDEF.");
  }
  return withDatabase(async (db, config, logger) => {
    io.err(`Loading ${accounts} demo accounts with three years of orders…`);
    const result = await loadDemo(
      { db, logger, timeZone: config.timeZone },
      { seed, accounts, now: new Date(), ownerSlackId: flags.owner },
    );
    for (const report of result.reports) {
      io.out(
        `${report.kind}: ${report.inserted} new, ${report.updated} updated, ${report.unchanged} unchanged`,
      );
    }
    // Score the demo at once, so the cards show their risk without waiting for the daily scan.
    const scan = await runRiskScan(scanDeps(db, config, logger), { save: true });
    const atRisk = scan.accounts.filter((a) => a.band === "high" || a.band === "critical").length;
    io.out(`Risk scanned: ${atRisk} of ${scan.accounts.length} accounts are high or critical.`);
    io.out("Demo loaded. In Slack, try: /customer northwind  ·  /customer 杭州  ·  /customer D-0001");
    return 0;
  });
}
