// `churnwatch import`: streams a CSV through validation into a COPY-fed staging table, then merges it in one transaction.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { Database } from "../../db/database.ts";
import {
  cellTextProblem,
  checkHeader,
  createRowParser,
  formatImportError,
  type ImportError,
  type ImportKind,
  idColumn,
  importColumns,
  isCurrencyCode,
  type RowCells,
} from "../../domain/import-rows.ts";
import { isTimeZone } from "../../domain/trends.ts";
import { AppError } from "../../errors.ts";
import { createSilentLogger, type Logger } from "../../logger.ts";
import { createCsvParser, createLineTracker, csvErrorToImportError, csvRecords } from "./csv-records.ts";
import {
  copySql,
  copyValue,
  createStagingSql,
  duplicateCheckSql,
  kindSpecs,
  LINKED_ACCOUNTS_COLUMN,
  linkedAccountsCheckSql,
  linkedAccountsMergeSql,
  mergeSql,
  PROBLEM_TABLE,
  referenceCheckSql,
  STAGING_TABLE,
} from "./staging.ts";

export type { ImportKind };

/** A problem as reported: the parts, and `text`, the `FILE:LINE: column: message` line to print. */
export type ReportedImportError = ImportError & { text: string };

export type ImportProgress = {
  /** Data rows read so far (header and blank lines not counted). */
  rows: number;
  elapsedMs: number;
  /** "reading" while streaming the file, "writing" once when checks and the merge start, "done" at the end. */
  phase: "reading" | "writing" | "done";
};

export type ImportCsvOptions = {
  db: Pick<Database, "pool">;
  kind: ImportKind;
  /** Path of the CSV file; also the FILE in `FILE:LINE: column: message`. */
  file: string;
  /** Validate everything (references too) and count what would change; write nothing. */
  dryRun?: boolean;
  /** Write the valid rows and report the others, instead of writing nothing when any row is invalid. */
  skipInvalid?: boolean;
  /** IANA zone whose midnight a plain `ordered_at` date means. Default UTC. */
  timeZone?: string;
  /** Currency of order and payment rows without a `currency` cell. Default USD. */
  defaultCurrency?: string;
  onProgress?: (progress: ImportProgress) => void;
  logger?: Logger;
  /** Errors listed in the report; the rest are only counted. Default 100. */
  maxErrors?: number;
  /** Rows between progress calls while reading. Default 50,000. */
  progressEvery?: number;
};

export type ImportReport = {
  kind: ImportKind;
  file: string;
  dryRun: boolean;
  /**
   * True when the file was refused as a whole: a bad header, broken CSV, or (without skipInvalid)
   * any invalid row. Nothing was written then; the CLI exits non-zero.
   */
  rejected: boolean;
  /** True when the rows were written (committed); false for dry runs and rejected files. */
  written: boolean;
  /** Data rows in the file. */
  rows: number;
  valid: number;
  invalid: number;
  /** What was written, or for a dry run what would be; all 0 when the file is rejected. */
  inserted: number;
  updated: number;
  unchanged: number;
  /**
   * Accounts with a `linked_accounts` column: links added and removed (or that would be, for a dry
   * run); null for other files.
   */
  links: { added: number; removed: number } | null;
  /** The first `maxErrors` problems in line order. */
  errors: ReportedImportError[];
  /** Problems beyond those listed. */
  errorsOmitted: number;
  durationMs: number;
};

/** Keeps the first `limit` errors and counts the rest. */
class ErrorList {
  readonly listed: ImportError[] = [];
  total = 0;
  constructor(private readonly limit: number) {}
  add(error: ImportError): void {
    this.total++;
    if (this.listed.length < this.limit) this.listed.push(error);
  }
}

type StreamResult = {
  rows: number;
  invalidRows: number;
  headerColumns: ReadonlySet<string>;
  /** Header or CSV-structure problems: the file cannot be imported at all. */
  fatal: boolean;
};

const ROWS_PER_COPY_CHUNK = 2000;

export async function importCsv(options: ImportCsvOptions): Promise<ImportReport> {
  const started = performance.now();
  const { kind, file } = options;
  const dryRun = options.dryRun ?? false;
  const skipInvalid = options.skipInvalid ?? false;
  const timeZone = options.timeZone ?? "UTC";
  const defaultCurrency = (options.defaultCurrency ?? "USD").toUpperCase();
  const maxErrors = options.maxErrors ?? 100;
  const progressEvery = options.progressEvery ?? 50_000;
  const logger = options.logger ?? createSilentLogger();
  const elapsed = () => Math.round(performance.now() - started);

  if (!isTimeZone(timeZone)) throw new AppError("bad_request", `Unknown time zone "${timeZone}".`);
  if (!isCurrencyCode(defaultCurrency)) {
    throw new AppError("bad_request", `"${options.defaultCurrency}" is not an ISO 4217 currency code.`);
  }
  try {
    if (!(await stat(file)).isFile()) throw new Error("not a file");
  } catch (error) {
    throw new AppError("import_invalid", `Cannot read ${file}: no such file.`, { cause: error });
  }

  const errors = new ErrorList(maxErrors);
  const report = (result: Partial<ImportReport> & { rows: number; invalid: number }): ImportReport => {
    const durationMs = elapsed();
    options.onProgress?.({ rows: result.rows, elapsedMs: durationMs, phase: "done" });
    return {
      kind,
      file,
      dryRun,
      rejected: true,
      written: false,
      valid: result.rows - result.invalid,
      inserted: 0,
      updated: 0,
      unchanged: 0,
      links: null,
      errors: errors.listed.map((error) => ({ ...error, text: formatImportError(file, error) })),
      errorsOmitted: errors.total - errors.listed.length,
      ...result,
      durationMs,
    };
  };

  logger.info({ kind, dryRun, skipInvalid }, "import started");
  const client = await options.db.pool.connect();
  let healthy = false;
  try {
    await client.query("BEGIN");
    // The duplicate check sorts the whole staging table; give it memory instead of disk.
    await client.query("SET LOCAL work_mem = '256MB'");
    for (const sql of createStagingSql(kind)) await client.query(sql);

    const streamed = await streamIntoStaging(client, {
      kind,
      file,
      timeZone,
      defaultCurrency,
      errors,
      progressEvery,
      onProgress: (rows) => options.onProgress?.({ rows, elapsedMs: elapsed(), phase: "reading" }),
    });
    const readMs = elapsed();
    if (streamed.fatal) {
      await client.query("ROLLBACK");
      healthy = true;
      logger.info(
        { kind, rows: streamed.rows, readMs },
        "import rejected: file unreadable as CSV of this kind",
      );
      return report({ rows: streamed.rows, invalid: 0 });
    }
    options.onProgress?.({ rows: streamed.rows, elapsedMs: readMs, phase: "writing" });

    await client.query(`ANALYZE ${STAGING_TABLE}`);
    await client.query(duplicateCheckSql(kind));
    if (kindSpecs[kind].referencesAccount) await client.query(referenceCheckSql());
    for (const sql of kindSpecs[kind].storedRowChecks?.(streamed.headerColumns) ?? [])
      await client.query(sql);
    const links = kind === "accounts" && streamed.headerColumns.has(LINKED_ACCOUNTS_COLUMN);
    // Repeated while it finds more: an account linking to a line that failed fails too.
    let found = links ? 1 : 0;
    while (found > 0) found = (await client.query(linkedAccountsCheckSql())).rowCount ?? 0;
    const problems = await collectProblems(client, errors, maxErrors);
    const invalid = streamed.invalidRows + problems.newlyInvalidRows;
    const checkMs = elapsed() - readMs;

    if (invalid > 0 && !skipInvalid) {
      await client.query("ROLLBACK");
      healthy = true;
      logger.info(
        { kind, rows: streamed.rows, invalid, errors: errors.total },
        "import rejected: invalid rows",
      );
      return report({ rows: streamed.rows, invalid });
    }

    const merged = await client.query<{ inserted: number; updated: number }>(
      mergeSql(kind, streamed.headerColumns, problems.count > 0),
    );
    const inserted = merged.rows[0]?.inserted ?? 0;
    const updated = merged.rows[0]?.updated ?? 0;
    const linked = links
      ? (await client.query<{ added: number; removed: number }>(linkedAccountsMergeSql())).rows[0]
      : undefined;
    const valid = streamed.rows - invalid;
    await client.query(dryRun ? "ROLLBACK" : "COMMIT");
    healthy = true;
    const result = report({
      rows: streamed.rows,
      invalid,
      rejected: false,
      written: !dryRun,
      inserted,
      updated,
      unchanged: valid - inserted - updated,
      links: linked ? { added: linked.added, removed: linked.removed } : null,
    });
    logger.info(
      {
        kind,
        dryRun,
        rows: result.rows,
        invalid,
        inserted,
        updated,
        unchanged: result.unchanged,
        links: result.links,
        readMs,
        checkMs,
        mergeMs: result.durationMs - readMs - checkMs,
      },
      "import finished",
    );
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    // After a failure mid-COPY the connection's state is not worth trusting: drop it.
    client.release(healthy ? undefined : true);
  }
}

/**
 * The single pass over the file: header check, then per record the field count, cell text,
 * row schema, and one COPY line. Invalid rows are staged too (id only) so the duplicate check
 * sees them; a header problem stops reading at once.
 */
async function streamIntoStaging(
  client: pg.PoolClient,
  input: {
    kind: ImportKind;
    file: string;
    timeZone: string;
    defaultCurrency: string;
    errors: ErrorList;
    progressEvery: number;
    onProgress: (rows: number) => void;
  },
): Promise<StreamResult> {
  const { kind, errors } = input;
  const spec = kindSpecs[kind];
  const parseRow = createRowParser(kind, {
    timeZone: input.timeZone,
    defaultCurrency: input.defaultCurrency,
  });
  const invalidTail = `\t${new Array(spec.stagingColumns.length - 1).fill("\\N").join("\t")}`;
  const tracker = createLineTracker();
  const parser = createCsvParser();
  let headerColumns: string[] | undefined;
  let rows = 0;
  let invalidRows = 0;
  let fatal = false;

  async function* toCopyText(): AsyncGenerator<string> {
    let chunk = "";
    let chunkRows = 0;
    for await (const { line, fields } of csvRecords(parser, tracker)) {
      if (headerColumns === undefined) {
        const header = checkHeader(kind, fields, line);
        if (!header.ok) {
          for (const error of header.errors) errors.add(error);
          fatal = true;
          return;
        }
        headerColumns = header.columns;
        continue;
      }
      // Spreadsheets export trailing rows of bare commas; they carry nothing.
      if (fields.every((field) => field.trim() === "")) continue;
      rows++;
      if (rows % input.progressEvery === 0) input.onProgress(rows);

      if (fields.length !== headerColumns.length) {
        invalidRows++;
        errors.add({
          line,
          column: null,
          message: `This row has ${fields.length} fields; the header has ${headerColumns.length}.`,
        });
        continue;
      }
      const cells: RowCells = {};
      const textIssues: { column: string; message: string }[] = [];
      for (let i = 0; i < headerColumns.length; i++) {
        const column = headerColumns[i] as string;
        const value = (fields[i] as string).trim();
        const problem = cellTextProblem(value);
        if (problem !== null) textIssues.push({ column, message: problem });
        cells[column] = value;
      }
      const parsed = textIssues.length === 0 ? parseRow(cells) : { ok: false as const, issues: textIssues };
      if (parsed.ok) {
        chunk += `${line}\tt\t${spec.encode(parsed.row as never)}\n`;
      } else {
        invalidRows++;
        const order = headerColumns;
        const issues = [...parsed.issues].sort(
          (a, b) => order.indexOf(a.column ?? "") - order.indexOf(b.column ?? ""),
        );
        for (const issue of issues) errors.add({ line, ...issue });
        // Stage the id of an invalid row (when the id itself is fine) for the duplicate check.
        const id = cells[idColumn[kind]] ?? "";
        if (id !== "" && !issues.some((issue) => issue.column === idColumn[kind])) {
          chunk += `${line}\tf\t${copyValue(id)}${invalidTail}\n`;
        }
      }
      if (++chunkRows >= ROWS_PER_COPY_CHUNK) {
        yield chunk;
        chunk = "";
        chunkRows = 0;
      }
    }
    if (chunk !== "") yield chunk;
  }

  const copy = client.query(copyFrom(copySql(kind)));
  try {
    await pipeline(createReadStream(input.file, { highWaterMark: 256 * 1024 }), parser, toCopyText, copy);
  } catch (error) {
    // A rejected header ends the pass early on purpose; the pipeline reports that as an abort.
    if (fatal) return { rows, invalidRows, headerColumns: new Set(), fatal };
    const csvProblem = csvErrorToImportError(error, tracker);
    if (csvProblem === null) throw error;
    errors.add(csvProblem);
    fatal = true;
  }
  if (!fatal && headerColumns === undefined) {
    const { required, optional } = importColumns[kind];
    errors.add({
      line: 1,
      column: null,
      message: `The file is empty. It needs a header line with the columns: ${[...required, ...optional].join(", ")}.`,
    });
    fatal = true;
  }
  return { rows, invalidRows, headerColumns: new Set(headerColumns ?? []), fatal };
}

/** Lists the set-based problems (duplicates, unknown accounts) merged with the streamed ones, in line order. */
async function collectProblems(
  client: pg.PoolClient,
  errors: ErrorList,
  maxErrors: number,
): Promise<{ count: number; newlyInvalidRows: number }> {
  const stats = await client.query<{ count: number; newly_invalid: number }>(
    `SELECT count(*)::integer AS count, count(DISTINCT line) FILTER (WHERE row_valid)::integer AS newly_invalid
     FROM ${PROBLEM_TABLE}`,
  );
  const count = stats.rows[0]?.count ?? 0;
  if (count === 0) return { count: 0, newlyInvalidRows: 0 };
  const listed = await client.query<{ line: number; column_name: string | null; message: string }>(
    `SELECT line, column_name, message FROM ${PROBLEM_TABLE} ORDER BY line, column_name, message LIMIT $1`,
    [maxErrors],
  );
  const combined = [
    ...errors.listed,
    ...listed.rows.map((row) => ({ line: row.line, column: row.column_name, message: row.message })),
  ].sort((a, b) => a.line - b.line);
  const total = errors.total + count;
  errors.listed.splice(0, errors.listed.length, ...combined.slice(0, maxErrors));
  errors.total = total;
  return { count, newlyInvalidRows: stats.rows[0]?.newly_invalid ?? 0 };
}
