// Backtest on the public CDNOW sample: import it as accounts and orders, score as of 1997-09-30,

// and check against the next 39 weeks. Prints the report (or JSON with --json).

import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { defaultKeyCareSettings } from "../src/domain/cadence.ts";
import { defaultClassificationSettings } from "../src/domain/classification.ts";
import { defaultResponseTargets } from "../src/domain/complaints.ts";
import { createSilentLogger } from "../src/logger.ts";
import { importCsv } from "../src/services/import/import-csv.ts";
import { runBacktest } from "../src/services/risk/run-backtest.ts";
import { createRoles, ROLES_OFF } from "../src/services/roles.ts";
import { createTestDatabase, useTestServer } from "../test/support/db.ts";

const asOfDay = process.env.BACKTEST_AS_OF ?? "1997-09-30";
const horizonWeeks = Number(process.env.BACKTEST_WEEKS ?? 39);
const fixture = new URL("../test/fixtures/cdnow/CDNOW_sample.txt", import.meta.url);

async function writeLines(file: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(file);
  for (const line of lines) if (!out.write(line)) await once(out, "drain");
  out.end();
  await once(out, "finish");
}

const stopServer = await useTestServer();
const db = await createTestDatabase();
const dir = await mkdtemp(path.join(tmpdir(), "churnwatch-cdnow-"));
try {
  // Columns: master id, sample id, date YYYYMMDD, number of CDs, dollars.
  const rows = (await readFile(fixture, "utf8"))
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((cells) => cells.length === 5);
  const customers = [...new Set(rows.map((cells) => cells[1] ?? ""))];
  await writeLines(path.join(dir, "accounts.csv"), [
    "external_id,name\n",
    ...customers.map((id) => `CD-${id},CDNOW customer ${id}\n`),
  ]);
  await writeLines(path.join(dir, "orders.csv"), [
    "account_external_id,order_external_id,ordered_at,quantity,amount,currency\n",
    ...rows.map(([, id, date, cds, dollars], n) => {
      const day = `${date?.slice(0, 4)}-${date?.slice(4, 6)}-${date?.slice(6, 8)}`;
      // Zero-dollar lines are returns or free items: kept as orders of 0.
      return `CD-${id},CDO-${n + 1},${day},${cds},${Number(dollars).toFixed(2)},USD\n`;
    }),
  ]);
  for (const kind of ["accounts", "orders"] as const) {
    const report = await importCsv({ db, kind, file: path.join(dir, `${kind}.csv`) });
    if (report.rejected) throw new Error(report.errors.map((e) => e.text).join("\n"));
  }
  const started = performance.now();
  const result = await runBacktest(
    {
      prisma: db.prisma,
      pool: db.pool,
      logger: createSilentLogger(),
      now: () => new Date(`${asOfDay}T12:00:00Z`),
      timeZone: "UTC",
      defaultCurrency: "USD",
      responseTargets: defaultResponseTargets,
      assistant: undefined,
      roles: createRoles(ROLES_OFF, { logger: createSilentLogger(), now: () => new Date() }),
      keyCare: defaultKeyCareSettings,
      classification: defaultClassificationSettings,
      channels: { warnings: undefined, managers: undefined, retro: undefined },
      defaultRetentionCost: 20,
      blacklistOverdueDays: 90,
    },
    { asOfDay, horizonWeeks },
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    const m = result.metrics;
    console.log(
      `CDNOW sample: ${customers.length} customers, ${rows.length} order lines; scored as of ${asOfDay} in ${seconds} s`,
    );
    if (result.model) {
      const { r, alpha, a, b, logLikelihood } = result.model;
      console.log(
        `BG/NBD: r ${r.toFixed(3)}, alpha ${alpha.toFixed(3)}, a ${a.toFixed(3)}, b ${b.toFixed(3)}, LL ${logLikelihood.toFixed(1)}`,
      );
    }
    console.log(
      `Horizon ${horizonWeeks} weeks: ${m.churned} of ${m.accounts} ordered nothing; AUC of the risk score ${m.auc?.toFixed(3)} (BG/NBD expected orders alone: ${result.modelAuc?.toFixed(3)})`,
    );
    for (const g of m.byBand) {
      console.log(
        `  ${g.key.padEnd(9)} ${String(g.accounts).padStart(5)} accounts, ${String(g.churned).padStart(5)} churned, precision ${g.precision === null ? "–" : `${(g.precision * 100).toFixed(0)}%`}, recall ${g.recall === null ? "–" : `${(g.recall * 100).toFixed(0)}%`}`,
      );
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
  await db.drop();
  await stopServer();
}
process.exit(0);
