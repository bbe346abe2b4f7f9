// Import benchmark: 10,000 accounts and 1,000,000 orders streamed into a fresh database; prints time, rows/s and peak RSS.
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { seededRandom } from "../src/domain/seeded-random.ts";
import { type ImportReport, importCsv } from "../src/services/import/import-csv.ts";
import { createTestDatabase, useTestServer } from "../test/support/db.ts";

const ACCOUNTS = 10_000;
const ORDERS = Number(process.env.BENCH_ORDERS ?? 1_000_000);
const MB = 1024 * 1024;

function accountId(n: number): string {
  return `ACC-${String(n).padStart(5, "0")}`;
}

/** Writes lines with backpressure, in ~64 KB chunks, never holding the file in memory. */
async function writeCsv(file: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(file);
  let chunk = "";
  for (const line of lines) {
    chunk += line;
    if (chunk.length >= 65_536) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end(chunk);
  await once(out, "finish");
}

function* accountLines(): Generator<string> {
  yield "external_id,name,segment,region,status\n";
  const segments = ["enterprise", "mid-market", "smb"];
  const regions = ["EMEA", "APAC", "AMER"];
  for (let n = 1; n <= ACCOUNTS; n++) {
    yield `${accountId(n)},"Customer ${n}, Ltd.",${segments[n % 3]},${regions[n % 3]},active\n`;
  }
}

function* orderLines(): Generator<string> {
  const next = seededRandom(42);
  yield "account_external_id,order_external_id,ordered_at,quantity,amount,cost,currency\n";
  const firstDay = Date.UTC(2022, 0, 1);
  for (let n = 1; n <= ORDERS; n++) {
    const account = accountId(1 + Math.floor(next() * ACCOUNTS));
    const day = new Date(firstDay + Math.floor(next() * 1095) * 86_400_000).toISOString().slice(0, 10);
    // One order in ten carries a full timestamp with offset, the rest a plain date.
    const orderedAt = n % 10 === 0 ? `${day}T14:30:00+02:00` : day;
    const quantity = 1 + Math.floor(next() * 50);
    const cents = 1000 + Math.floor(next() * 500_000);
    const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
    const cost = n % 4 === 0 ? "" : `${Math.floor((cents * 0.7) / 100)}.00`;
    const currency = n % 20 === 0 ? "EUR" : "";
    yield `${account},ORD-${String(n).padStart(7, "0")},${orderedAt},${quantity},${amount},${cost},${currency}\n`;
  }
}

function sampleRss(): { startMb: number; peakMb: () => number; stop: () => void } {
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  return {
    startMb: start / MB,
    peakMb: () => Math.max(peak, process.memoryUsage().rss) / MB,
    stop: () => clearInterval(timer),
  };
}

function summary(label: string, report: ImportReport, memory: string): void {
  const seconds = report.durationMs / 1000;
  console.log(
    `${label}: ${report.rows.toLocaleString("en-US")} rows in ${seconds.toFixed(1)} s ` +
      `= ${Math.round(report.rows / seconds).toLocaleString("en-US")} rows/s; ` +
      `inserted ${report.inserted}, updated ${report.updated}, unchanged ${report.unchanged}, invalid ${report.invalid}; ` +
      memory,
  );
  if (report.errors.length > 0) {
    for (const error of report.errors.slice(0, 5)) console.log(`  ${error.text}`);
    throw new Error("the benchmark file should import without errors");
  }
}

async function main(): Promise<void> {
  console.log(`RSS at start ${(process.memoryUsage().rss / MB).toFixed(0)} MB`);
  // The server the tests use: DATABASE_URL_TEST, else an embedded PostgreSQL started (and stopped) here.
  const stopServer = await useTestServer();
  const dir = await mkdtemp(path.join(tmpdir(), "churnwatch-bench-"));
  const accountsFile = path.join(dir, "accounts.csv");
  const ordersFile = path.join(dir, "orders.csv");
  const db = await createTestDatabase();
  try {
    const generating = performance.now();
    await writeCsv(accountsFile, accountLines());
    await writeCsv(ordersFile, orderLines());
    const size = (await stat(ordersFile)).size / MB;
    console.log(
      `generated ${ORDERS.toLocaleString("en-US")} orders (${size.toFixed(0)} MB) and ${ACCOUNTS} accounts ` +
        `in ${((performance.now() - generating) / 1000).toFixed(1)} s; RSS ${(process.memoryUsage().rss / MB).toFixed(0)} MB`,
    );

    const accounts = await importCsv({ db, kind: "accounts", file: accountsFile });
    summary("accounts", accounts, `RSS ${(process.memoryUsage().rss / MB).toFixed(0)} MB`);

    for (const label of ["orders (first import)", "orders (re-import, no changes)"]) {
      const rss = sampleRss();
      const report = await importCsv({
        db,
        kind: "orders",
        file: ordersFile,
        onProgress: ({ rows, elapsedMs, phase }) => {
          if (phase !== "reading" || rows % 250_000 === 0) {
            console.log(
              `  ${phase} ${rows.toLocaleString("en-US")} rows, ${(elapsedMs / 1000).toFixed(1)} s, ` +
                `RSS ${(process.memoryUsage().rss / MB).toFixed(0)} MB`,
            );
          }
        },
      });
      rss.stop();
      const peak = rss.peakMb();
      summary(
        label,
        report,
        `peak RSS ${peak.toFixed(0)} MB (+${(peak - rss.startMb).toFixed(0)} MB over the ${rss.startMb.toFixed(0)} MB before it)`,
      );
    }
    // maxRSS is in kilobytes and covers the whole process, file generation included.
    console.log(`process maxRSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  } finally {
    await db.drop();
    await rm(dir, { recursive: true, force: true });
    await stopServer?.();
  }
}

await main();
