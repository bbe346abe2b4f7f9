// `churnwatch import accounts|contacts|orders|payments FILE.csv`: validated, streamed, all-or-nothing import.
import { existsSync } from "node:fs";
import path from "node:path";
import { type ImportKind, type ImportReport, importCsv } from "../services/import/import-csv.ts";
import type { CliIo } from "./main.ts";
import { withDatabase } from "./with-database.ts";

const kinds = ["accounts", "contacts", "orders", "payments"] as const;

export type ImportFlags = {
  "dry-run"?: boolean | undefined;
  "skip-invalid"?: boolean | undefined;
  "time-zone"?: string | undefined;
  currency?: string | undefined;
};

export function printImportReport(io: CliIo, report: ImportReport, dryRun: boolean): void {
  for (const error of report.errors) io.err(error.text);
  if (report.errorsOmitted > 0) io.err(`…and ${report.errorsOmitted} more problems`);
  const links = report.links ? `; links ${report.links.added} added, ${report.links.removed} removed` : "";
  const counts = `${report.inserted} new, ${report.updated} updated, ${report.unchanged} unchanged${links}`;
  const seconds = (report.durationMs / 1000).toFixed(1);
  if (report.rejected) {
    io.err(
      report.invalid > 0
        ? `${report.invalid} invalid of ${report.rows} rows: nothing was imported. Fix the rows above, or pass --skip-invalid to import the valid ones.`
        : "The file cannot be imported as it is: nothing was imported.",
    );
  } else if (dryRun) {
    io.out(
      `Dry run: ${report.rows.toLocaleString("en-US")} ${report.kind} checked in ${seconds} s; would be ${counts}. Nothing was written.`,
    );
  } else {
    io.out(
      `Imported ${(report.rows - report.invalid).toLocaleString("en-US")} ${report.kind} from ${path.basename(report.file)} in ${seconds} s: ${counts}.` +
        (report.invalid > 0 ? ` ${report.invalid} invalid rows skipped.` : ""),
    );
  }
}

export async function runImport(io: CliIo, positionals: string[], flags: ImportFlags): Promise<number> {
  const [kind, file, extra] = positionals;
  if (!kind || !kinds.includes(kind as ImportKind) || !file || extra !== undefined) {
    io.err(
      "Usage: churnwatch import accounts|contacts|orders|payments FILE.csv [--dry-run] [--skip-invalid]",
    );
    return 2;
  }
  if (!existsSync(file)) {
    io.err(`${file}: no such file`);
    return 1;
  }
  const dryRun = flags["dry-run"] === true;
  return withDatabase(async (db, config, logger) => {
    const report = await importCsv({
      db,
      kind: kind as ImportKind,
      file,
      dryRun,
      skipInvalid: flags["skip-invalid"] === true,
      timeZone: flags["time-zone"] ?? config.timeZone,
      defaultCurrency: flags.currency ?? config.defaultCurrency,
      logger,
      onProgress: ({ rows, elapsedMs, phase }) => {
        if (phase !== "done")
          io.err(`  ${phase} ${rows.toLocaleString("en-US")} rows… (${(elapsedMs / 1000).toFixed(1)} s)`);
      },
    });
    printImportReport(io, report, dryRun);
    return report.rejected ? 1 : 0;
  });
}
