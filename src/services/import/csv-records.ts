// Streams CSV records with the physical line each starts on, which csv-parse alone does not give.
import type { Readable } from "node:stream";
import { CsvError, type Options, Parser } from "csv-parse";
import type { ImportError } from "../../domain/import-rows.ts";

export type CsvRecord = {
  /** Physical line of the record's first character; the header is line 1 unless blank lines precede it. */
  line: number;
  fields: string[];
};

/** The longest record we buffer: a stray quote must not swallow a whole file into memory. */
export const MAX_RECORD_CHARS = 1_000_000;

/** What the parser emits: a record and the line csv-parse was on when the record ended. */
type TaggedRecord = { reportedEnd: number; fields: string[] };

/**
 * A csv-parse Parser that tags each record with `info.lines` as it is pushed. Same figure as the
 * `info: true` option, without the two object copies per record that option makes.
 */
class LineTaggingParser extends Parser {
  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk === null) return super.push(null, encoding);
    const tagged: TaggedRecord = { reportedEnd: this.info.lines, fields: chunk as string[] };
    return super.push(tagged, encoding);
  }
}

const parserOptions: Options = {
  bom: true,
  skip_empty_lines: true,
  // Field counts are checked per row so that one bad row is an error on its line, not a crash.
  relax_column_count: true,
  // `5" screen` in an unquoted field is kept as written instead of failing the whole file.
  relax_quotes: true,
  max_record_size: MAX_RECORD_CHARS,
};

export function createCsvParser(): Parser {
  return new LineTaggingParser(parserOptions);
}

/**
 * csv-parse's `info.lines` is the line a record ends on, except that a CR LF inside a quoted
 * field (or a CR left in the last field when records end in LF) counts as two lines. Counting the
 * line breaks inside the fields turns it back into the physical start line.
 */
export function createLineTracker() {
  let drift = 0;
  let lastEnd = 0;
  return {
    startOf(fields: readonly string[], reportedEnd: number): number {
      let breaks = 0;
      for (let f = 0; f < fields.length; f++) {
        const field = fields[f] as string;
        if (!field.includes("\n") && !field.includes("\r")) continue;
        for (let i = 0; i < field.length; i++) {
          const code = field.charCodeAt(i);
          if (code === 10) {
            breaks++;
          } else if (code === 13) {
            if (field.charCodeAt(i + 1) === 10) {
              drift++;
              breaks++;
              i++;
            } else if (i === field.length - 1 && f === fields.length - 1) {
              drift++; // the record's own LF follows this CR
            } else {
              breaks++;
            }
          }
        }
      }
      const end = reportedEnd - drift;
      lastEnd = end;
      return end - breaks;
    },
    /** The physical line csv-parse reported a problem on. */
    physical(reportedLine: number): number {
      return reportedLine - drift;
    },
    /** The line after the last complete record: where an unfinished record begins. */
    nextRecordLine(): number {
      return lastEnd + 1;
    },
  };
}

export type LineTracker = ReturnType<typeof createLineTracker>;

/** Records from a parser in order, each with its start line. Parse errors are thrown as CsvError. */
export async function* csvRecords(parser: Readable, tracker: LineTracker): AsyncGenerator<CsvRecord> {
  for await (const chunk of parser) {
    const { reportedEnd, fields } = chunk as TaggedRecord;
    yield { line: tracker.startOf(fields, reportedEnd), fields };
  }
}

/** A malformed file (unclosed quote, runaway record) as one error on the line it starts. */
export function csvErrorToImportError(error: unknown, tracker: LineTracker): ImportError | null {
  if (!(error instanceof CsvError)) return null;
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return {
        line: tracker.nextRecordLine(),
        column: null,
        message: "A quoted field that starts in this row is never closed.",
      };
    case "CSV_MAX_RECORD_SIZE":
      return {
        line: tracker.nextRecordLine(),
        column: null,
        message: `This row is longer than ${MAX_RECORD_CHARS.toLocaleString("en-US")} characters. Is a quote left open?`,
      };
    case "CSV_INVALID_CLOSING_QUOTE":
      return {
        line: tracker.physical(
          Number((error as CsvError & { lines?: number }).lines ?? tracker.nextRecordLine()),
        ),
        column: null,
        message: "A closing quote must be followed by a comma or the end of the line.",
      };
    default:
      return {
        line: tracker.nextRecordLine(),
        column: null,
        message: `The file is not valid CSV (${error.code}).`,
      };
  }
}
